import type { GarpVerdict } from '../capture/verdict';

/**
 * When a verify capture may end (pure). Times are seconds on the capture clock.
 * - the trigger (association) must have returned;
 * - the required frames of the pattern were counted and nothing came for `settleMs`
 *   (so a surplus frame is still seen: too-many);
 * - or the deadline passed without a counted frame and the wire was quiet for `settleMs`;
 * - or the hard cap: deadline + the pattern's required span + settle.
 */
export interface WatchState {
  now: number;
  windowStart: number;
  triggerDone: boolean;
  verdict: GarpVerdict;
  /** time of the last frame that concerns the FIP, seconds */
  lastRelevantTs?: number;
  deadlineMs: number;
  requiredSpanMs: number;
  settleMs: number;
}

export function shouldStopWatching(s: WatchState): { stop: boolean; why?: string } {
  const elapsedMs = (s.now - s.windowStart) * 1000;
  const quietMs = s.lastRelevantTs === undefined ? elapsedMs : (s.now - s.lastRelevantTs) * 1000;
  if (elapsedMs >= s.deadlineMs + s.requiredSpanMs + s.settleMs) return { stop: true, why: 'hard cap (deadline + pattern span)' };
  if (!s.triggerDone) return { stop: false };
  if (s.verdict.counted >= s.verdict.expected.required && s.verdict.counted > 0 && quietMs >= s.settleMs) return { stop: true, why: 'pattern complete' };
  if (elapsedMs >= s.deadlineMs && s.verdict.counted === 0 && quietMs >= s.settleMs) return { stop: true, why: 'deadline passed' };
  return { stop: false };
}
