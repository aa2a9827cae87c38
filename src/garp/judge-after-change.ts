import { GarpJudge } from '../capture/garp-judge';
import type { CapturedFrame } from '../capture/types';
import type { GarpExpectation, GarpVerdict } from '../capture/verdict';

/**
 * Frames of the FIP captured before the change was requested belong to the state before it:
 * the tail of the previous association's announcement rounds (neutron's arping runs outlive
 * the router update; clean-clone run 6 of issue 16 saw an `arping -A` at +417 ms, before the
 * API call, judged wrong-shape), or the old router answering until NAT is gone. Judging them
 * as the change's consequence is a false FAIL (issue 14). They are set aside, and said.
 */

export interface SetAside {
  /** frames naming the FIP (sender or target IP) between the window start and the change */
  before: CapturedFrame[];
  /** one line for the run's warnings, undefined when nothing was set aside */
  note?: string;
}

export function framesBeforeChange(frames: readonly CapturedFrame[], fip: string, windowStart: number, changeAt: number): SetAside {
  const before = frames.filter((f) => f.ts >= windowStart && f.ts < changeAt && f.arp !== undefined && (f.arp.spa === fip || f.arp.tpa === fip));
  if (before.length === 0) return { before };
  const macs = [...new Set(before.map((f) => (f.arp?.sha ?? f.ethSrc ?? '?').toLowerCase()))];
  return {
    before,
    note: `${before.length} ARP frame(s) of ${fip} captured before the change was requested (+${Math.round((changeAt - windowStart) * 1000)} ms) set aside, not judged: they belong to the state before it (from ${macs.join(', ')})`,
  };
}

/**
 * The verdict on the frames from `changeAt` on only, with the same expectation and window start
 * (times stay measured from the window start, the deadline too: never more lenient than the
 * live judge). `sees` is the same routing the live judge used.
 */
export function judgeAfterChange(
  frames: readonly CapturedFrame[],
  expectation: GarpExpectation,
  windowStart: number,
  changeAt: number,
  sees: (f: CapturedFrame) => boolean,
  now: number,
): GarpVerdict {
  const judge = new GarpJudge({ expectations: [expectation], windowStart, watchedIps: [expectation.ip] });
  for (const f of frames) if (f.ts >= changeAt && sees(f)) judge.push(f);
  return judge.verdict(expectation.ip, { now, final: true })!;
}
