import type { FaultListing } from './fault-spec';
import { coverageLine, heldRowFaults, listEveryFault, ROWS_NOT_REPRODUCED } from './faults-table';

/**
 * The fault tables of README.md and docs/faults.md, written from the one registry (issue 12: the
 * README shows row → fault → check → how it was reproduced). Each sits between a BEGIN and an END
 * marker; `node scripts/render-fault-docs.js` rewrites them, and test/run/fault-docs.test.ts fails
 * when a page and the registry disagree, so neither can drift. Pure: the script does the I/O.
 */
export type FaultDocBlock = 'fault-rows' | 'fault-all';

const WHAT: Record<FaultDocBlock, string> = {
  'fault-rows': 'the §7 rows the lab reproduces',
  'fault-all': 'every fault of `haprobe lab faults`',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** "mechanism: …" / "symptom: …": the registry's description, led by how the lab reproduces the row */
export function howReproduced(r: Pick<FaultListing, 'how' | 'description'>): string {
  if (!r.how || r.description.startsWith(`${r.how}`)) return r.description;
  return `${r.how}: ${r.description}`;
}

function faultCell(r: FaultListing): string {
  return r.aliases.length > 0 ? `\`${r.name}\` (${r.aliases.map((a) => `\`${a}\``).join(', ')})` : `\`${r.name}\``;
}

/** every fault, one line each: §7 | bug | fault | check | subject | how the lab reproduces it | lab (docs/faults.md) */
export function renderFaultMarkdown(rows: readonly FaultListing[]): string {
  const head = '| §7 | bug | fault (aliases) | check that must catch it | subject | how the lab reproduces it | lab |\n|---|---|---|---|---|---|---|';
  const body = rows.map((r) => '| ' + [
    r.row === undefined ? '—' : String(r.row),
    r.bugs.join(', ') || '—',
    faultCell(r),
    r.check,
    r.subject,
    howReproduced(r),
    r.needs ?? 'any neutron profile',
  ].map(cell).join(' | ') + ' |');
  return [head, ...body].join('\n');
}

/**
 * one line per reproduced §7 row (the README's, which must stay short): row | bug | fault(s) |
 * check(s) | how the lab reproduces it | lab; a row with two faults (#31: two nova labs) joins them
 */
export function renderRowMarkdown(rows: readonly FaultListing[]): string {
  const byRow = new Map<number, FaultListing[]>();
  for (const r of heldRowFaults(rows)) byRow.set(r.row!, [...(byRow.get(r.row!) ?? []), r]);
  const uniq = (xs: string[]): string[] => [...new Set(xs)];
  const head = '| §7 | bug | fault | check that must catch it | how the lab reproduces it | lab |\n|---|---|---|---|---|---|';
  const body = [...byRow.entries()].sort(([a], [b]) => a - b).map(([row, fs]) => '| ' + [
    String(row),
    uniq(fs.flatMap((f) => f.bugs)).join(', '),
    fs.map(faultCell).join(', '),
    uniq(fs.map((f) => f.check)).join(', '),
    uniq(fs.map(howReproduced)).join(' / '),
    uniq(fs.map((f) => f.needs ?? 'any neutron profile')).join(' / '),
  ].map(cell).join(' | ') + ' |');
  return [head, ...body].join('\n');
}

/** the generated content of one block (without its markers) */
export function renderFaultDocBlock(block: FaultDocBlock, all: readonly FaultListing[] = listEveryFault()): string {
  if (block === 'fault-rows') {
    const skipped = ROWS_NOT_REPRODUCED.map((r) => `#${r.row} (${r.why.split(':')[0]})`).join(', ');
    return [renderRowMarkdown(all), '', `${coverageLine(all)}. Not reproduced: ${skipped}; why: [docs/faults.md](docs/faults.md).`].join('\n');
  }
  return [
    renderFaultMarkdown(all),
    '',
    `${coverageLine(all)}. Not reproduced:`,
    '',
    ...ROWS_NOT_REPRODUCED.map((r) => `- §7 #${r.row}: ${r.why}`),
  ].join('\n');
}

export function blockMarkers(block: FaultDocBlock): { begin: string; end: string } {
  return {
    begin: `<!-- BEGIN ${block}: ${WHAT[block]}, written by \`node scripts/render-fault-docs.js\` from the fault registry; do not edit by hand -->`,
    end: `<!-- END ${block} -->`,
  };
}

/**
 * `text` with the block between its markers replaced by `content`; undefined when the page has
 * no such block (the caller says which page lacks it)
 */
export function replaceDocBlock(text: string, block: FaultDocBlock, content: string): string | undefined {
  const { begin, end } = blockMarkers(block);
  const start = text.indexOf(`<!-- BEGIN ${block}:`);
  const stop = text.indexOf(end);
  if (start < 0 || stop < start) return undefined;
  return `${text.slice(0, start)}${begin}\n${content}\n${text.slice(stop)}`;
}

/** the pages that carry a generated fault table, relative to the checkout */
export const FAULT_DOC_PAGES: readonly { file: string; block: FaultDocBlock }[] = [
  { file: 'README.md', block: 'fault-rows' },
  { file: 'docs/faults.md', block: 'fault-all' },
];
