import type { CapturedFrame } from './types';
import type { ArpClass, ArpClassification, GarpShape } from './classify';
import { classifyArp, isGarp } from './classify';
import type { GarpPattern, PatternId } from './patterns';
import { fullSpanMs, requiredSpanMs, resolvePattern } from './patterns';
import { fitPattern, isPlainSequence, type FitFrame, type PatternFit } from './fit-pattern';

/**
 * G-ARP verdicts (DESIGN "G-ARP: what counts"): correct = right shape, from the MAC that must
 * own the IP after the event, on the right node and device, in the expected count and spacing,
 * within the deadline. Pure: the caller passes the frames, the event time and "now".
 */

export interface GarpExpectation {
  ip: string;
  /** the MAC that must own the IP after the event */
  mac: string;
  node?: string;
  device?: string;
  pattern: PatternId | GarpPattern;
  /** the first correct G-ARP must arrive within this many ms after the event */
  deadlineMs: number;
  /**
   * other MACs of the announcer (the router's ports on that node): a `who-has IP tell X`
   * sent from one of them (or from `mac`) is a failed announcement; from any other MAC it is
   * a peer resolving the address, shown as context and never held against anyone
   */
  announcerMacs?: string[];
}

export interface ArpEvent {
  frame: CapturedFrame;
  classification: ArpClassification;
}

export type VerdictStatus = 'PASS' | 'FAIL' | 'INCONCLUSIVE';

export type FailCause =
  | 'no-garp'
  | 'wrong-sender-ip'
  | 'wrong-mac'
  | 'wrong-node'
  | 'wrong-device'
  | 'wrong-shape'
  | 'too-few'
  | 'too-many'
  | 'bad-spacing'
  | 'late'
  | 'ip-claimed-by-two-macs';

export interface VerdictProblem {
  cause: FailCause;
  detail: string;
}

/**
 * 'peer-request': another host resolving the IP (context); 'received': a correct G-ARP the
 * labelled node only received (direction 'in': not its announcement, e.g. a backup's qg-)
 */
export type TimelineRole =
  | 'counted'
  | 'wrong-mac'
  | 'wrong-node'
  | 'wrong-device'
  | 'not-garp'
  | 'near-miss'
  | 'other-claim'
  | 'peer-request'
  | 'received'
  | 'probe'
  | 'before-window';

export interface TimelineEntry {
  /** seconds relative to the event (windowStart), millisecond precision */
  t: number;
  node?: string;
  device?: string;
  kind: ArpClass;
  shape?: GarpShape;
  op: number;
  sha?: string;
  spa?: string;
  tpa?: string;
  role: TimelineRole;
  note?: string;
}

export interface GarpVerdict {
  ip: string;
  mac: string;
  pattern: PatternId;
  status: VerdictStatus;
  /** the first (most important) problem when status is FAIL */
  cause?: FailCause;
  problems: VerdictProblem[];
  /** correct G-ARPs counted against the pattern */
  counted: number;
  expected: { required: number; max: number };
  /** ms from the event to the first correct G-ARP */
  firstGarpAfterMs?: number;
  timeline: TimelineEntry[];
  notes: string[];
}

export interface JudgeOptions {
  /** the event time, seconds on the capture clock (frames before it are ignored) */
  windowStart: number;
  /** overrides expectation.deadlineMs */
  deadlineMs?: number;
  /** "now" on the capture clock, seconds; default: the last frame's time */
  now?: number;
  /** the capture is over: nothing more will come */
  final?: boolean;
}

/** order of importance when several problems hold */
const CAUSE_ORDER: FailCause[] = [
  'no-garp',
  'wrong-mac',
  'wrong-node',
  'wrong-device',
  'wrong-sender-ip',
  'wrong-shape',
  'ip-claimed-by-two-macs',
  'late',
  'too-few',
  'too-many',
  'bad-spacing',
];

export function judgeGarp(events: readonly (ArpEvent | CapturedFrame)[], expectation: GarpExpectation, options: JudgeOptions): GarpVerdict {
  const acc = new GarpAccumulator(expectation, options.windowStart);
  const frames = events.map((e) => ('frame' in e ? e.frame : e)).filter((f) => f.kind === 'arp');
  frames.sort((a, b) => a.ts - b.ts);
  for (const f of frames) acc.add(f);
  return acc.verdict(options);
}

/** insert keeping ts order; equal times keep arrival order (as a stable sort of the arrivals would) */
function insertSorted<T>(list: T[], item: T, ts: (x: T) => number): number {
  const t = ts(item);
  if (list.length === 0 || ts(list[list.length - 1]) <= t) {
    list.push(item);
    return list.length - 1;
  }
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts(list[mid]) <= t) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
  return lo;
}

/** the part of a ts-sorted list at or before `now` (the list itself when nothing is later: no copy) */
function upTo<T>(list: T[], now: number, ts: (x: T) => number): T[] {
  if (list.length === 0 || ts(list[list.length - 1]) <= now) return list;
  return list.filter((x) => ts(x) <= now);
}

const evTs = (e: ArpEvent): number => e.frame.ts;

/**
 * The state of one expectation's judgement, fed frame by frame (any order). `judgeGarp` (batch)
 * and the live GarpJudge share it, so a verdict costs the same whether it is the first or the
 * thousandth: adding a frame is O(log n) (plus an insertion far from the end, rare: frames of
 * several capture points arrive nearly in order), a verdict is O(frames that count) — not a
 * re-judgement of the whole capture (issue 15: live judging was quadratic).
 */
export class GarpAccumulator {
  private readonly ip: string;
  private readonly mac: string;
  private readonly announcers: Set<string>;
  private readonly timeline: TimelineEntry[] = [];
  /** capture times of `timeline`, same order (seconds) */
  private readonly timelineTs: number[] = [];
  private readonly counted: ArpEvent[] = [];
  /** `counted` as the pattern fit sees them, same order */
  private readonly countedFit: FitFrame[] = [];
  /** the last fit over every counted frame, resumable while frames are only appended */
  private fitCache?: { n: number; fit: PatternFit };
  /** node|device of counted frames → earliest, for the "several capture points" note */
  private readonly sources = new Map<string, number>();
  private readonly wrongMac: ArpEvent[] = [];
  private readonly wrongPlace: ArpEvent[] = [];
  private readonly notGarp: ArpEvent[] = [];
  private readonly nearMiss: ArpEvent[] = [];
  /** MAC → earliest claim (sender IP = the IP) after the window start, seconds */
  private readonly claimMacs = new Map<string, number>();
  private lastTs: number;

  constructor(
    private readonly expectation: GarpExpectation,
    private readonly start: number,
  ) {
    this.ip = expectation.ip;
    this.mac = expectation.mac.toLowerCase();
    this.announcers = new Set([this.mac, ...(expectation.announcerMacs ?? []).map((m) => m.toLowerCase())]);
    this.lastTs = start;
  }

  /** one ARP frame (others are ignored) */
  add(frame: CapturedFrame): void {
    if (frame.kind !== 'arp' || !frame.arp) return;
    if (frame.ts > this.lastTs) this.lastTs = frame.ts;
    const ip = this.ip;
    const exp = this.expectation;
    const c = classifyArp(frame, { watchedIps: [ip], announcerMacs: this.announcers }) as ArpClassification;
    const arp = frame.arp;
    if (!(c.ip === ip || arp.spa === ip || arp.tpa === ip)) return;
    const ev: ArpEvent = { frame, classification: c };
    const entry: TimelineEntry = {
      t: Math.round((frame.ts - this.start) * 1000) / 1000,
      node: frame.node,
      device: frame.device,
      kind: c.class,
      shape: c.shape,
      op: arp.op,
      sha: arp.sha ?? frame.ethSrc,
      spa: arp.spa,
      tpa: arp.tpa,
      role: 'other-claim',
    };
    const at = insertSorted(this.timelineTs, frame.ts, (x) => x);
    this.timeline.splice(at, 0, entry);
    if (frame.ts < this.start) {
      entry.role = 'before-window';
      return;
    }
    if (c.class === 'probe') {
      entry.role = 'probe';
      return;
    }
    const claimMac = c.mac?.toLowerCase();
    if (arp.spa === ip && claimMac) {
      const first = this.claimMacs.get(claimMac);
      if (first === undefined || frame.ts < first) this.claimMacs.set(claimMac, frame.ts);
    }
    if (isGarp(c) && c.ip === ip) {
      if (claimMac !== this.mac) {
        // a foreign MAC claiming the IP is wrong wherever it was seen, sent or received
        entry.role = 'wrong-mac';
        entry.note = `sha ${claimMac} != expected ${this.mac}`;
        insertSorted(this.wrongMac, ev, evTs);
      } else if (frame.direction === 'in') {
        entry.role = 'received';
        entry.note = `received by ${[frame.node, frame.device].filter(Boolean).join(' ') || 'this capture point'}, not sent from it`;
      } else if (exp.node !== undefined && frame.node !== undefined && frame.node !== exp.node) {
        entry.role = 'wrong-node';
        entry.note = `from node ${frame.node}, expected ${exp.node}`;
        insertSorted(this.wrongPlace, ev, evTs);
      } else if (exp.device !== undefined && frame.device !== undefined && frame.device !== exp.device) {
        entry.role = 'wrong-device';
        entry.note = `on ${frame.device}, expected ${exp.device}`;
        insertSorted(this.wrongPlace, ev, evTs);
      } else {
        entry.role = 'counted';
        if (c.unknown.length > 0) entry.note = `not printed by tcpdump: ${c.unknown.join(', ')}`;
        const at = insertSorted(this.counted, ev, evTs);
        this.countedFit.splice(at, 0, { ts: frame.ts, op: c.class === 'garp-request' ? 'request' : 'reply' });
        // inserted before the end: what was fitted before no longer holds
        if (this.fitCache && at < this.fitCache.n) this.fitCache = undefined;
        const src = `${frame.node ?? ''}|${frame.device ?? ''}`;
        const first = this.sources.get(src);
        if (first === undefined || frame.ts < first) this.sources.set(src, frame.ts);
      }
    } else if (c.class === 'announcement-not-garp') {
      entry.role = 'not-garp';
      entry.note = c.reasons.join('; ');
      insertSorted(this.notGarp, ev, evTs);
    } else if (arp.op === 1 && arp.tpa === ip && arp.spa !== ip) {
      entry.role = 'peer-request';
      entry.note = `${claimMac ?? '?'} (${arp.spa ?? '?'}) resolving ${ip}: context, not an announcement`;
    } else if (arp.spa === ip && arp.tpa === ip && c.reasons.length > 0) {
      entry.role = 'near-miss';
      entry.note = c.reasons.join('; ');
      insertSorted(this.nearMiss, ev, evTs);
    }
  }

  /**
   * the pattern fit of the first `n` counted frames (all when undefined); a plain sequence over
   * all frames resumes from the previous fit, so live judging checks only the new frames
   */
  private fitOf(n: number | undefined, pattern: GarpPattern): PatternFit {
    if (n !== undefined) return fitPattern(this.countedFit.slice(0, n), pattern);
    const resume = this.fitCache && isPlainSequence(pattern) ? { from: this.fitCache.n, previous: this.fitCache.fit } : undefined;
    const fit = fitPattern(this.countedFit, pattern, resume);
    this.fitCache = { n: this.countedFit.length, fit };
    return fit;
  }

  verdict(options: Omit<JudgeOptions, 'windowStart'> = {}): GarpVerdict {
    const ip = this.ip;
    const mac = this.mac;
    const exp = this.expectation;
    const pattern = resolvePattern(exp.pattern);
    const deadlineMs = options.deadlineMs ?? exp.deadlineMs;
    const start = this.start;
    const now = options.now ?? this.lastTs;
    const cut = options.now ?? Number.POSITIVE_INFINITY;
    // shared, not copied (a copy per verdict would make live judging quadratic again): the
    // timeline of a verdict taken mid-capture keeps growing with the capture
    const timeline = cut >= (this.timelineTs[this.timelineTs.length - 1] ?? cut) ? this.timeline : this.timeline.slice(0, upperBound(this.timelineTs, cut));
    const counted = upTo(this.counted, cut, evTs);
    const wrongMac = upTo(this.wrongMac, cut, evTs);
    const wrongPlace = upTo(this.wrongPlace, cut, evTs);
    const notGarp = upTo(this.notGarp, cut, evTs);
    const nearMiss = upTo(this.nearMiss, cut, evTs);
    const notes: string[] = [];
    const problems: VerdictProblem[] = [];
    const deadlinePassed = options.final === true || (now - start) * 1000 >= deadlineMs;
    const fit = this.fitOf(counted.length === this.counted.length ? undefined : counted.length, pattern);
    const verdict = (status: VerdictStatus): GarpVerdict => {
      problems.sort((a, b) => CAUSE_ORDER.indexOf(a.cause) - CAUSE_ORDER.indexOf(b.cause));
      const v: GarpVerdict = {
        ip,
        mac,
        pattern: pattern.id,
        status: problems.length > 0 ? 'FAIL' : status,
        problems,
        counted: counted.length,
        expected: { required: fit.required, max: fit.max },
        timeline,
        notes,
      };
      if (v.status === 'FAIL') v.cause = problems[0].cause;
      if (counted.length > 0) v.firstGarpAfterMs = Math.round((counted[0].frame.ts - start) * 1000);
      return v;
    };

    // a G-ARP from another MAC is wrong whatever comes later (alone: wrong-mac; with the right one: two MACs)
    for (const ev of wrongMac.slice(0, 1)) {
      const detail = `G-ARP for ${ip} from ${ev.classification.mac}${where(ev.frame)}, expected ${mac}`;
      problems.push({ cause: counted.length > 0 ? 'ip-claimed-by-two-macs' : 'wrong-mac', detail });
    }
    for (const ev of wrongPlace.slice(0, 1)) {
      const cause: FailCause = ev.frame.node !== exp.node && exp.node !== undefined ? 'wrong-node' : 'wrong-device';
      problems.push({ cause, detail: `G-ARP for ${ip} with the right MAC${where(ev.frame)}, expected ${exp.node ?? ''}${exp.device ? ' ' + exp.device : ''}`.trim() });
    }
    const otherMacs = [...this.claimMacs.entries()].filter(([m, t]) => m !== mac && t <= cut).map(([m]) => m);
    if (counted.length > 0 && wrongMac.length === 0 && otherMacs.length > 0) {
      problems.push({ cause: 'ip-claimed-by-two-macs', detail: `${ip} also claimed by ${otherMacs.join(', ')} (ARP reply/request with that sender) after the event` });
    }

    if (counted.length === 0) {
      if (!deadlinePassed) {
        notes.push(`waiting: no correct G-ARP yet, ${Math.max(0, Math.round(deadlineMs - (now - start) * 1000))} ms left before the deadline`);
        return verdict('INCONCLUSIVE');
      }
      if (notGarp.length > 0) {
        const f = notGarp[0].frame;
        problems.push({ cause: 'wrong-sender-ip', detail: `who-has ${ip} tell ${f.arp?.spa} sent by the announcer: sender IP != ${ip}, not a G-ARP (Debian arping shape)${where(f)}` });
      }
      if (nearMiss.length > 0) {
        problems.push({ cause: 'wrong-shape', detail: `frames for ${ip} that are not G-ARPs: ${nearMiss[0].classification.reasons.join('; ')}` });
      }
      // wrong-mac / wrong-sender-ip / wrong-shape explain why nothing counted: no-garp only when nothing did
      if (problems.length === 0) problems.push({ cause: 'no-garp', detail: `no G-ARP for ${ip} within ${deadlineMs} ms` });
      return verdict('FAIL');
    }

    const firstMs = (counted[0].frame.ts - start) * 1000;
    if (firstMs > deadlineMs) {
      problems.push({ cause: 'late', detail: `first G-ARP for ${ip} ${Math.round(firstMs)} ms after the event, deadline ${deadlineMs} ms` });
    }
    if (notGarp.length > 0) notes.push(`${notGarp.length} announcement(s) for ${ip} with another sender IP (not G-ARPs) were also seen`);
    const sources = [...this.sources.values()].filter((t) => t <= cut);
    if (sources.length > 1) notes.push(`correct G-ARPs came from ${sources.length} capture points; the pattern is judged over all of them`);
    if (fit.matched && fit.ok) notes.push(`frames fit ${fit.matched}`);

    if (fit.problem) problems.push({ cause: fit.problem.cause, detail: fit.problem.detail });
    const lastCounted = counted[counted.length - 1].frame.ts;
    const firstTs = counted[0].frame.ts;
    const requiredDue = (now - firstTs) * 1000 > requiredSpanMs(pattern) || options.final === true;
    if (!fit.complete) {
      if (requiredDue) {
        problems.push({ cause: 'too-few', detail: `${counted.length} correct G-ARP(s) for ${ip}, ${pattern.id} expects ${fit.required}` });
        return verdict('FAIL');
      }
      notes.push(`in progress: ${counted.length}/${fit.required} G-ARPs of ${pattern.id}`);
      return verdict('INCONCLUSIVE');
    }
    const optionalPending = counted.length < fit.max && (now - firstTs) * 1000 <= fullSpanMs(pattern) && options.final !== true;
    if (optionalPending && fit.max > fit.required) {
      notes.push(`required part seen; optional frames of ${pattern.id} may still come (last at +${Math.round((lastCounted - start) * 1000)} ms)`);
    }
    return verdict('PASS');
  }
}

/** number of sorted values <= x */
function upperBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function where(f: CapturedFrame): string {
  const parts = [f.node, f.device].filter((x) => x !== undefined);
  return parts.length > 0 ? ` (${parts.join(' ')})` : '';
}

