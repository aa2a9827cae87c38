import type { FaultListing } from './faults';

/**
 * `haprobe lab faults` as text (issue 12): one line per fault, §7 rows first, columns
 * row | fault (aliases) | bug(s) | check | how | needs. Pure: the CLI writes it.
 */
/** ground-truth §7 rows with no lab fault, and why (issue 12 asks for the reason, not silence) */
export const ROWS_NOT_REPRODUCED: readonly { row: number | string; why: string }[] = [
  { row: 14, why: 'br-tun forwarding to the old tunnel: the hand-built fabric has no VXLAN tunnels; on the real engine `lab fault lp2123911 --engine neutron` (ovs-tunnel-stale-mac, docs/brtun-and-mld.md)' },
  { row: 30, why: 'LBaaS v1 VIP: not applicable' },
  { row: 32, why: 'OVN G-ARPs from non-gateway chassis: fixed by 4a86fba20 in OVN 22.06 (v23.03.1 controller/pinctrl.c get_localnet_vifs_l3gwports keeps an l3gateway port only where `pb->chassis == chassis`), and it concerns l3gateway routers, which neutron does not create; `garp verify -p ovn` fails another chassis announcing (wrong-node) and `garp watch --on ovn-uplinks` names the chassis of each frame' },
  { row: 35, why: 'OVN localport MAC flapping: fixed by 578238b36 in OVN 21.06 (v23.03.1 controller/pinctrl.c send_garp_rarp_update skips localports), and the bug needs a VLAN/flat tenant network (the lab\'s is Geneve)' },
  { row: 36, why: 'OVN G-ARPs stop after 5 frames: that is 23.03.0–.2 itself (garp-max-timeout-sec came with 0d021216c in 23.09, backported as 26a91f1ac to 23.03.3); `garp verify -p ovn` reads the version and expects ovn-stop-16s (2-4-8-16 s, then none) from it' },
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
