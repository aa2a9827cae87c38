import { dateTakeoverByGarp, judgeDrill, type DrillJudgement, type DrillTimeline } from './judge-drill';

/**
 * The verdict of an ML2/OVN gateway drill (pure; issue 11, ground-truth §6). A takeover is
 * judged as a Neutron one (judgeDrill: the next chassis claims cr-lrp-… and G-ARPs the router's
 * addresses within the budget, the client's outage too, no other chassis announcing), except
 * when nothing took over:
 * - the fault did not make the gateway fail (stop-ovn-controller on OVN ≤ 23.x: SIGTERM leaves
 *   ovs-vswitchd's BFD sessions and the installed flows in place, cr-lrp stays where it was — seen
 *   on the lab) and the client saw no outage over the budget → `skip`: the failover was not
 *   exercised, nothing to judge (never a pass, never a fail);
 * - only one chassis could claim the port → `skip`: there is no standby to take over;
 * - otherwise (the gateway lost its tunnels, or the client lost the router) → fail, as judgeDrill.
 */
export interface OvnDrillContext {
  fault: 'stop-ovn-controller' | 'exit-ovn-controller' | 'tunnel-down';
  /** chassis in the port's HA list besides the failed one */
  standbys: number;
  /** the failed chassis still claimed cr-lrp when the watch ended */
  stillClaimedByOld: boolean;
  /**
   * the BFD session toward the failed chassis as the standby saw it (undefined: not read), ms
   * after the fault: downMs = the return of the first poll that saw it down (null: up through the
   * watch); lastUpMs = the start of the last poll that saw it up — the change lies between the two;
   * detectMs = max(min_rx, min_tx) × mult of its timers
   */
  bfd?: {
    detectMs: number; downMs: number | null; lastUpMs: number; timers: string;
    /** an event that proves the session was down by then (the watcher's own takeover G-ARP) */
    upperBoundMs?: number;
    boundBy?: string;
  };
  /** the new gateway's G-ARPs against the pattern of its ovn-controller version (judgeTakeoverPattern) */
  garpPattern?: { fits: boolean; line: string };
}

/**
 * BFD detection judged against its own budget, consistent with the upstream's view (issue 11):
 * a late detection after which the client still recovered within the budget is a warn, never a
 * fail; a late detection behind an outage explains that outage; a session that stayed up is the
 * reason nothing took over (stop-ovn-controller) and is said so — but a session no poll saw down
 * while the watcher itself took over was down by its first G-ARP, and is dated by it.
 */
export function judgeBfd(base: DrillJudgement, c: OvnDrillContext, t: DrillTimeline): DrillJudgement {
  const b = c.bfd;
  if (!b) return base;
  const budget = `BFD budget ${b.detectMs} ms (max(min_rx, min_tx) × mult: ${b.timers})`;
  if (b.downMs === null && b.upperBoundMs === undefined) {
    const line = t.newPrimaryMs !== null
      ? `BFD toward the old gateway stayed up on the watching standby while another chassis took over (${budget})`
      : `BFD toward the old gateway stayed up through the fault (${budget}): no chassis had a reason to take over${base.verdict === 'fail' ? ', yet the client lost the router — the data path failed without BFD noticing' : ', consistent with the client'}`;
    return { ...base, explanation: [...base.explanation, line] };
  }
  // the change happened in (lastUpMs, upper]: late only when even the earliest it can have been is over budget.
  // No poll may have seen it down at all (polls over SSH on a loaded node: clean-clone run 18) while the
  // watcher's own takeover proves it was: that bound dates it, and "stayed up" would be false.
  const bounded = b.upperBoundMs !== undefined && (b.downMs === null || b.upperBoundMs < b.downMs);
  const upper = bounded ? b.upperBoundMs! : b.downMs!;
  const lower = Math.min(b.lastUpMs, upper);
  const late = lower > b.detectMs;
  const seenMs = upper;
  const rel = upper <= b.detectMs ? `≤ ${b.detectMs} ms` : late ? `> ${b.detectMs} ms` : `within ${b.detectMs} ms as far as polling can tell (down between ${lower} and ${upper} ms)`;
  const how = bounded ? ` (down by ${b.boundBy ?? 'a takeover event'}; ${b.downMs === null ? 'no poll saw it down' : `the poll saw it at ${b.downMs} ms`})` : late || upper <= b.detectMs ? ` (a poll started at ${lower} ms still saw it up)` : '';
  const line = `BFD detection seen ${seenMs} ms after the fault, ${rel}${how}: ${budget}`;
  if (!late) return { ...base, message: `${base.message}; BFD detection ${seenMs} ms ${rel}`, explanation: [...base.explanation, line] };
  if (base.verdict === 'pass') {
    return { verdict: 'warn', message: `${base.message}; BFD detection ${seenMs} ms over its budget ${b.detectMs} ms (the client still recovered in time)`, explanation: [...base.explanation, line] };
  }
  return { ...base, message: `${base.message}; BFD detection ${seenMs} ms over its budget ${b.detectMs} ms`, explanation: [...base.explanation, `${line}: the late detection delayed the takeover`] };
}

export function judgeOvnDrill(t: DrillTimeline, budgetMs: number, c: OvnDrillContext): DrillJudgement {
  if (t.cancelled) return judgeDrill(t, budgetMs);
  const dated = dateClaimByGarp(t);
  const judged = judgeGarpPattern(judgeBfd(judgeTakeover(dated.timeline, budgetMs, c), c, t), c);
  return dated.line ? { ...judged, explanation: [...judged.explanation, dated.line] } : judged;
}

/**
 * The claim as the Southbound poll saw it comes late by up to a poll (an ovn-sbctl over SSH, ~1 s
 * and more on a loaded host); the new chassis' own G-ARP of the router's addresses is sent once
 * it claims cr-lrp (nat-addresses=router: pinctrl announces for the ports bound to its chassis),
 * so an earlier G-ARP from it dates the claim. Without this a takeover whose G-ARP came at 3.9 s
 * and whose client lost 415 ms failed as "new primary after 5148 ms > budget 5000 ms" (clean-clone
 * run of 2026-12-01): a false alarm made by the poll.
 */
export function dateClaimByGarp(t: DrillTimeline): { timeline: DrillTimeline; line?: string } {
  return dateTakeoverByGarp(t, (who, garpMs, polledMs) =>
    `${who}'s claim is dated by its first G-ARP at ${garpMs} ms (it announces the router's addresses once it claims cr-lrp); the Southbound poll saw the claim at ${polledMs} ms`, 'the new chassis');
}

/**
 * G-ARPs that are not the pattern of the new gateway's ovn-controller: a warn on a passing
 * takeover (the failover worked; the announcements are not what this OVN version sends, as
 * `garp verify` would fail them), a line of the explanation otherwise.
 */
export function judgeGarpPattern(base: DrillJudgement, c: OvnDrillContext): DrillJudgement {
  const g = c.garpPattern;
  if (!g) return base;
  const explanation = [...base.explanation, g.line];
  if (g.fits || base.verdict !== 'pass') return { ...base, explanation };
  return { verdict: 'warn', message: `${base.message}; its G-ARPs are not the pattern of its ovn-controller`, explanation };
}

function judgeTakeover(t: DrillTimeline, budgetMs: number, c: OvnDrillContext): DrillJudgement {
  if (t.newPrimaryMs !== null) return judgeDrill(t, budgetMs);
  if (c.standbys === 0) {
    return { verdict: 'skip', message: 'no failover to judge: the port has no other gateway chassis in its HA list (one gateway only)', explanation: [] };
  }
  const clientOk = t.outageMs === undefined || (t.outageMs !== null && t.outageMs <= budgetMs);
  if (c.stillClaimedByOld && clientOk) {
    const client = t.outageMs === undefined ? 'the client was not measured' : `the client saw ${t.outageMs} ms outage (≤ budget ${budgetMs} ms)`;
    const why = c.fault === 'stop-ovn-controller'
      ? 'stopping ovn-controller leaves ovs-vswitchd running: its BFD sessions stay up and the installed flows keep forwarding, so no other chassis takes cr-lrp (OVN ≤ 23.x; ovn-appctl exit or a dead host would)'
      : 'the old gateway kept its claim';
    return {
      verdict: 'skip',
      message: `inconclusive: the fault did not fail the gateway (cr-lrp stayed on the old chassis; ${client}) — the failover was not exercised; try --fault tunnel-down`,
      explanation: [why],
    };
  }
  return judgeDrill(t, budgetMs);
}
