import { HaprobeError } from '../errors';
import type { Role } from '../model/types';
import { buildInventory } from '../inventory/build-inventory';
import type { InitDraft } from './types';

/** the fields of a neutron agent (GET /v2.0/agents) that give a role */
export interface NeutronAgent {
  host: string;
  agent_type: string;
  alive?: boolean;
  admin_state_up?: boolean;
  configurations?: { agent_mode?: string } & Record<string, unknown>;
}

/**
 * Roles from an L3 agent's agent_mode (neutron l3_agent.ini): `legacy` and `dvr_snat` run the
 * routers' gateways (network node); `dvr` and `dvr_no_external` are the DVR agents of compute
 * nodes. An Open vSwitch agent without an L3 agent on its host is a compute node.
 */
const L3_MODE_ROLE: Record<string, Role> = { legacy: 'network', dvr_snat: 'network', dvr: 'compute', dvr_no_external: 'compute' };

/**
 * Pure: neutron's agent list → draft. One node per agent host; its address is the agent's `host`
 * (the name neutron knows it by: it must resolve from here, or be fixed in the review). The API
 * knows nothing of controllers, users or jump hosts: those are noted for the review.
 */
export function draftFromAgents(agents: NeutronAgent[], source: string, opts: { home?: string } = {}): InitDraft {
  const roles = new Map<string, Set<Role>>();
  const why = new Map<string, string[]>();
  const notes: string[] = [];
  const give = (host: string, role: Role, reason: string): void => {
    if (!roles.has(host)) roles.set(host, new Set());
    roles.get(host)!.add(role);
    if (!why.has(host)) why.set(host, []);
    why.get(host)!.push(`${role} ← ${reason}`);
  };
  const l3Hosts = new Set(agents.filter((a) => a.agent_type === 'L3 agent').map((a) => a.host));
  for (const a of agents) {
    if (typeof a.host !== 'string' || a.host === '') continue;
    if (a.alive === false) notes.push(`${a.agent_type} on ${a.host} is not alive`);
    if (a.agent_type === 'L3 agent') {
      const mode = a.configurations?.agent_mode ?? 'legacy';
      const role = L3_MODE_ROLE[mode];
      if (role) give(a.host, role, `L3 agent (agent_mode ${mode})`);
      else notes.push(`L3 agent on ${a.host} has agent_mode ${mode}: no role given`);
    } else if (a.agent_type === 'Open vSwitch agent' && !l3Hosts.has(a.host)) {
      give(a.host, 'compute', 'Open vSwitch agent, no L3 agent');
    }
  }
  if (roles.size === 0) {
    throw new HaprobeError('inventory', 'no L3 or Open vSwitch agent in the agent list (ML2/OVN cloud, or not an admin?)', { where: source });
  }
  const names = [...roles.keys()];
  const nodes = names.map((host) => ({ name: nodeName(host), address: host, roles: [...roles.get(host)!] }));
  notes.push('addresses are the agents\' host names: they must resolve from here (else write the management addresses in)');
  notes.push('the API names no controller, login user or jump host: add them in the review (defaults: user root, no jump)');
  const inventory = buildInventory({ nodes }, source, { home: opts.home });
  const whyOut = Object.fromEntries(names.map((h) => [nodeName(h), [...new Set(why.get(h))].join('; ')]));
  return { kind: 'cloud', source, inventory, why: whyOut, notes };
}

/** the node name: the short host name (an FQDN's first label), as operators name nodes */
function nodeName(host: string): string {
  return /^\d/.test(host) ? host : host.split('.')[0];
}
