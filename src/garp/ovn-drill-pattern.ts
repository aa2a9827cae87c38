import { fitPattern } from '../capture/fit-pattern';
import { PATTERNS, type PatternId } from '../capture/patterns';

/**
 * The takeover's G-ARPs in `drill failover -p ovn` judged against the pattern of the new
 * gateway's ovn-controller version (issue 11), as `garp verify -p ovn` does (ovnGarpPatternFor):
 * 23.03.0–.2 backs off 2, 4, 8, 16 s (`ovn-stop-16s`), 0d021216c (23.09, 23.03.3+) 1, 2, 4, 8 s
 * (`ovn-stop-8s`). A drill holds the fault only a few seconds past the first G-ARP, so what is
 * judged is the start of the pattern: the frames seen must fit it so far. Pure.
 */

/** how long after the takeover's first G-ARP the drill keeps watching for the second one: the pattern's first gap, at its latest */
export function secondGarpWaitMs(pattern: PatternId): number {
  const p = PATTERNS[pattern];
  const ids = p.oneOf ?? [pattern];
  const gaps = ids.map((id) => PATTERNS[id].steps[1]?.maxGapMs ?? 0);
  return Math.max(0, ...gaps);
}

export interface TakeoverPatternJudgement {
  /** the frames seen fit the start of the pattern (or too few were seen to tell) */
  fits: boolean;
  /** one line for the drill's explanation */
  line: string;
}

/**
 * `frames`: the new gateway's G-ARPs for the router's addresses from its first on, seconds, one
 * address (the gateway address the client pings, so the frames are one sequence), in order.
 */
export function judgeTakeoverPattern(node: string, frames: readonly number[], pattern: PatternId, source: string): TakeoverPatternJudgement {
  if (frames.length === 0) return { fits: true, line: `${node} sent no G-ARP while watched: its pattern ${pattern} (${source}) not judged` };
  const gaps = frames.slice(1).map((t, i) => Math.round((t - frames[i]!) * 1000));
  const seen = `${frames.length} G-ARP(s) from ${node}${gaps.length > 0 ? `, gaps ${gaps.join(', ')} ms` : ''}`;
  const fit = fitPattern(frames.map((ts) => ({ ts, op: 'request' as const })), pattern);
  if (!fit.ok) return { fits: false, line: `${seen}: not the pattern of its ovn-controller, ${pattern} (${source}): ${fit.problem?.detail ?? 'no fit'}` };
  const how = frames.length < 2 ? 'one frame seen, the spacing not judged' : fit.complete ? 'complete' : 'as far as the drill watched';
  return { fits: true, line: `${seen}: fits ${fit.matched ?? pattern} (${source}), ${how}` };
}
