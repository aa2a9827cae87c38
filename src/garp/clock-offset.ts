import type { Transport } from '../transport/types';
import { estimateOffset, parseDateOutput, type ClockSample, type NodeClockOffset } from './estimate-offset';

/**
 * Sample each node's clock over its already-open Transport (`date +%s.%N`, a few times, one after
 * the other) and estimate its offset (estimate-offset.ts). Never throws: a node that cannot be
 * sampled gets offset 0 and an `error` the commands print.
 */

export interface ClockProbeTarget {
  node: string;
  transport: Transport;
}

export interface MeasureOffsetOptions {
  /** round trips per node (default 3) */
  samples?: number;
  /** per `date` budget, ms (default 5000) */
  timeoutMs?: number;
  /** local epoch ms with sub-ms resolution (tests) */
  now?: () => number;
}

const localNow = (): number => performance.timeOrigin + performance.now();

export async function measureClockOffset(t: ClockProbeTarget, opts: MeasureOffsetOptions = {}): Promise<NodeClockOffset> {
  const now = opts.now ?? localNow;
  const failed = (error: string): NodeClockOffset => ({ node: t.node, offsetMs: 0, uncertaintyMs: 0, rttMs: 0, samples: 0, error });
  try {
    // connect first so the connection setup is not inside a round trip
    const f = await t.transport.connect();
    if (f) return failed(`${f.reason}: ${f.message}`);
    const samples: ClockSample[] = [];
    let lastError = '';
    for (let i = 0; i < (opts.samples ?? 3); i++) {
      const localSendMs = now();
      const r = await t.transport.exec('date +%s.%N', { timeoutMs: opts.timeoutMs ?? 5000 });
      const localRecvMs = now();
      const remoteMs = r.exitCode === 0 && !r.failure ? parseDateOutput(r.stdout) : undefined;
      if (remoteMs === undefined) {
        lastError = r.failure ? `${r.failure.reason}: ${r.failure.message}` : `date +%s.%N printed ${JSON.stringify(r.stdout.trim().slice(0, 40))} (exit ${String(r.exitCode)})`;
        continue;
      }
      samples.push({ localSendMs, localRecvMs, remoteMs });
    }
    const est = estimateOffset(samples);
    return est ? { node: t.node, ...est } : failed(lastError || 'no sample');
  } catch (err) {
    return failed((err as Error).message);
  }
}

/** every node in parallel (each node's samples in sequence), in the order given, duplicates once */
export async function measureClockOffsets(targets: readonly ClockProbeTarget[], opts: MeasureOffsetOptions = {}): Promise<NodeClockOffset[]> {
  const seen = new Set<string>();
  const unique = targets.filter((t) => !seen.has(t.node) && seen.add(t.node));
  return Promise.all(unique.map((t) => measureClockOffset(t, opts)));
}
