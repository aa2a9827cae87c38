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
 * (multi-line cells, joined with "\n"). Cells are split on '|' rather than border positions so
 * tables whose padding was collapsed by a publisher still parse (with a warning). Text outside
 * the table (deprecation notices, "Created a new floatingip:") is a warning. Only the first
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
        if (cells[k] !== '') prev[c] = prev[c] === '' ? cells[k] : `${prev[c]}\n${cells[k]}`;
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

function splitCells(t: string): string[] {
  const inner = t.replace(/^\|/, '').replace(/\|\s*$/, '');
  return inner.split('|').map((c) => c.trim());
}
