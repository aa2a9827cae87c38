import { startLiveCapture, type LiveCaptureSource } from '../capture/live';
import type { CapturedFrame } from '../capture/types';
import type { Transport } from '../transport/types';
import type { WherePoint } from './garp-capture-points';
import type { GarpFrames } from './garp-places';

/**
 * `where --listen SECONDS`: a short, bounded ARP/VRRP capture (tcpdump, the capture module's
 * filter and snaplen) on the planned points, then stopped — nothing is left running on a node
 * (every handle is stopped in capture/live's finally, also on SIGINT). Returns the frames, and
 * the points that could not capture in tcpdump's own words (a failed capture is never an empty one).
 */
export async function listenForGarps(
  points: WherePoint[],
  transportOf: (node: string) => { transport: Transport; sudo?: boolean } | undefined,
  seconds: number,
  onListening?: (n: number) => void,
): Promise<{ captures: GarpFrames[]; errors: string[] }> {
  const sources: LiveCaptureSource[] = [];
  for (const p of points) {
    const t = transportOf(p.node);
    if (t) sources.push({ node: p.node, transport: t.transport, target: p.target, sudo: t.sudo });
  }
  if (sources.length === 0) return { captures: [], errors: [] };
  const frames: CapturedFrame[] = [];
  const cap = startLiveCapture({ sources, onFrame: (f) => frames.push(f), timeoutMs: (seconds + 30) * 1000 });
  await cap.ready;
  onListening?.(sources.length);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  await cap.stop();
  const results = await cap.done;
  return { captures: [{ frames, source: `live capture ${seconds} s` }], errors: results.filter((r) => r.error).map((r) => r.error as string) };
}
