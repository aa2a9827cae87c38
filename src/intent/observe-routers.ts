import type { CloudSnapshot } from '../engine/types';
import type { HaMode } from '../model/facts';
import type { NodeSnapshot } from '../model/types';

/**
 * Self-consistency intent: when no facts file is given, checks compare nodes with each
 * other. This module reads, from the snapshot alone, which routers exist, where their
 * namespaces are and what mode they look like. Pure.
 */
export interface ObservedRouterInstance {
  node: string;
  /** qrouter-<id> or snat-<id> */
  namespace: string;
  kind: 'qrouter' | 'snat';
  /** content of the HA state file on that node, if any */
  haState?: string;
  hasHaDevice: boolean;
  hasRfpDevice: boolean;
}

export interface ObservedRouter {
  id: string;
  /** guessed mode: ha- device or state file → HA; rfp- device or snat-<id> → DVR */
  mode: HaMode;
  qrouterNodes: string[];
  snatNodes: string[];
  instances: ObservedRouterInstance[];
}

function routerIdOf(ns: string): { id: string; kind: 'qrouter' | 'snat' } | undefined {
  if (ns.startsWith('qrouter-') && ns.length > 8) return { id: ns.slice(8), kind: 'qrouter' };
  if (ns.startsWith('snat-') && ns.length > 5) return { id: ns.slice(5), kind: 'snat' };
  return undefined;
}

function instancesOf(node: NodeSnapshot): ObservedRouterInstance[] {
  const out: ObservedRouterInstance[] = [];
  for (const ns of node.namespaces) {
    if (ns.vanished) continue;
    const r = routerIdOf(ns.name);
    if (!r) continue;
    out.push({
      node: node.node,
      namespace: ns.name,
      kind: r.kind,
      haState: node.haRouters.find((h) => h.routerId === r.id)?.state,
      hasHaDevice: ns.devices.some((d) => d.name.startsWith('ha-')),
      hasRfpDevice: ns.devices.some((d) => d.name.startsWith('rfp-')),
    });
  }
  return out;
}

/**
 * Every router seen in the snapshot. `fallbackMode` (the profile's haMode) decides when the
 * data plane does not say (e.g. a legacy-looking qrouter in a DVR cloud's network node).
 */
export function observeRouters(snapshot: CloudSnapshot, fallbackMode?: HaMode): ObservedRouter[] {
  const byId = new Map<string, ObservedRouterInstance[]>();
  for (const node of snapshot.nodes)
    for (const inst of instancesOf(node)) {
      const id = routerIdOf(inst.namespace)!.id;
      byId.set(id, [...(byId.get(id) ?? []), inst]);
    }
  for (const node of snapshot.nodes)
    for (const h of node.haRouters) if (!byId.has(h.routerId)) byId.set(h.routerId, []);

  return [...byId.entries()].map(([id, instances]) => {
    const isHa =
      instances.some((i) => i.hasHaDevice || i.haState !== undefined) ||
      snapshot.nodes.some((n) => n.haRouters.some((h) => h.routerId === id));
    const isDvr = instances.some((i) => i.kind === 'snat' || i.hasRfpDevice);
    let mode: HaMode;
    if (isDvr) mode = isHa ? 'dvr-ha' : 'dvr';
    else if (isHa) mode = 'ha';
    else mode = fallbackMode === 'dvr' || fallbackMode === 'dvr-ha' ? fallbackMode : 'legacy';
    return {
      id,
      mode,
      qrouterNodes: instances.filter((i) => i.kind === 'qrouter').map((i) => i.node),
      snatNodes: instances.filter((i) => i.kind === 'snat').map((i) => i.node),
      instances,
    };
  });
}
