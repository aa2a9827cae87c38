import type { CapturedFrame } from './types';
import type { ClassifyOptions } from './classify';
import { classifyArp } from './classify';
import type { ArpEvent, GarpExpectation, GarpVerdict, VerdictStatus } from './verdict';
import { GarpAccumulator } from './verdict';

/**
 * Streaming G-ARP judge: frames are pushed one by one as the decoders produce them; every
 * ARP frame is classified at once (onEvent) and added to each expectation's accumulator
 * (verdict.ts, the same code the batch judgeGarp runs), whose verdict is then taken so a
 * change of status is reported (onVerdict) within the same call — milliseconds after tcpdump
 * flushed the frame (`-U`). Each push costs the same at the first frame and the millionth:
 * the capture is not re-judged from the start (issue 15).
 */

export interface GarpJudgeOptions {
  expectations?: GarpExpectation[];
  /** event time on the capture clock, seconds; default: the first frame pushed */
  windowStart?: number;
  /** extra IPs to watch for announcement-not-garp (expectation IPs are always watched) */
  watchedIps?: string[];
  /** MACs of the announcer (expected owner and router ports) for the events' classification;
   *  expectation MACs are always included */
  announcerMacs?: string[];
  onEvent?: (event: ArpEvent) => void;
  onVerdict?: (verdict: GarpVerdict) => void;
}

export interface FrameLabels {
  node?: string;
  device?: string;
}

export class GarpJudge {
  private readonly arpEvents: ArpEvent[] = [];
  private readonly allFrames: CapturedFrame[] = [];
  private readonly expectations: GarpExpectation[];
  private readonly watched: ClassifyOptions;
  private readonly lastStatus = new Map<string, VerdictStatus>();
  /** one per expectation, created once the window start is known; fed every ARP frame */
  private readonly accumulators = new Map<GarpExpectation, GarpAccumulator>();
  private start?: number;
  private lastTs?: number;

  constructor(private readonly options: GarpJudgeOptions = {}) {
    this.expectations = options.expectations ?? [];
    this.start = options.windowStart;
    this.watched = {
      watchedIps: new Set([...(options.watchedIps ?? []), ...this.expectations.map((e) => e.ip)]),
      announcerMacs: new Set([...(options.announcerMacs ?? []), ...this.expectations.flatMap((e) => [e.mac, ...(e.announcerMacs ?? [])])].map((m) => m.toLowerCase())),
    };
  }

  get windowStart(): number | undefined {
    return this.start;
  }

  /** all ARP events so far, in push order */
  get events(): readonly ArpEvent[] {
    return this.arpEvents;
  }

  /** every frame pushed (ARP, VRRP, other), for consistency checks */
  get frames(): readonly CapturedFrame[] {
    return this.allFrames;
  }

  /** Push one decoded frame; returns its ARP event (undefined for non-ARP frames). */
  push(frame: CapturedFrame, labels: FrameLabels = {}): ArpEvent | undefined {
    if (labels.node !== undefined) frame.node = labels.node;
    if (labels.device !== undefined) frame.device = labels.device;
    if (this.start === undefined) this.start = frame.ts;
    if (this.lastTs === undefined || frame.ts > this.lastTs) this.lastTs = frame.ts;
    this.allFrames.push(frame);
    const classification = classifyArp(frame, this.watched);
    if (!classification) return undefined;
    const event: ArpEvent = { frame, classification };
    this.arpEvents.push(event);
    this.options.onEvent?.(event);
    for (const exp of this.expectations) {
      if (!concerns(frame, exp.ip)) continue;
      this.accumulatorOf(exp).add(frame);
      if (this.options.onVerdict) this.emitIfChanged(this.judge(exp, {}));
    }
    return event;
  }

  /** Verdict for one expectation (by IP) or all of them, "now" = the latest frame unless given. */
  verdict(ip: string, opts: { now?: number; final?: boolean } = {}): GarpVerdict | undefined {
    const exp = this.expectations.find((e) => e.ip === ip);
    return exp ? this.judge(exp, opts) : undefined;
  }

  verdicts(opts: { now?: number; final?: boolean } = {}): GarpVerdict[] {
    return this.expectations.map((e) => this.judge(e, opts));
  }

  /** Re-judge with a clock tick (no frame): lets a deadline pass while the wire is silent. */
  tick(now: number): GarpVerdict[] {
    const out = this.verdicts({ now });
    for (const v of out) this.emitIfChanged(v);
    return out;
  }

  private judge(exp: GarpExpectation, opts: { now?: number; final?: boolean }): GarpVerdict {
    const windowStart = this.start ?? opts.now ?? 0;
    const now = opts.now ?? this.lastTs ?? windowStart;
    return this.accumulatorOf(exp, windowStart).verdict({ now, final: opts.final });
  }

  private accumulatorOf(exp: GarpExpectation, windowStart?: number): GarpAccumulator {
    // before the first frame (no window start yet, no frames): a throw-away accumulator
    if (this.start === undefined) return new GarpAccumulator(exp, windowStart ?? 0);
    let acc = this.accumulators.get(exp);
    if (!acc) {
      acc = new GarpAccumulator(exp, this.start);
      this.accumulators.set(exp, acc);
    }
    return acc;
  }

  private emitIfChanged(v: GarpVerdict): void {
    if (this.lastStatus.get(v.ip) === v.status) return;
    this.lastStatus.set(v.ip, v.status);
    this.options.onVerdict?.(v);
  }
}

function concerns(frame: CapturedFrame, ip: string): boolean {
  return frame.arp !== undefined && (frame.arp.spa === ip || frame.arp.tpa === ip);
}
