import type { FaultListing } from './faults';

/**
 * `haprobe lab faults` as text (issue 12): one line per fault, §7 rows first, columns
 * row | fault (aliases) | bug(s) | check | how | needs. Pure: the CLI writes it.
 */
export function renderFaultTable(rows: readonly FaultListing[]): string {
  const head = ['§7', 'fault (aliases)', 'bug', 'check that must catch it', 'subject', 'reproduced', 'needs'];
  const body = rows.map((r) => [
    r.row === undefined ? '-' : `#${r.row}`,
    r.aliases.length > 0 ? `${r.name} (${r.aliases.join(', ')})` : r.name,
    r.bugs.join(' ') || '-',
    r.check,
    r.subject,
    r.how ?? '-',
    r.needs ?? 'any profile',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const rowsSeen = new Set(rows.filter((r) => r.row !== undefined).map((r) => r.row));
  return [line(head), ...body.map(line), '', `${rowsSeen.size} ground-truth §7 row(s) reproduced by ${rows.filter((r) => r.row !== undefined).length} fault(s); ${rows.length} fault(s) in all`].join('\n');
}
