import type { CheckContext } from '../../src/engine/types';
import type { HaMode } from '../../src/model/facts';
import type { NodeSnapshot } from '../../src/model/types';
import { findNamespace, nodesNamed } from './lookup';
import { isHaMode, observed } from './mode';

/** one replica of an HA router: the node and the namespace keepalived runs in */
export interface HaReplica {
  node: NodeSnapshot;
  /** qrouter-<id> (L3 HA) or snat-<id> (DVR-HA: keepalived in the snat ns, ground-truth §3a) */
  namespace: string;
}

export interface HaRouterView {
  id: string;
  mode: HaMode;
  replicas: HaReplica[];
  /** facts haVrId */
  haVrId?: number;
  haState?: Record<string, string>;
  /** replica hosts the facts name that are not in the snapshot (not read): their role is unknown */
  unreadHosts: string[];
}

export function haNamespace(mode: HaMode, routerId: string): string {
  return mode === 'dvr-ha' ? `snat-${routerId}` : `qrouter-${routerId}`;
}

/**
 * HA routers to judge: from the facts (hosts / snatHosts that are in the snapshot), or
 * observed on the data plane. A replica is listed only where its namespace exists
 * (namespace-placement reports missing ones).
 */
export function haRouters(ctx: CheckContext): HaRouterView[] {
  if (ctx.facts)
    return ctx.facts.routers
      .filter((r) => isHaMode(r.mode))
      .map((r) => {
        const ns = haNamespace(r.mode, r.id);
        const hostNames = r.mode === 'dvr-ha' ? (r.snatHosts ?? []) : r.hosts;
        const replicas = nodesNamed(ctx.snapshot, hostNames)
          .filter((node) => findNamespace(node, ns) && !findNamespace(node, ns)!.vanished)
          .map((node) => ({ node, namespace: ns }));
        const unreadHosts = hostNames.filter((h) => !ctx.snapshot.nodes.some((n) => n.node === h));
        return { id: r.id, mode: r.mode, replicas, haVrId: r.haVrId, haState: r.haState, unreadHosts };
      });
  return observed(ctx)
    .filter((r) => isHaMode(r.mode))
    .map((r) => {
      const ns = haNamespace(r.mode, r.id);
      const replicas = r.instances
        .filter((i) => i.namespace === ns)
        .map((i) => ({ node: ctx.snapshot.nodes.find((n) => n.node === i.node)!, namespace: ns }));
      return { id: r.id, mode: r.mode, replicas, unreadHosts: [] };
    });
}
