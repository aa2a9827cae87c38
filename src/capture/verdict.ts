import type { CapturedFrame } from './types';
import type { ArpClass, ArpClassification, GarpShape } from './classify';
import { classifyArp, isGarp } from './classify';
import type { GarpPattern, PatternId } from './patterns';
import { fullSpanMs, requiredSpanMs, resolvePattern } from './patterns';

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

export type TimelineRole = 'counted' | 'wrong-mac' | 'wrong-node' | 'wrong-device' | 'not-garp' | 'near-miss' | 'other-claim' | 'probe' | 'before-window';

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
  const pattern = resolvePattern(expectation.pattern);
  const ip = expectation.ip;
  const mac = expectation.mac.toLowerCase();
  const deadlineMs = options.deadlineMs ?? expectation.deadlineMs;
  const start = options.windowStart;
  const watched = [ip];
  const timeline: TimelineEntry[] = [];
  const notes: string[] = [];
  const problems: VerdictProblem[] = [];
  const counted: ArpEvent[] = [];
  const wrongMac: ArpEvent[] = [];
  const wrongPlace: ArpEvent[] = [];
  const notGarp: ArpEvent[] = [];
  const nearMiss: ArpEvent[] = [];
  const claimMacs = new Map<string, number>();
  let lastTs = start;

  const frames = events.map((e) => ('frame' in e ? e.frame : e)).filter((f) => f.kind === 'arp');
  frames.sort((a, b) => a.ts - b.ts);
  for (const frame of frames) {
    if (frame.ts > lastTs) lastTs = frame.ts;
    if (options.now !== undefined && frame.ts > options.now) continue;
    const c = classifyArp(frame, { watchedIps: watched }) as ArpClassification;
    const arp = frame.arp!;
    const concerns = c.ip === ip || arp.spa === ip || arp.tpa === ip;
    if (!concerns) continue;
    const ev: ArpEvent = { frame, classification: c };
    const entry: TimelineEntry = {
      t: Math.round((frame.ts - start) * 1000) / 1000,
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
    timeline.push(entry);
    if (frame.ts < start) {
      entry.role = 'before-window';
      continue;
    }
    if (c.class === 'probe') {
      entry.role = 'probe';
      continue;
    }
    const claimMac = c.mac?.toLowerCase();
    if (arp.spa === ip && claimMac) claimMacs.set(claimMac, (claimMacs.get(claimMac) ?? 0) + 1);
    if (isGarp(c) && c.ip === ip) {
      if (claimMac !== mac) {
        entry.role = 'wrong-mac';
        entry.note = `sha ${claimMac} != expected ${mac}`;
        wrongMac.push(ev);
      } else if (expectation.node !== undefined && frame.node !== undefined && frame.node !== expectation.node) {
        entry.role = 'wrong-node';
        entry.note = `from node ${frame.node}, expected ${expectation.node}`;
        wrongPlace.push(ev);
      } else if (expectation.device !== undefined && frame.device !== undefined && frame.device !== expectation.device) {
        entry.role = 'wrong-device';
        entry.note = `on ${frame.device}, expected ${expectation.device}`;
        wrongPlace.push(ev);
      } else {
        entry.role = 'counted';
        if (c.unknown.length > 0) entry.note = `not printed by tcpdump: ${c.unknown.join(', ')}`;
        counted.push(ev);
      }
    } else if (c.class === 'announcement-not-garp' || (arp.op === 1 && arp.tpa === ip && arp.spa !== ip)) {
      if (c.class === 'announcement-not-garp') {
        entry.role = 'not-garp';
        entry.note = c.reasons.join('; ');
        notGarp.push(ev);
      }
    } else if (arp.spa === ip && arp.tpa === ip && c.reasons.length > 0) {
      entry.role = 'near-miss';
      entry.note = c.reasons.join('; ');
      nearMiss.push(ev);
    }
  }

  const now = options.now ?? lastTs;
  const deadlinePassed = options.final === true || (now - start) * 1000 >= deadlineMs;
  const required = pattern.steps.filter((s) => !s.optional).length;
  const max = pattern.steps.length + pattern.extraAllowed;
  const verdict = (status: VerdictStatus): GarpVerdict => {
    problems.sort((a, b) => CAUSE_ORDER.indexOf(a.cause) - CAUSE_ORDER.indexOf(b.cause));
    const v: GarpVerdict = {
      ip,
      mac,
      pattern: pattern.id,
      status: problems.length > 0 ? 'FAIL' : status,
      problems,
      counted: counted.length,
      expected: { required, max },
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
    const cause: FailCause = ev.frame.node !== expectation.node && expectation.node !== undefined ? 'wrong-node' : 'wrong-device';
    problems.push({ cause, detail: `G-ARP for ${ip} with the right MAC${where(ev.frame)}, expected ${expectation.node ?? ''}${expectation.device ? ' ' + expectation.device : ''}`.trim() });
  }
  const otherMacs = [...claimMacs.keys()].filter((m) => m !== mac);
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
      problems.push({ cause: 'wrong-sender-ip', detail: `who-has ${ip} tell ${f.arp?.spa}: sender IP != ${ip}, not a G-ARP (Debian arping shape)${where(f)}` });
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
  const sources = new Set(counted.map((e) => `${e.frame.node ?? ''}|${e.frame.device ?? ''}`));
  if (sources.size > 1) notes.push(`correct G-ARPs came from ${sources.size} capture points; the pattern is judged over all of them`);

  matchPattern(counted, pattern, problems);
  const complete = counted.length >= required;
  const lastCounted = counted[counted.length - 1].frame.ts;
  const firstTs = counted[0].frame.ts;
  const requiredDue = (now - firstTs) * 1000 > requiredSpanMs(pattern) || options.final === true;
  if (!complete) {
    if (requiredDue) {
      problems.push({ cause: 'too-few', detail: `${counted.length} correct G-ARP(s) for ${ip}, ${pattern.id} expects ${required}` });
      return verdict('FAIL');
    }
    notes.push(`in progress: ${counted.length}/${required} G-ARPs of ${pattern.id}`);
    return verdict('INCONCLUSIVE');
  }
  const optionalPending = counted.length < pattern.steps.length && (now - firstTs) * 1000 <= fullSpanMs(pattern) && options.final !== true;
  if (optionalPending && pattern.steps.length > required) {
    notes.push(`required part seen; optional frames of ${pattern.id} may still come (last at +${Math.round((lastCounted - start) * 1000)} ms)`);
  }
  return verdict('PASS');
}

function where(f: CapturedFrame): string {
  const parts = [f.node, f.device].filter((x) => x !== undefined);
  return parts.length > 0 ? ` (${parts.join(' ')})` : '';
}

/** compare the counted frames with the pattern's steps: shape, spacing, surplus */
function matchPattern(counted: ArpEvent[], pattern: GarpPattern, problems: VerdictProblem[]): void {
  const max = pattern.steps.length + pattern.extraAllowed;
  if (counted.length > max) {
    // interleaved duplicates cannot be aligned with the steps: report the surplus only
    problems.push({ cause: 'too-many', detail: `${counted.length} G-ARPs, ${pattern.id} sends at most ${pattern.steps.length}` });
    return;
  }
  const n = Math.min(counted.length, pattern.steps.length);
  for (let i = 0; i < n; i++) {
    const step = pattern.steps[i];
    const c = counted[i].classification;
    const op = c.class === 'garp-request' ? 'request' : 'reply';
    if (step.op !== 'any' && step.op !== op) {
      problems.push({ cause: 'wrong-shape', detail: `frame ${i + 1} is a ${op}, ${pattern.id} sends a ${step.op} there` });
      return;
    }
    if (i === 0 || pattern.noSpacing) continue;
    const gap = (counted[i].frame.ts - counted[i - 1].frame.ts) * 1000;
    if (gap < step.minGapMs || gap > step.maxGapMs) {
      problems.push({
        cause: 'bad-spacing',
        detail: `gap before frame ${i + 1} is ${Math.round(gap)} ms, ${pattern.id} expects ${step.minGapMs}–${step.maxGapMs} ms`,
      });
      return;
    }
  }
}
