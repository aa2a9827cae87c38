import type { Facts, FactsRouter } from '../model/facts';
import { isCentralizedFip } from './agent-mode';

/**
 * Expected namespace placement derived from a facts file (ground-truth §1a, §2a, §3a).
 * `required`: must exist on that node. `allowed(node, ns)`: a router/fip namespace that is
 * not required may still legitimately exist there (e.g. a DVR qrouter on a dvr_snat node,
 * a fip- namespace on any node hosting a gateway'd DVR router, Pike+ `3162846a7b`).
 */
export interface NamespaceExpectation {
  node: string;
  namespace: string;
  routerId?: string;
  networkId?: string;
  /** why it is expected, for the finding's `expected` text */
  reason: string;
}

export interface NamespacePlan {
  required: NamespaceExpectation[];
  /** routers and external networks the plan knows about */
  knownRouters: Set<string>;
  knownExternalNetworks: Set<string>;
  allowed(node: string, namespace: string): boolean;
}

function inCidr(cidr: string, ip: string): boolean {
  const [net, len] = cidr.split('/');
  const toInt = (s: string): number | undefined => {
    const p = s.split('.').map(Number);
    return p.length === 4 && p.every((x) => Number.isInteger(x) && x >= 0 && x <= 255)
      ? ((p[0]! * 256 + p[1]!) * 256 + p[2]!) * 256 + p[3]!
      : undefined;
  };
  const a = toInt(net ?? '');
  const b = toInt(ip.split('/')[0] ?? '');
  const l = Number(len ?? 32);
  if (a === undefined || b === undefined) return false;
  const size = 2 ** (32 - l);
  return Math.floor(a / size) === Math.floor(b / size);
}

/** nodes hosting instances on one of the router's internal subnets */
function instanceHostsOf(facts: Facts, r: FactsRouter): string[] {
  const nets = new Set(r.subnets.map((s) => s.networkId));
  const hosts = new Set<string>();
  for (const inst of facts.instances) {
    const port = facts.ports.find((p) => p.id === inst.portId);
    const onSubnet = port ? nets.has(port.networkId) : r.subnets.some((s) => inCidr(s.cidr, inst.ip));
    if (onSubnet) hosts.add(inst.host);
  }
  return [...hosts];
}

export function planNamespaces(facts: Facts): NamespacePlan {
  const required = new Map<string, NamespaceExpectation>();
  const allowed = new Set<string>();
  const key = (node: string, ns: string): string => `${node}\u0000${ns}`;
  const need = (e: NamespaceExpectation): void => {
    if (!required.has(key(e.node, e.namespace))) required.set(key(e.node, e.namespace), e);
    allowed.add(key(e.node, e.namespace));
  };
  const knownExternalNetworks = new Set<string>();

  for (const r of facts.routers) {
    const qrouter = `qrouter-${r.id}`;
    if (r.externalNetworkId) knownExternalNetworks.add(r.externalNetworkId);
    if (r.mode === 'legacy' || r.mode === 'ha') {
      for (const h of r.hosts) need({ node: h, namespace: qrouter, routerId: r.id, reason: `${r.mode} router ${r.id} is hosted on ${h}` });
      continue;
    }
    // DVR and DVR-HA
    for (const h of r.hosts) need({ node: h, namespace: qrouter, routerId: r.id, reason: `DVR router ${r.id} is hosted on ${h}` });
    for (const h of instanceHostsOf(facts, r))
      need({ node: h, namespace: qrouter, routerId: r.id, reason: `${h} hosts an instance on a subnet of DVR router ${r.id}` });
    for (const h of r.snatHosts ?? []) {
      need({ node: h, namespace: `snat-${r.id}`, routerId: r.id, reason: `${h} is a snat host of router ${r.id}` });
      allowed.add(key(h, qrouter));
    }
    if (r.externalNetworkId)
      for (const h of [...r.hosts, ...(r.snatHosts ?? [])]) allowed.add(key(h, `fip-${r.externalNetworkId}`));
  }

  for (const p of facts.ports) {
    if (p.deviceOwner !== 'network:floatingip_agent_gateway' || !p.host) continue;
    knownExternalNetworks.add(p.networkId);
    need({ node: p.host, namespace: `fip-${p.networkId}`, networkId: p.networkId, reason: `${p.host} has agent gateway port ${p.id}` });
  }
  for (const f of facts.floatingIps) {
    const r = facts.routers.find((x) => x.id === f.routerId);
    // a centralized FIP (no host, or its instance on a dvr_no_external node) lives in snat-<router>
    if (!r || (r.mode !== 'dvr' && r.mode !== 'dvr-ha') || !f.host || isCentralizedFip(facts, f)) continue;
    const ext = f.externalNetworkId ?? r.externalNetworkId;
    if (!ext) continue;
    knownExternalNetworks.add(ext);
    need({ node: f.host, namespace: `fip-${ext}`, networkId: ext, reason: `floating IP ${f.floatingIp} is bound to an instance on ${f.host}` });
    need({ node: f.host, namespace: `qrouter-${r.id}`, routerId: r.id, reason: `floating IP ${f.floatingIp} is served by DVR router ${r.id} on ${f.host}` });
  }

  return {
    required: [...required.values()],
    knownRouters: new Set(facts.routers.map((r) => r.id)),
    knownExternalNetworks,
    allowed: (node, ns) => allowed.has(key(node, ns)),
  };
}
