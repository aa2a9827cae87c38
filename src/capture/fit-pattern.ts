import type { GarpPattern, PatternId, PatternStep } from './patterns';
import { PATTERNS, resolvePattern } from './patterns';

/**
 * Fit the correct G-ARPs seen for one IP (time order) to an expected pattern (patterns.ts).
 * Pure. A sequence is aligned frame by frame; `oneOf` keeps the alternative that explains the
 * frames best; `union` splits the frames between its senders by a memoised search (frames of
 * keepalived's burst and arping's `-U` requests are the same bytes, so only a search that tries
 * both owners can tell whether the whole capture fits).
 */

export interface FitFrame {
  /** seconds */
  ts: number;
  op: 'request' | 'reply';
}

export type FitCause = 'too-many' | 'wrong-shape' | 'bad-spacing';

export interface PatternFit {
  /** every frame has a place in the pattern */
  ok: boolean;
  problem?: { cause: FitCause; detail: string };
  /** every required step (of every required part) has a frame */
  complete: boolean;
  /** frames the pattern needs at least / sends at most */
  required: number;
  max: number;
  /** which alternative or parts the frames were fitted to, when the pattern is composite */
  matched?: string;
  /** 1-based number of the first frame that has no place (not ok only); too-many: max + 1 */
  failedAt?: number;
}

/** a previous fit of the same plain sequence over the first `from` frames (live judging appends) */
export interface FitResume {
  from: number;
  previous: PatternFit;
}

export function fitPattern(frames: readonly FitFrame[], p: PatternId | GarpPattern, resume?: FitResume): PatternFit {
  const pattern = resolvePattern(p);
  if (pattern.oneOf) return fitOneOf(frames, pattern);
  if (pattern.union) return fitUnion(frames, pattern);
  return fitSequence(frames, pattern, resume);
}

/** a plain sequence can be resumed: only the frames after `from` are checked (O(new frames)) */
export function isPlainSequence(p: PatternId | GarpPattern): boolean {
  const pattern = resolvePattern(p);
  return !pattern.oneOf && !pattern.union;
}

function requiredOf(p: GarpPattern): number {
  if (p.oneOf) return Math.min(...p.oneOf.map((id) => requiredOf(PATTERNS[id])));
  if (p.union) {
    const req = p.union.filter((u) => !u.optional).map((u) => requiredOf(PATTERNS[u.pattern]));
    return req.length > 0 ? req.reduce((a, b) => a + b, 0) : Math.min(...p.union.map((u) => requiredOf(PATTERNS[u.pattern])));
  }
  return p.steps.filter((s) => !s.optional).length;
}

function maxOf(p: GarpPattern): number {
  if (p.oneOf) return Math.max(...p.oneOf.map((id) => maxOf(PATTERNS[id])));
  if (p.union) return p.union.reduce((a, u) => a + maxOf(PATTERNS[u.pattern]), 0);
  if (p.tail) return Number.POSITIVE_INFINITY;
  return p.steps.length + p.extraAllowed;
}

/** the step frame number k (0-based) of a sequence must fit, undefined = beyond the pattern; 'free' = an extra frame */
function stepsAt(p: GarpPattern, k: number): PatternStep[] | 'free' | undefined {
  if (k < p.steps.length) return [p.steps[k]];
  if (p.tail) return p.tail;
  if (k < p.steps.length + p.extraAllowed) return 'free';
  return undefined;
}

function fits(step: PatternStep, f: FitFrame, prev: FitFrame | undefined, noSpacing: boolean | undefined): 'ok' | 'op' | 'gap' {
  if (step.op !== 'any' && step.op !== f.op) return 'op';
  if (prev === undefined || noSpacing) return 'ok';
  const gap = (f.ts - prev.ts) * 1000;
  return gap >= step.minGapMs && gap <= step.maxGapMs ? 'ok' : 'gap';
}

function fitSequence(frames: readonly FitFrame[], p: GarpPattern, resume?: FitResume): PatternFit {
  const required = requiredOf(p);
  const max = maxOf(p);
  const base = { required, max, complete: frames.length >= required };
  if (frames.length > max) {
    // interleaved duplicates cannot be aligned with the steps: report the surplus only
    return { ...base, ok: false, failedAt: max + 1, problem: { cause: 'too-many', detail: `${frames.length} G-ARPs, ${p.id} sends at most ${p.steps.length}` } };
  }
  const from = resume && resume.previous.ok && resume.from <= frames.length ? resume.from : 0;
  for (let i = from; i < frames.length; i++) {
    const steps = stepsAt(p, i);
    if (steps === 'free') continue;
    if (steps === undefined) return { ...base, ok: false, failedAt: i + 1, problem: { cause: 'too-many', detail: `${frames.length} G-ARPs, ${p.id} sends at most ${p.steps.length}` } };
    const results = steps.map((s) => fits(s, frames[i], frames[i - 1], p.noSpacing));
    if (results.includes('ok')) continue;
    if (results.every((r) => r === 'op')) {
      const want = steps[0].op;
      return { ...base, ok: false, failedAt: i + 1, problem: { cause: 'wrong-shape', detail: `frame ${i + 1} is a ${frames[i].op}, ${p.id} sends a ${want} there` } };
    }
    const gap = Math.round((frames[i].ts - frames[i - 1].ts) * 1000);
    const ranges = steps.filter((s) => s.op === 'any' || s.op === frames[i].op).map((s) => `${s.minGapMs}–${s.maxGapMs}`).join(' or ');
    return { ...base, ok: false, failedAt: i + 1, problem: { cause: 'bad-spacing', detail: `gap before frame ${i + 1} is ${gap} ms, ${p.id} expects ${ranges} ms` } };
  }
  return { ...base, ok: true };
}

/** ok and complete first, then ok, then the one whose failure comes latest (explains most frames) */
function rank(f: PatternFit, failedAt: number): number {
  if (f.ok && f.complete) return 3e6;
  if (f.ok) return 2e6;
  return failedAt;
}

function failIndex(f: PatternFit): number {
  return f.failedAt ?? 0;
}

function fitOneOf(frames: readonly FitFrame[], p: GarpPattern): PatternFit {
  let best: { fit: PatternFit; id: PatternId; score: number } | undefined;
  for (const id of p.oneOf ?? []) {
    const fit = fitPattern(frames, id);
    const score = rank(fit, failIndex(fit));
    if (!best || score > best.score) best = { fit, id, score };
  }
  const b = best as { fit: PatternFit; id: PatternId };
  return { ...b.fit, required: requiredOf(p), max: maxOf(p), matched: b.fit.matched ?? b.id };
}

/**
 * Union of senders. A union whose parts are composites expands into every combination of
 * plain sequences (a handful); each combination is searched frame by frame, every frame given
 * to a part whose next step it fits, memoising failed states (frame index, per-part count,
 * per-part last frame), which bounds the work by frames × states — small, since each part
 * sends at most a dozen frames and `max` is checked first.
 */
function fitUnion(frames: readonly FitFrame[], p: GarpPattern): PatternFit {
  const required = requiredOf(p);
  const max = maxOf(p);
  if (frames.length > max) {
    return { ok: false, complete: frames.length >= required, required, max, failedAt: max + 1, problem: { cause: 'too-many', detail: `${frames.length} G-ARPs, ${p.id} sends at most ${max}` } };
  }
  let best: { fit: PatternFit; score: number } | undefined;
  for (const combo of expandParts(p)) {
    const fit = searchUnion(frames, combo, p.id, required, max);
    const score = rank(fit, failIndex(fit));
    if (!best || score > best.score) best = { fit, score };
    if (fit.ok && fit.complete) break;
  }
  return (best as { fit: PatternFit }).fit;
}

interface PlainPart {
  pattern: GarpPattern;
  optional: boolean;
}

function expandParts(p: GarpPattern): PlainPart[][] {
  let combos: PlainPart[][] = [[]];
  for (const u of p.union ?? []) {
    const choices = plainChoices(PATTERNS[u.pattern]);
    combos = combos.flatMap((c) => choices.map((ch) => [...c, { pattern: ch, optional: u.optional === true }]));
  }
  return combos;
}

function plainChoices(p: GarpPattern): GarpPattern[] {
  if (p.oneOf) return p.oneOf.flatMap((id) => plainChoices(PATTERNS[id]));
  return [p];
}

function searchUnion(frames: readonly FitFrame[], parts: PlainPart[], id: PatternId, required: number, max: number): PatternFit {
  const n = frames.length;
  const count = parts.map(() => 0);
  const last = parts.map(() => -1);
  const failed = new Set<string>();
  let deepest = 0;
  let deepestReason: 'op' | 'gap' = 'op';
  const partComplete = (j: number): boolean => count[j] >= requiredOf(parts[j].pattern);
  const isComplete = (): boolean => {
    const req = parts.map((_, j) => j).filter((j) => !parts[j].optional);
    return req.length > 0 ? req.every(partComplete) : parts.some((_, j) => partComplete(j));
  };
  let completeFound = false;
  let okFound = false;
  const dfs = (i: number): boolean => {
    if (i === n) {
      okFound = true;
      if (isComplete()) completeFound = true;
      return completeFound;
    }
    const key = `${i}|${count.join(',')}|${last.join(',')}`;
    if (failed.has(key)) return false;
    let reason: 'op' | 'gap' = 'op';
    for (let j = 0; j < parts.length; j++) {
      const steps = stepsAt(parts[j].pattern, count[j]);
      if (steps === undefined) continue;
      const prev = last[j] >= 0 ? frames[last[j]] : undefined;
      const r = steps === 'free' ? ['ok'] : steps.map((s) => fits(s, frames[i], prev, parts[j].pattern.noSpacing));
      if (!r.includes('ok')) {
        if (r.includes('gap')) reason = 'gap';
        continue;
      }
      const saved = last[j];
      count[j]++;
      last[j] = i;
      const done = dfs(i + 1);
      count[j]--;
      last[j] = saved;
      if (done) return true;
    }
    if (i >= deepest) {
      deepest = i;
      deepestReason = reason;
    }
    failed.add(key);
    return false;
  };
  dfs(0);
  const matched = parts.map((x) => x.pattern.id).join(' + ');
  if (completeFound) return { ok: true, complete: true, required, max, matched };
  if (okFound) return { ok: true, complete: false, required, max, matched };
  const f = frames[deepest];
  const detail =
    deepestReason === 'op'
      ? `frame ${deepest + 1} is a ${f.op}, no sender of ${id} (${matched}) sends one there`
      : `frame ${deepest + 1} at a gap no sender of ${id} (${matched}) keeps`;
  return { ok: false, complete: false, required, max, matched, failedAt: deepest + 1, problem: { cause: deepestReason === 'op' ? 'wrong-shape' : 'bad-spacing', detail } };
}
