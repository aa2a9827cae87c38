import type { Facts } from '../model/facts';
import type { Role } from '../model/types';

/**
 * A node's roles when no inventory names them (a sosreport knows its hostname, not its role).
 * First what the facts say of the host (the upstream node → gateway; an L3 agent in dvr mode →
 * compute, in dvr_snat/legacy mode → network; a host of instances → compute; a host of an HA or
 * legacy router → network), else what its namespaces show (snat-/qdhcp- or a qrouter- with a
 * qg- or ha- port → network; fip- or a qrouter- alone → compute). Pure; [] when nothing tells.
 */
export function inferRoles(node: string, namespaces: { name: string; devices: string[] }[], facts?: Facts): Role[] {
  const roles = new Set<Role>();
  if (facts) {
    if (facts.upstream?.node === node) roles.add('gateway');
    const modes = { ...Object.fromEntries(facts.agents.filter((a) => a.type === 'l3' && a.agentMode).map((a) => [a.host, a.agentMode])), ...(facts.agentModes ?? {}) };
    const mode = modes[node];
    if (mode === 'dvr' || mode === 'dvr_no_external') roles.add('compute');
    else if (mode === 'dvr_snat' || mode === 'legacy') roles.add('network');
    if (facts.instances.some((i) => i.host === node)) roles.add('compute');
    if (mode === undefined && facts.routers.some((r) => (r.mode === 'ha' || r.mode === 'legacy') && r.hosts.includes(node))) roles.add('network');
    if (facts.routers.some((r) => (r.snatHosts ?? []).includes(node))) roles.add('network');
  }
  if (roles.size > 0) return [...roles];
  for (const ns of namespaces) {
    if (/^(snat|qdhcp)-/.test(ns.name)) roles.add('network');
    else if (ns.name.startsWith('qrouter-') && ns.devices.some((d) => /^(qg|ha)-/.test(d))) roles.add('network');
  }
  if (roles.size === 0 && namespaces.some((ns) => /^(fip|qrouter)-/.test(ns.name))) roles.add('compute');
  return [...roles];
}
