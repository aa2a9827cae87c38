import * as fs from 'fs';
import * as path from 'path';
import { expect } from 'chai';

/**
 * Tools of the hostile-output suites (issue 8): a seeded PRNG so a failure reproduces, real
 * outputs from the repository's own fixtures (never ../shared), and timing that holds on a
 * loaded 2-core machine (the fastest of interleaved runs, sizes grown until a run takes long
 * enough to beat timer noise).
 */

const ROOT = path.resolve(__dirname, '../../../test');

export function readTestFile(rel: string): string {
  return fs.readFileSync(path.join(ROOT, rel), 'utf8');
}

export function readTestBytes(rel: string): Buffer {
  return fs.readFileSync(path.join(ROOT, rel));
}

/** A fixture without its `#source:`/`#what:` header (and the blank line after it). */
export function fixtureBody(rel: string): string {
  const lines = readTestFile(rel).split('\n');
  let i = 0;
  while (i < lines.length && lines[i].startsWith('#')) i++;
  if (i > 0 && lines[i] === '') i++;
  return lines.slice(i).join('\n');
}

/** mulberry32: deterministic, so a failing input is the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

/** a stable seed from a name */
export function seedOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Milliseconds one call takes. */
export function timeMs(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs `run` and fails if it throws or takes longer than `boundMs` (the per-input time bound). */
export function expectFastAndTotal(what: string, boundMs: number, run: () => void): void {
  let error: unknown;
  const ms = timeMs(() => {
    try {
      run();
    } catch (e) {
      error = e;
    }
  });
  if (error !== undefined) expect.fail(`${what} threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  expect(ms, `${what} took ${ms.toFixed(0)} ms (bound ${boundMs} ms)`).to.be.below(boundMs);
}

/**
 * The fastest of several runs. On a shared machine the noise only ever adds time (another
 * process holds the core, a GC of someone else's garbage), so the minimum is the stable
 * estimate; medians of 7 runs still moved ×3–×10 between sizes here while 8 sessions shared 2 cores.
 */
function fastest(xs: number[]): number {
  return Math.min(...xs);
}

export interface Scaling {
  size: number;
  ms: number;
  doubledMs: number;
  ratio: number;
  /** the size could not grow further and one run stayed under the floor */
  capped: boolean;
}

/**
 * Time of `run(make(size))` against 2× and 4× the size: the size grows from `start` until one
 * run takes `floorMs` (so timer noise is small against it; capped at `maxSize`), then the three
 * sizes run interleaved `reps` times; the ratio per doubling is √(t(4n) / t(n)) of the fastest
 * runs. Inputs are built outside the timing.
 */
export function measureScaling(make: (size: number) => string, run: (input: string) => void, start: number, opts: { floorMs?: number; maxSize?: number; reps?: number } = {}): Scaling {
  const floorMs = opts.floorMs ?? FLOOR_MS;
  const maxSize = opts.maxSize ?? 1 << 20;
  const reps = opts.reps ?? 7;
  let size = start;
  let input = flatten(make(size));
  run(input); // warm up (JIT)
  let capped = false;
  // the faster of two runs: a spike from a neighbour must not stop the growth early
  while (Math.min(timeMs(() => run(input)), timeMs(() => run(input))) < floorMs) {
    if (size * 2 > maxSize) {
      capped = true;
      break;
    }
    size *= 2;
    input = flatten(make(size));
  }
  const doubled = flatten(make(size * 2));
  const quadrupled = flatten(make(size * 4));
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < reps; i++) {
    a.push(timeMs(() => run(input)));
    b.push(timeMs(() => run(doubled)));
    c.push(timeMs(() => run(quadrupled)));
  }
  const ms = fastest(a);
  const doubledMs = fastest(b);
  // per doubling, over two doublings: one GC step between two sizes does not decide alone
  const ratio = Math.sqrt(fastest(c) / Math.max(ms, 0.05));
  return { size, ms, doubledMs, ratio, capped };
}

const FLOOR_MS = 15;
const MAX_RATIO = 3;

/**
 * A flat copy of a string, as a node's output is (decoded from one Buffer). Strings built by
 * concatenation are trees that V8 flattens on first use inside the timed run, at a cost that
 * is not the parser's.
 */
function flatten(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/**
 * Doubling the input must at most ~3× the time (linear, with slack for GC and a loaded machine).
 * A measurement over the limit is taken again (up to 3 times): a super-linear parser fails every
 * time (ratio ≥ 4), a noisy neighbour rarely three times in a row. A doubled run under 2.5× the
 * floor is too short to judge and passes: linear code stays under it where quadratic code (≥ 4×
 * the floor-sized run) does not.
 */
export function expectLinear(what: string, make: (size: number) => string, run: (input: string) => void, start: number, opts: { maxSize?: number } = {}): Scaling {
  let last: Scaling | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    last = measureScaling(make, run, start, opts);
    // ×3 per doubling: linear with GC and cache effects of a 1 MB line stays under it on a loaded
    // 2-core machine (×2.93 seen once), quadratic (×4) and worse does not
    if (last.ratio <= MAX_RATIO || last.doubledMs < 2.5 * FLOOR_MS) return last;
  }
  const s = last as Scaling;
  expect.fail(`${what}: ${s.size} → ${s.ms.toFixed(1)} ms, ${s.size * 2} → ${s.doubledMs.toFixed(1)} ms, ×${s.ratio.toFixed(2)} per doubling up to ${s.size * 4} (limit ×${MAX_RATIO})`);
  return s;
}

/** `unit` repeated to `size` characters (a whole number of units), between a prefix and a suffix. */
export function hugeLine(prefix: string, unit: string, suffix: string, size: number): string {
  return prefix + unit.repeat(Math.max(1, Math.floor(size / unit.length))) + suffix;
}
