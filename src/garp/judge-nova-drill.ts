import type { GarpVerdict } from '../capture/verdict';
import { judgeDrill, type DrillJudgement, type DrillTimeline } from './judge-drill';

/** the G-ARP side of a nova takeover: the judge's verdict on the new host's frames, or why none was expected */
export type NovaDrillGarp = { verdict: GarpVerdict } | { notExpected: string };

/** the seed's claim (000: "a 4 second failover to a hot backup of the network host") */
export const SEED_TAKEOVER_MS = 4000;

/**
 * The verdict of a nova-network hot standby drill (pure). The takeover, first G-ARP and client
 * outage are judged as for Neutron (judgeDrill: all within the budget, no other host announcing,
 * an outage far beyond the takeover explained); then nova's own announcement: with
 * send_arp_for_ha=True the new host must send send_arp_for_ha_count ARP REPLYs 1 s apart for the
 * floating IP with its public_interface MAC as sender (pattern nova-network, ground-truth §5e) —
 * too few, wrong sender or bad spacing fail the drill. With send_arp_for_ha=False none is
 * expected: a warn with the reason (LP 782364), never a pass of the announcement.
 */
export function judgeNovaDrill(t: DrillTimeline, budgetMs: number, garp: NovaDrillGarp | undefined): DrillJudgement {
  const base = judgeDrill(t, budgetMs);
  if (t.cancelled) return base;
  const parts = [base.message];
  const explanation = [...base.explanation];
  let verdict = base.verdict;
  if (garp && 'verdict' in garp) {
    const v = garp.verdict;
    if (v.status === 'PASS') parts.push(`nova G-ARP: ${v.counted} REPLY(s) from ${v.mac} (pattern nova-network)`);
    else {
      verdict = 'fail';
      parts.push(`nova G-ARP ${v.status}: ${v.cause ?? 'no pass'} (${v.counted}/${v.expected.required} counted from ${v.mac})`);
      explanation.push(...v.problems.map((p) => `G-ARP ${p.cause}: ${p.detail}`));
    }
  } else if (garp) {
    if (verdict === 'pass') verdict = 'warn';
    parts.push(`no G-ARP expected: ${garp.notExpected}`);
  }
  if (t.outageMs !== undefined && t.outageMs !== null) {
    parts.push(`client outage ${t.outageMs} ms ${t.outageMs <= SEED_TAKEOVER_MS ? '≤' : '>'} the seed's ${SEED_TAKEOVER_MS / 1000} s`);
  }
  return { verdict, message: parts.join('; '), explanation };
}
