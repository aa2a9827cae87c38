import { listFaults, type FaultListing } from './faults';
import { listNeutronEngineFaults } from './neutron/faults';
import { listOvnFaults } from './neutron/ovn-faults';
import { listNovaFaults } from './nova/faults';

/** ground-truth §7 rows with no lab fault, and why (issue 12 asks for the reason, not silence) */
export const ROWS_NOT_REPRODUCED: readonly { row: number | string; why: string }[] = [
  { row: 30, why: 'LBaaS v1 VIP: not applicable' },
  { row: 32, why: 'OVN G-ARPs from non-gateway chassis: fixed in OVN 22.06 (the lab runs 23.03); `garp watch` on the OVN lab names the chassis of each frame' },
  { row: 34, why: 'OVN FDP-1418: 23.03 has it (fixed in 25.09); shown by `drill failover` on the OVN lab (BFD down→up of the higher-priority gateway), not a fault' },
  { row: 35, why: 'OVN localport MAC flapping: fixed in OVN 21.06, and the lab\'s tenant network is Geneve (the bug needs a VLAN/flat one)' },
  { row: 36, why: 'OVN G-ARPs stop after a few frames: that is 23.03 itself (garp-max-timeout-sec came in 23.09); every OVN lab shows it' },
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
