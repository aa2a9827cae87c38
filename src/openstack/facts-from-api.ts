import { isIpv4 } from '../model/formats';
import type { AgentMode, Facts, FactsAgent, FactsFloatingIp, FactsInstance, FactsPort, FactsRouter, HaMode } from '../model/facts';
import type { FactsPartKind } from '../model/facts-schema';
import { validateFacts, validateFactsPart } from '../model/load-facts';
import type { ApiBodies, Json } from './api-bodies';
import { releaseFromComputeVersions } from './release-from-api';

/**
 * Neutron API answers → haprobe's Facts (pure, total). Every entity is validated with the facts
 * file's own rules (facts-schema.ts, issue 8: these values reach remote command lines); one that
 * fails is left out with a warning naming it, never passed on and never a crash. What the API
 * does not tell (haVrId, upstream, firewall driver, instance names) stays absent, as in a facts
 * file that leaves it out: the checks then fall back to what the nodes show or skip.
 */
export interface FactsFromApi {
  facts: Facts;
  warnings: string[];
}

const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Json[]) : []);

/** neutron device_owner values of a router's internal (qr-) ports */
const INTERFACE_OWNERS = new Set(['network:router_interface', 'network:router_interface_distributed', 'network:ha_router_replicated_interface']);
const AGENT_TYPES: Record<string, FactsAgent['type']> = {
  'L3 agent': 'l3',
  'Open vSwitch agent': 'ovs',
  'DHCP agent': 'dhcp',
  'Metadata agent': 'metadata',
};
const AGENT_MODES = new Set<AgentMode>(['legacy', 'dvr', 'dvr_snat', 'dvr_no_external']);

function fixedIps(p: Json): { ip: string; subnetId?: string }[] {
  return arr(p.fixed_ips).flatMap((f) => (s(f.ip_address) ? [{ ip: s(f.ip_address)!, subnetId: s(f.subnet_id) }] : []));
}

/** HA mode from the router's admin-only `ha` / `distributed`; undefined when hidden */
export function routerMode(r: Json): HaMode | undefined {
  const ha = r.ha;
  const dvr = r.distributed;
  if (typeof ha !== 'boolean' && typeof dvr !== 'boolean') return undefined;
  if (dvr === true) return ha === true ? 'dvr-ha' : 'dvr';
  return ha === true ? 'ha' : 'legacy';
}

/** the mode from the router's ports when ha/distributed are hidden (non-admin): HA ports, distributed interfaces */
function modeFromPorts(routerId: string, ports: Json[]): HaMode {
  const own = ports.filter((p) => p.device_id === routerId);
  const ha = own.some((p) => p.device_owner === 'network:router_ha_interface');
  const dvr = own.some((p) => p.device_owner === 'network:router_interface_distributed' || p.device_owner === 'network:router_centralized_snat');
  return dvr ? (ha ? 'dvr-ha' : 'dvr') : ha ? 'ha' : 'legacy';
}

function haStateWord(v: unknown): 'active' | 'standby' | 'unknown' {
  return v === 'active' || v === 'standby' ? v : 'unknown';
}

export function buildFactsFromApi(bodies: ApiBodies): FactsFromApi {
  const warnings: string[] = (bodies.unread ?? []).map((u) => `not read from the API: ${u}`);
  const subnets = new Map(bodies.subnets.map((x) => [s(x.id) ?? '', x]));
  const portsById = new Map(bodies.ports.map((p) => [s(p.id) ?? '', p]));
  const agentsList = bodies.agents ?? [];
  const keep = <T>(kind: FactsPartKind, value: T, what: string): T | undefined => {
    const problem = validateFactsPart(kind, value);
    if (!problem) return value;
    warnings.push(`${what} left out: ${problem.path} ${problem.message}`);
    return undefined;
  };

  // agents (admin only); agent mode per host from the L3 agents' configurations
  const agents: FactsAgent[] = [];
  const agentModes: Record<string, AgentMode> = {};
  for (const a of agentsList) {
    const type = AGENT_TYPES[s(a.agent_type) ?? ''];
    const host = s(a.host);
    if (!type || !host) continue;
    const mode = (a.configurations as Json | undefined)?.agent_mode;
    const agent: FactsAgent = { host, type, alive: a.alive === true };
    if (type === 'l3' && typeof mode === 'string' && AGENT_MODES.has(mode as AgentMode)) agent.agentMode = mode as AgentMode;
    const kept = keep('agent', agent, `agent ${s(a.id)?.trim() ?? host}`);
    if (!kept) continue;
    agents.push(kept);
    if (kept.agentMode) agentModes[host] = kept.agentMode;
  }

  // ports: every port with a device owner (unbound, ownerless ports describe no data plane)
  const ports: FactsPort[] = [];
  for (const p of bodies.ports) {
    const owner = s(p.device_owner);
    if (!owner) continue;
    const ips = fixedIps(p);
    const port: FactsPort = {
      id: s(p.id) ?? '',
      deviceOwner: owner,
      networkId: s(p.network_id) ?? '',
      mac: s(p.mac_address) ?? '',
      fixedIps: ips.map((f) => f.ip),
    };
    if (typeof p.device_id === 'string') port.deviceId = p.device_id;
    const host = s(p['binding:host_id']);
    if (host) port.host = host;
    if (p.admin_state_up === false) port.adminStateUp = false;
    const prefix = ips[0]?.subnetId ? s(subnets.get(ips[0].subnetId)?.cidr)?.split('/')[1] : undefined;
    if (prefix !== undefined) port.prefixLen = Number(prefix);
    if (p.port_security_enabled === false) port.portSecurityEnabled = false;
    const pairs = arr(p.allowed_address_pairs).flatMap((x) => (s(x.ip_address) ? [{ ipAddress: s(x.ip_address)!, ...(s(x.mac_address) ? { macAddress: s(x.mac_address) } : {}) }] : []));
    if (pairs.length > 0) port.allowedAddressPairs = pairs;
    const kept = keep('port', port, `port ${port.id || '(no id)'}`);
    if (kept) ports.push(kept);
  }

  // routers
  const routers: FactsRouter[] = [];
  for (const r of bodies.routers) {
    const id = s(r.id) ?? '';
    let mode = routerMode(r);
    if (mode === undefined) {
      mode = modeFromPorts(id, bodies.ports);
      warnings.push(`router ${id}: ha/distributed not visible (admin only), mode ${mode} read from its ports`);
    }
    if (s(r.flavor_id)) warnings.push(`router ${id} has L3 flavor ${s(r.flavor_id)}: judged as a ${mode} router of the L3 agent (a flavor served by another provider is not what haprobe reads)`);
    const router: FactsRouter = { id, mode, hosts: [], subnets: [] };
    if (s(r.name)) router.name = s(r.name);
    const gw = r.external_gateway_info as Json | null | undefined;
    if (gw && typeof gw === 'object') {
      if (s(gw.network_id)) router.externalNetworkId = s(gw.network_id);
      if (typeof gw.enable_snat === 'boolean') router.enableSnat = gw.enable_snat;
      const v4 = arr(gw.external_fixed_ips).find((f) => isIpv4(s(f.ip_address) ?? ''));
      if (v4) {
        router.gatewayIp = s(v4.ip_address);
        const upstream = s(subnets.get(s(v4.subnet_id) ?? '')?.gateway_ip);
        if (upstream) router.externalGatewayIp = upstream;
      }
    }
    // internal subnets: the router's interface ports; the qr- address is the port's fixed IP
    const seen = new Set<string>();
    for (const p of bodies.ports) {
      if (p.device_id !== id || !INTERFACE_OWNERS.has(s(p.device_owner) ?? '')) continue;
      for (const f of fixedIps(p)) {
        const sub = f.subnetId ? subnets.get(f.subnetId) : undefined;
        const cidr = s(sub?.cidr);
        if (!cidr || seen.has(cidr)) continue;
        seen.add(cidr);
        router.subnets.push({ ...(f.subnetId ? { id: f.subnetId } : {}), networkId: s(p.network_id) ?? s(sub?.network_id) ?? '', cidr, gatewayIp: f.ip });
      }
    }
    // hosting L3 agents (l3-agent-list-hosting-router) and, for HA, their ha_state
    const hosting = bodies.l3AgentsByRouter[id];
    if (hosting === undefined) warnings.push(`router ${id}: the L3 agents hosting it were not read (placement unknown)`);
    const hosts = [...new Set(arr(hosting).flatMap((a) => (s(a.host) ? [s(a.host)!] : [])))];
    // DVR: l3-agents lists only the bound (snat) agents; the L3 agent of every host with a
    // DVR-serviced port (compute:*, network:dhcp) on the router's subnets builds qrouter- too
    // (scheduled implicitly, neutron is_dvr_serviced). Same finding in the real-engine lab (i16).
    if (mode === 'dvr' || mode === 'dvr-ha') {
      const nets = new Set(router.subnets.map((x) => x.networkId));
      for (const p of bodies.ports) {
        const owner = s(p.device_owner) ?? '';
        const h = s(p['binding:host_id']);
        if (!h || !nets.has(s(p.network_id) ?? '') || !(owner.startsWith('compute:') || owner === 'network:dhcp')) continue;
        const m = agentModes[h];
        if (bodies.agents !== undefined && m !== 'dvr' && m !== 'dvr_snat' && m !== 'dvr_no_external') continue;
        if (!hosts.includes(h)) hosts.push(h);
      }
    }
    router.hosts = hosts;
    const modeOfAgent = (a: Json): string | undefined => s((a.configurations as Json | undefined)?.agent_mode) ?? agentModes[s(a.host) ?? ''];
    if (mode === 'dvr' || mode === 'dvr-ha') {
      const snat = [...new Set(arr(hosting).filter((a) => modeOfAgent(a) === 'dvr_snat').flatMap((a) => (s(a.host) ? [s(a.host)!] : [])))];
      if (snat.length > 0) router.snatHosts = snat;
    }
    if (mode === 'ha' || mode === 'dvr-ha') {
      const withState = arr(hosting).filter((a) => s(a.host) && (mode === 'ha' || modeOfAgent(a) === 'dvr_snat'));
      if (withState.length > 0) router.haState = Object.fromEntries(withState.map((a) => [s(a.host)!, haStateWord(a.ha_state)]));
    }
    const kept = keep('router', router, `router ${id || '(no id)'}`);
    if (kept) routers.push(kept);
  }

  // floating IPs: the associated ones; host = binding host of the port they point at
  const floatingIps: FactsFloatingIp[] = [];
  for (const f of bodies.floatingips) {
    const portId = s(f.port_id);
    if (!portId) continue;
    const fip: FactsFloatingIp = {
      floatingIp: s(f.floating_ip_address) ?? '',
      fixedIp: s(f.fixed_ip_address) ?? '',
      portId,
      routerId: s(f.router_id) ?? '',
    };
    if (s(f.id)) fip.id = s(f.id);
    const host = s(portsById.get(portId)?.['binding:host_id']);
    if (host) fip.host = host;
    if (s(f.floating_network_id)) fip.externalNetworkId = s(f.floating_network_id);
    const kept = keep('floatingIp', fip, `floating IP ${fip.floatingIp || f.id}`);
    if (kept) floatingIps.push(kept);
  }

  // instances: compute ports bound to a host
  const instances: FactsInstance[] = [];
  for (const p of bodies.ports) {
    if (!(s(p.device_owner) ?? '').startsWith('compute:')) continue;
    const host = s(p['binding:host_id']);
    const ip = fixedIps(p).find((x) => isIpv4(x.ip))?.ip ?? fixedIps(p)[0]?.ip;
    if (!host || !ip) continue;
    const inst: FactsInstance = { id: s(p.device_id) ?? '', host, portId: s(p.id) ?? '', mac: s(p.mac_address) ?? '', ip };
    const kept = keep('instance', inst, `instance port ${inst.portId}`);
    if (kept) instances.push(kept);
  }

  const facts: Facts = { version: 1, routers, ports, floatingIps, instances, agents };
  if (Object.keys(agentModes).length > 0) facts.agentModes = agentModes;
  const rel = releaseFromComputeVersions(bodies.computeVersions);
  if (rel.release) facts.release = rel.release;
  else warnings.push(`release unknown${rel.maxVersion ? ` (compute API maximum microversion ${rel.maxVersion})` : ' (no compute API version read)'}: release-dependent checks skip`);
  const problem = validateFacts(facts);
  if (problem) throw new Error(`facts built from the API do not validate: ${problem.path} ${problem.message}`);
  return { facts, warnings };
}
