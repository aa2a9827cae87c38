import type { FaultListing } from './faults';

/**
 * `haprobe lab faults` as text (issue 12): one line per fault, §7 rows first, columns
 * row | fault (aliases) | bug(s) | check | how | needs. Pure: the CLI writes it.
 */
/** ground-truth §7 rows with no lab fault, and why (issue 12 asks for the reason, not silence) */
export const ROWS_NOT_REPRODUCED: readonly { row: number | string; why: string }[] = [
  { row: 13, why: 'MLD / IPv6 DAD from a backup qg-: needs an ICMPv6 capture from the backups during the G-ARP watch (not built)' },
  { row: 14, why: 'br-tun forwarding to the old tunnel: the lab fabric has no VXLAN tunnels' },
  { row: 30, why: 'LBaaS v1 VIP: not applicable' },
  { row: 31, why: 'nova-network: its own profile (issue 9)' },
  { row: '32–37', why: 'OVN: the OVN issue' },
];

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
  const held = rows.filter((r) => r.row !== undefined && r.how !== 'not-held');
  const rowsSeen = new Set(held.map((r) => r.row));
  return [
    line(head), ...body.map(line), '',
    `${rowsSeen.size} ground-truth §7 row(s) reproduced by ${held.length} fault(s); ${rows.length} fault(s) in all`,
    'not reproduced:',
    ...ROWS_NOT_REPRODUCED.map((r) => `  #${r.row}: ${r.why}`),
  ].join('\n');
}
