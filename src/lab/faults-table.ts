import { listFaults } from './faults';
import type { FaultListing } from './fault-spec';
import { listNeutronEngineFaults } from './neutron/faults';
import { listOvnFaults } from './neutron/ovn-faults';
import { listNovaFaults } from './nova/faults';

/** ground-truth §7 rows with no lab fault, and why (issue 12 asks for the reason, not silence) */
export const ROWS_NOT_REPRODUCED: readonly { row: number | string; why: string }[] = [
  { row: 30, why: 'LBaaS v1 VIP: not applicable' },
  { row: 32, why: 'OVN G-ARPs from non-gateway chassis: fixed by 4a86fba20 in OVN 22.06 (v23.03.1 controller/pinctrl.c get_localnet_vifs_l3gwports keeps an l3gateway port only where `pb->chassis == chassis`), and it concerns l3gateway routers, which neutron does not create; `garp verify -p ovn` fails another chassis announcing (wrong-node) and `garp watch --on ovn-uplinks` names the chassis of each frame' },
  { row: 34, why: 'OVN FDP-1418: 23.03 has it (v23.03.1 controller/pinctrl.c consider_nat_address decides residency from the BFD view; fixed by 289ec19b0 and 195331f5a in 25.09); reproduced by `lab failover --engine neutron --how block-peer-tunnel` (the preferred gateway drops the second one\'s Geneve: the two fight for cr-lrp, ovn-cr-lrp-claim fails naming FDP-1418 during the fight, and the return comes without a G-ARP), measured, not a standing fault: held as a fault, `haprobe run` did not see the fight within 90 s in the clean-clone run of 2026-12-01 (the claim changes hands in bursts)' },
  { row: 35, why: 'OVN localport MAC flapping: fixed by 578238b36 in OVN 21.06 (v23.03.1 controller/pinctrl.c send_garp_rarp_update skips localports), and the bug needs a VLAN/flat tenant network (the lab\'s is Geneve)' },
  { row: 36, why: 'OVN G-ARPs stop after 5 frames: that is 23.03.0–.2 itself (garp-max-timeout-sec came with 0d021216c in 23.09, backported as 26a91f1ac to 23.03.3); `garp verify -p ovn` reads the version and expects ovn-stop-16s (2-4-8-16 s, then none) from it' },
];

/**
 * every fault `haprobe lab faults` lists — the hand-built lab's, the nova lab's, the OVN lab's and
 * the real engine's that reproduce a §7 row — §7 rows in order, then the faults that are no row.
 * The one source of the CLI listing, the README's row table and docs/faults.md (fault-docs.ts).
 */
export function listEveryFault(): FaultListing[] {
  return [...listFaults(), ...listNovaFaults(), ...listOvnFaults(), ...listNeutronEngineFaults()]
    .sort((a, b) => (a.row ?? 1000) - (b.row ?? 1000));
}

/** the faults that count for a §7 row: held by the lab (not `not-held`) */
export function heldRowFaults(rows: readonly FaultListing[]): FaultListing[] {
  return rows.filter((r) => r.row !== undefined && r.how !== 'not-held');
}

/** `N ground-truth §7 row(s) reproduced by M fault(s); K fault(s) in all` */
export function coverageLine(rows: readonly FaultListing[]): string {
  const held = heldRowFaults(rows);
  return `${new Set(held.map((r) => r.row)).size} ground-truth §7 row(s) reproduced by ${held.length} fault(s); ${rows.length} fault(s) in all`;
}

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
  return [
    line(head), ...body.map(line), '',
    coverageLine(rows),
    'not reproduced:',
    ...ROWS_NOT_REPRODUCED.map((r) => `  #${r.row}: ${r.why}`),
  ].join('\n');
}
