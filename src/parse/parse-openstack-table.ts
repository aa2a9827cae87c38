import type { ParseResult, ParseWarning } from './types';
import { addWarning, isPromptLine, splitLines } from './lines';

export interface OpenstackTable {
  columns: string[];
  rows: Record<string, string>[];
  /** for "Field | Value" tables (`… show`, `… create`): field → value */
  fields?: Record<string, string>;
}

/**
 * ASCII tables of `openstack … list|show|create` and the old `neutron …` CLI (cliff/prettytable):
 * "+---+" borders, "| a | b |" rows. A row whose first cell is empty continues the row above
 * (multi-line cells, joined with "\n") — except a value the table formatter wrapped because it
 * was too wide: a JSON/dict cell whose brackets are still open continues on the next line, and
 * is re-joined into the one value it was (issue 15: neutron devref `router show`, where
 * external_gateway_info broke inside a subnet UUID). Cells are split on '|' rather than border
 * positions so tables whose padding was collapsed by a publisher still parse (with a warning).
 * The old neutron CLI's own "Created a new floatingip:" line before the table is output, not
 * noise; other text outside the table (deprecation notices, prose) is a warning. Only the first
 * table of the text is read; a second header starts a warning.
 */
export function parseOpenstackTable(text: string): ParseResult<OpenstackTable> {
  const warnings: ParseWarning[] = [];
  const columns: string[] = [];
  const rows: Record<string, string>[] = [];
  let borderLen = -1;
  let borders = 0;
  let widthWarned = false;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '') continue;
    if (/^\+[-=+]+\+=?$/.test(t)) {
      if (borderLen < 0) borderLen = t.replace(/=$/, '').length;
      if (t.endsWith('+=')) addWarning(warnings, i + 1, 'border line with stray characters', raw);
      borders++;
      continue;
    }
    if (borders === 0 && NEUTRON_CLI_TITLE.test(t)) continue;
    if (!t.startsWith('|')) {
      addWarning(warnings, i + 1, isPromptLine(t) ? 'shell prompt line' : 'text outside the table', raw);
      continue;
    }
    if (borders >= 3) {
      addWarning(warnings, i + 1, 'second table ignored', raw);
      continue;
    }
    const cells = splitCells(t);
    if (borderLen > 0 && t.length !== borderLen && !widthWarned) {
      addWarning(warnings, i + 1, 'row width differs from the border (padding collapsed?)', raw);
      widthWarned = true;
    }
    if (columns.length === 0) {
      for (const c of cells) columns.push(c); // not push(...cells): a 200k-cell line threw RangeError (issue 8)
      continue;
    }
    if (cells.length !== columns.length) {
      addWarning(warnings, i + 1, `row has ${cells.length} cells, header has ${columns.length}`, raw);
      continue;
    }
    const prev = rows[rows.length - 1];
    if (prev && cells[0] === '') {
      columns.forEach((c, k) => {
        if (cells[k] !== '') prev[c] = prev[c] === '' ? cells[k] : joinCellLines(prev[c], cells[k]);
      });
      continue;
    }
    const row: Record<string, string> = {};
    columns.forEach((c, k) => (row[c] = cells[k]));
    rows.push(row);
  }
  const table: OpenstackTable = { columns, rows };
  if (columns.length === 2 && columns[0] === 'Field' && columns[1] === 'Value') {
    table.fields = {};
    for (const r of rows) table.fields[r.Field] = r.Value;
  }
  if (columns.length === 0 && lines.some((l) => l.trim() !== '')) addWarning(warnings, 1, 'no table found');
  return { value: table, warnings };
}

/**
 * What python-neutronclient prints before the table of a create/update/show it did
 * ("Created a new floatingip:", "Updated router: r1" is printed without a table).
 */
const NEUTRON_CLI_TITLE = /^Created a new [\w-]+:$/;

/**
 * Appends one more printed line of a cell. A line of a multi-line value (one fixed IP per line)
 * starts a new line of the value; a line that continues a value wrapped by the formatter (its
 * brackets still open) is glued back: textwrap breaks after a hyphen (kept) or at a blank (dropped).
 */
export function joinCellLines(value: string, next: string): string {
  if (openBrackets(value) <= 0) return `${value}\n${next}`;
  return value.endsWith('-') ? `${value}${next}` : `${value} ${next}`;
}

/** Unclosed `{`/`[`/`(` outside quoted strings ('…' or "…"). */
function openBrackets(s: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
  }
  return depth;
}

function splitCells(t: string): string[] {
  const inner = t.replace(/^\|/, '').replace(/\|\s*$/, '');
  return inner.split('|').map((c) => c.trim());
}
