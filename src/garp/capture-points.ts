import { formatCaptureSpec, type CaptureTarget } from '../capture/live';
import type { AnnouncePoint } from './plan-announcer';

/**
 * Where `garp verify` and `drill failover` capture, and what each point is for:
 * - origin: the announcing device inside its namespace, outbound frames only. A broadcast
 *   G-ARP floods the external L2, so every node's br-ex sees every node's announcements (and
 *   HA instances share one qg- MAC): only the sender's own outbound capture says who sent it.
 * - wire: br-ex of each candidate node, what the external network carries there.
 * - receiver: the upstream gateway's interface towards the FIP, inbound: what the cache that
 *   matters actually received.
 */
export type PointRole = 'origin' | 'wire' | 'receiver';

export interface CapturePoint {
  node: string;
  role: PointRole;
  target: CaptureTarget;
}


export interface CapturePointsInput {
  candidates: AnnouncePoint[];
  /** wire device on every candidate node; undefined = no wire capture */
  wireDevice?: string;
  receiver?: { node: string; namespace?: string; device: string };
}

export function planCapturePoints(input: CapturePointsInput): CapturePoint[] {
  const out: CapturePoint[] = [];
  const seen = new Set<string>();
  const add = (p: CapturePoint): void => {
    const key = pointKey(p.node, formatCaptureSpec(p.target));
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  for (const c of input.candidates) add({ node: c.node, role: 'origin', target: { namespace: c.namespace, device: c.device, direction: 'out' } });
  if (input.wireDevice) for (const c of input.candidates) add({ node: c.node, role: 'wire', target: { device: input.wireDevice } });
  if (input.receiver) {
    add({ node: input.receiver.node, role: 'receiver', target: { namespace: input.receiver.namespace, device: input.receiver.device, direction: 'in' } });
  }
  return out;
}

/** key of a capture point as frames are labelled by live capture (node + formatCaptureSpec) */
export function pointKey(node: string, device: string): string {
  return `${node}\u0000${device}`;
}

export function roleIndex(points: CapturePoint[]): Map<string, PointRole> {
  return new Map(points.map((p) => [pointKey(p.node, formatCaptureSpec(p.target)), p.role]));
}
