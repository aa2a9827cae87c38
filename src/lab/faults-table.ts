import type { FaultListing } from './faults';

/**
 * `haprobe lab faults` as text (issue 12): one line per fault, §7 rows first, columns
 * row | fault (aliases) | bug(s) | check | how | needs. Pure: the CLI writes it.
 */
/** ground-truth §7 rows with no lab fault, and why (issue 12 asks for the reason, not silence) */
export const ROWS_NOT_REPRODUCED: readonly { row: number | string; why: string }[] = [
  { row: 14, why: 'br-tun forwarding to the old tunnel: the hand-built fabric has no VXLAN tunnels; on the real engine `lab fault lp2123911 --engine neutron` (ovs-tunnel-stale-mac, docs/brtun-and-mld.md)' },
  { row: 30, why: 'LBaaS v1 VIP: not applicable' },
  { row: 32, why: 'OVN G-ARPs from non-gateway chassis: fixed in OVN 22.06 (the lab runs 23.03); `garp watch` on the OVN lab names the chassis of each frame' },
  { row: 34, why: 'OVN FDP-1418: 23.03 has it (fixed in 25.09); shown by `drill failover` on the OVN lab (BFD down→up of the higher-priority gateway), not a fault' },
  { row: 35, why: 'OVN localport MAC flapping: fixed in OVN 21.06, and the lab\'s tenant network is Geneve (the bug needs a VLAN/flat one)' },
  { row: 36, why: 'OVN G-ARPs stop after a few frames: that is 23.03 itself (garp-max-timeout-sec came in 23.09); every OVN lab shows it' },
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
