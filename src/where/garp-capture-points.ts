import type { CaptureTarget } from '../capture/live';
import type { WhereNode, WherePlace } from './types';
import type { WhereTarget } from './parse-target';

/** at most this many capture points for one `where --listen` */
export const MAX_POINTS = 32;

export interface WherePoint {
  node: string;
  target: CaptureTarget;
}

/**
 * Where `where --listen` captures (pure): the devices that can announce the address, outbound —
 * each keepalived replica's VIP device (`dev qg-…` of the VIP line) and every device holding the
 * address or MAC — and the upstream's (gateway-role node's) device with a neighbour entry for it,
 * inbound: what the cache that matters received. L3 HA replicas share one qg- MAC, so only the
 * sender's own outbound capture names the node that announced (capture/live.ts, issue 15).
 */
export function planWherePoints(target: WhereTarget, places: WherePlace[], nodes: WhereNode[]): WherePoint[] {
  const out: WherePoint[] = [];
  const seen = new Set<string>();
  const add = (node: string | undefined, namespace: string | undefined, device: string | undefined, direction: 'in' | 'out'): void => {
    if (!node || !device || device === 'lo' || device === '?') return;
    const key = `${node}\u0000${namespace ?? ''}\u0000${device}\u0000${direction}`;
    if (seen.has(key) || out.length >= MAX_POINTS) return;
    seen.add(key);
    out.push({ node, target: { ...(namespace ? { namespace } : {}), device, direction } });
  };
  for (const p of places) {
    if (p.layer === 'address' && p.owner) add(p.node, p.namespace, p.at, 'out');
    if (target.kind === 'ip' && p.layer === 'keepalived') add(p.node, p.namespace, / dev (\S+);/.exec(p.detail)?.[1], 'out');
  }
  const gateways = new Set(nodes.filter((n) => n.snapshot.roles.includes('gateway')).map((n) => n.snapshot.node));
  for (const p of places) if (p.layer === 'neighbour' && p.node && gateways.has(p.node)) add(p.node, p.namespace, p.at, 'in');
  return out;
}
