/**
 * The outage a continuous `ping -D -n -i 0.2 -W 1 FIP` from the upstream saw (pure).
 * Replies carry icmp_seq; a lost reply is a missing seq. -D prefixes each line with the
 * epoch time of the reply.
 */
export interface PingReply {
  seq: number;
  /** epoch seconds */
  ts: number;
}

const REPLY = /^\[(\d+\.\d+)\]\s+\d+ bytes from [^:]+: icmp_seq=(\d+)/;

export function parsePingLine(line: string): PingReply | undefined {
  const m = REPLY.exec(line.trim());
  return m ? { ts: Number(m[1]), seq: Number(m[2]) } : undefined;
}

export interface PingOutage {
  replies: number;
  /** seqs lost from the first gap at or after the fault */
  lost: number;
  /** epoch seconds of the last reply before the gap / first one after */
  lastBefore?: number;
  firstAfter?: number;
  /** ms without replies beyond the normal interval; 0 = no loss; null = never recovered */
  outageMs: number | null;
}

/**
 * `faultTs` epoch seconds; `endTs` when pinging stopped. A gap counts when the reply after it
 * came after the fault; no reply after the fault at all (and the ping kept running) = not recovered.
 */
export function computePingOutage(replies: readonly PingReply[], faultTs: number, intervalMs: number, endTs: number): PingOutage {
  const sorted = [...replies].sort((a, b) => a.seq - b.seq);
  const base = { replies: sorted.length };
  const before = sorted.filter((r) => r.ts < faultTs);
  const after = sorted.filter((r) => r.ts >= faultTs);
  if (sorted.length === 0) return { ...base, lost: 0, outageMs: null };
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i].seq - sorted[i - 1].seq;
    if (gap > 1 && sorted[i].ts >= faultTs) {
      const outageMs = Math.max(0, Math.round((sorted[i].ts - sorted[i - 1].ts) * 1000 - intervalMs));
      return { ...base, lost: gap - 1, lastBefore: sorted[i - 1].ts, firstAfter: sorted[i].ts, outageMs };
    }
  }
  const last = sorted[sorted.length - 1];
  // silence since the last reply, longer than a few intervals: lost and not back
  if ((endTs - last.ts) * 1000 > 3 * intervalMs + 1000 && (after.length === 0 || last.ts >= faultTs)) {
    return { ...base, lost: Math.round(((endTs - last.ts) * 1000) / intervalMs), lastBefore: last.ts, outageMs: null };
  }
  return { ...base, lost: 0, lastBefore: before[before.length - 1]?.ts, outageMs: 0 };
}
