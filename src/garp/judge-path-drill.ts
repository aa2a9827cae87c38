import type { Verdict } from '../engine/types';
import type { DrillPath } from '../result/run-result';
import type { DrillCancel, DrillJudgement } from './judge-drill';

/**
 * The verdict of a multi-path drill (pure; issue 9): nova-network multi-NIC (seed 000: "Each of
 * these networks could have its own network host acting as the gateway … a floating IP
 * associated with each of the IPs on the private networks") has no takeover at all. The fault
 * cuts one path; the design's promise is only that the other path keeps answering. So:
 * - the surviving path must answer before the fault and lose at most `budgetMs` after it
 *   (never answering again, or more than the budget, is a FAIL);
 * - the cut path is expected to stay down for the whole fault and that is said, not judged: it
 *   is the design. A cut path that kept answering means the fault did not cut it (nothing
 *   proven: WARN), one that came back during the fault is noted (something took it over);
 * - G-ARPs after the fault are listed: nothing moves in this design, none are expected.
 */
export interface PathObservation extends DrillPath {
  /** replies the upstream saw on this path before the fault */
  repliesBefore: number;
}

export interface PathDrillInput {
  paths: PathObservation[];
  /** G-ARPs for any path's address after the fault, ms after it */
  garps: { node: string; ip: string; tMs: number }[];
  cancelled?: DrillCancel;
  restored?: string[];
}

const RANK: Record<Verdict, number> = { pass: 0, skip: 0, warn: 1, fail: 2, error: 3 };
const worse = (a: Verdict, b: Verdict): Verdict => (RANK[b] > RANK[a] ? b : a);

const where = (p: DrillPath): string => {
  const on = [p.network, p.host].filter((x) => x !== undefined).join(', ');
  return on ? `${p.target} (${on})` : p.target;
};

/** the surviving path's verdict and sentence */
function judgeSurviving(p: PathObservation, budgetMs: number): { verdict: Verdict; line: string } {
  const at = where(p);
  if (p.outageMs === undefined) return { verdict: 'warn', line: `surviving path ${at} not measured (no upstream ping): the design's promise is not proven` };
  if (p.repliesBefore === 0) return { verdict: 'fail', line: `surviving path ${at} did not answer even before the fault: there is no second path` };
  if (p.outageMs === null) return { verdict: 'fail', line: `surviving path ${at} stopped answering after the fault and did not come back: the paths are not independent` };
  if (p.outageMs > budgetMs) return { verdict: 'fail', line: `surviving path ${at} lost ${p.outageMs} ms > budget ${budgetMs} ms` };
  return { verdict: 'pass', line: `surviving path ${at} stayed reachable (outage ${p.outageMs} ms ≤ budget ${budgetMs} ms)` };
}

/** the cut path's sentence; warn only when the fault did not cut it (the drill then proves nothing) */
function describeCut(p: PathObservation): { verdict: Verdict; line: string } {
  const at = where(p);
  if (p.outageMs === undefined) return { verdict: 'pass', line: `cut path ${at} not measured` };
  if (p.repliesBefore === 0) return { verdict: 'warn', line: `cut path ${at} did not answer before the fault: its loss proves nothing` };
  if (p.outageMs === 0) return { verdict: 'warn', line: `cut path ${at} kept answering: the fault did not cut it, nothing proven` };
  if (p.outageMs === null) return { verdict: 'pass', line: `cut path ${at} down for the whole fault, as designed: nothing takes it over (reachable again only when its host is back)` };
  return { verdict: 'pass', line: `cut path ${at} answered again ${p.outageMs} ms into the fault (something took it over: not part of this design)` };
}

export function judgePathDrill(t: PathDrillInput, budgetMs: number): DrillJudgement {
  if (t.cancelled?.phase === 'before-fault') return { verdict: 'fail', message: `cancelled (${t.cancelled.reason}) before the fault: nothing was injected, nothing measured`, explanation: [] };
  if (t.cancelled) {
    const restored = t.restored && t.restored.length > 0 ? `restored: ${t.restored.join('; ')}` : 'restore attempted (see warnings)';
    return { verdict: 'fail', message: `cancelled (${t.cancelled.reason}) after the fault, paths not measured to the end; ${restored}`, explanation: [] };
  }
  let verdict: Verdict = 'pass';
  const parts: string[] = [];
  const surviving = t.paths.filter((p) => p.role === 'surviving');
  if (surviving.length === 0) {
    verdict = 'warn';
    parts.push('no surviving path measured');
  }
  for (const p of surviving) {
    const j = judgeSurviving(p, budgetMs);
    verdict = worse(verdict, j.verdict);
    parts.push(j.line);
  }
  for (const p of t.paths.filter((x) => x.role === 'cut')) {
    const j = describeCut(p);
    verdict = worse(verdict, j.verdict);
    parts.push(j.line);
  }
  const explanation = t.garps.map((g) => `G-ARP for ${g.ip} from ${g.node} at +${g.tMs} ms`);
  parts.push(t.garps.length === 0 ? 'no G-ARP after the fault (nothing moved)' : `${t.garps.length} G-ARP(s) after the fault`);
  return { verdict, message: parts.join('; '), explanation };
}
