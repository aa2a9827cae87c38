import { resolveCaptureTarget } from '../capture/bridge-fallback';
import { formatCaptureSpec } from '../capture/live';
import type { Transport } from '../transport/types';
import { pointKey, type CapturePoint } from './capture-points';

/**
 * Wire points on a bridge that is down (br-ex under the real agents, issue 15) are replaced by
 * the bridge's capturable ports, or the router devices, on that node; a replacement that is
 * already a capture point (an origin qg-) is not added twice. `say` gets one line per change.
 */
export async function replaceDownBridges(
  points: CapturePoint[],
  transportOf: (node: string) => Transport,
  sudoOf: (node: string) => boolean | undefined,
  say: (line: string) => void,
): Promise<CapturePoint[]> {
  const out: CapturePoint[] = [];
  const seen = new Set(points.map((p) => pointKey(p.node, formatCaptureSpec(p.target))));
  for (const p of points) {
    if (p.role !== 'wire') {
      out.push(p);
      continue;
    }
    const plan = await resolveCaptureTarget(transportOf(p.node), sudoOf(p.node), p.target).catch(() => ({ targets: [p.target], note: undefined }));
    if (!plan.note) {
      out.push(p);
      continue;
    }
    say(`${p.node}: ${plan.note}`);
    for (const t of plan.targets) {
      const key = pointKey(p.node, formatCaptureSpec(t));
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ node: p.node, role: 'wire', target: t });
    }
  }
  return out;
}
