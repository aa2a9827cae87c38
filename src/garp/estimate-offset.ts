/**
 * Clock offset of a remote node against the local clock (pure).
 *
 * `garp verify` and `drill failover` put remote timestamps (pcap frame times from tcpdump on the
 * node, `ping -D` times on the upstream) on a time axis that starts at a local event (the change,
 * the fault). On a real cloud the node clocks are skewed, so each node's offset is estimated once
 * per command (clock-offset.ts samples `date +%s.%N` over the node's Transport) and subtracted
 * from that node's timestamps.
 *
 * Estimate (Cristian's algorithm): of the samples, the one with the smallest round trip;
 * offset = remote − (localSend + localRecv) / 2, uncertainty = rtt / 2 (the remote reading was
 * taken somewhere between send and receive, so the true offset lies within ±rtt/2).
 */

/** one `date` round trip; all times epoch milliseconds (fractional) */
export interface ClockSample {
  localSendMs: number;
  localRecvMs: number;
  remoteMs: number;
}

export interface OffsetEstimate {
  /** remote clock − local clock, ms: positive = the node's clock is ahead */
  offsetMs: number;
  /** ± ms (half the round trip of the chosen sample) */
  uncertaintyMs: number;
  rttMs: number;
  /** samples the estimate was chosen from */
  samples: number;
}

/** a node's offset as the commands use it; offsetMs 0 with `error` when it could not be sampled */
export interface NodeClockOffset extends OffsetEstimate {
  node: string;
  error?: string;
}

/** the min-RTT sample's estimate; undefined without a usable sample (non-finite or negative rtt) */
export function estimateOffset(samples: readonly ClockSample[]): OffsetEstimate | undefined {
  const ok = samples.filter((s) => [s.localSendMs, s.localRecvMs, s.remoteMs].every(Number.isFinite) && s.localRecvMs >= s.localSendMs);
  if (ok.length === 0) return undefined;
  const best = ok.reduce((a, b) => (b.localRecvMs - b.localSendMs < a.localRecvMs - a.localSendMs ? b : a));
  const rttMs = best.localRecvMs - best.localSendMs;
  return { offsetMs: best.remoteMs - (best.localSendMs + best.localRecvMs) / 2, uncertaintyMs: rttMs / 2, rttMs, samples: ok.length };
}

/** `date +%s.%N` output → epoch ms; undefined when it is not that (e.g. a date without %N prints "N") */
export function parseDateOutput(stdout: string): number | undefined {
  const m = /^(\d+)\.(\d{1,9})$/.exec(stdout.trim());
  if (!m) return undefined;
  return Number(m[1]) * 1000 + Number(m[2].padEnd(9, '0')) / 1e6;
}

/** a remote epoch-seconds timestamp on the local clock */
export function toLocalTs(ts: number, offsetMs: number): number {
  return ts - offsetMs / 1000;
}

/**
 * A frame / ping reply with `ts` moved to the local clock. Only `ts` changes: a CapturedFrame's
 * sec/usec stay the node's own wire timestamp (what the pcap file holds).
 */
export function correctTs<T extends { ts: number }>(item: T, offsetMs: number): T {
  return offsetMs === 0 ? item : { ...item, ts: toLocalTs(item.ts, offsetMs) };
}

/** beyond this an offset is shown in the output (below it is within SSH/NTP noise) */
export const SHOWN_OFFSET_MS = 50;

/** "+1.32 s" / "-120 ms" */
export function formatOffsetMs(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const a = Math.abs(ms);
  return a >= 1000 ? `${sign}${(a / 1000).toFixed(2)} s` : `${sign}${Math.round(a)} ms`;
}

/**
 * Output lines: one per node whose |offset| > SHOWN_OFFSET_MS ("clock offset net2 +1.32 s ±4 ms
 * (corrected)") and one per node that could not be sampled (its times are used as they are).
 */
export function describeOffsets(offsets: readonly NodeClockOffset[]): string[] {
  const lines: string[] = [];
  for (const o of offsets) {
    if (o.error !== undefined) lines.push(`clock offset ${o.node} unknown (${o.error}): its timestamps are used uncorrected`);
    else if (Math.abs(o.offsetMs) > SHOWN_OFFSET_MS) {
      const how = isSignificant(o) ? '(corrected)' : '(within its uncertainty: not corrected)';
      lines.push(`clock offset ${o.node} ${formatOffsetMs(o.offsetMs)} ±${Math.max(1, Math.round(o.uncertaintyMs))} ms ${how}`);
    }
  }
  return lines;
}

/**
 * True when 0 is not a possible offset given the measurement (|offset| > its uncertainty).
 * Over SSH the remote `date` runs late in the round trip (channel open, process start), so on
 * one shared clock the estimate came out +100…+230 ms ±100…230 ms on the lab: correcting by that
 * moved keepalived's G-ARPs before the change and the verdict became no-garp.
 */
export function isSignificant(o: Pick<OffsetEstimate, 'offsetMs' | 'uncertaintyMs'>): boolean {
  return Math.abs(o.offsetMs) > o.uncertaintyMs;
}

/** node → offset ms to correct by: 0 for a node not sampled, failed, or whose offset may be 0 */
export function offsetOf(offsets: readonly NodeClockOffset[], node: string | undefined): number {
  const o = offsets.find((x) => x.node === node && x.error === undefined);
  return o && isSignificant(o) ? o.offsetMs : 0;
}
