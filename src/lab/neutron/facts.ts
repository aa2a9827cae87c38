import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentMode, Facts, FactsPort } from '../../model/facts';
import type { NeutronApi } from './api';
import { routerAgents } from './build';
import { NLAB_NET, type NeutronLabPaths } from './names';
import type { NeutronLabState } from './state';
import type { NeutronTopology } from './topology';

/** the API's port body, the fields facts use */
export interface ApiPort {
  id: string;
  device_owner: string;
  device_id: string;
  network_id: string;
  mac_address: string;
  fixed_ips: { subnet_id: string; ip_address: string }[];
  'binding:host_id'?: string;
  admin_state_up?: boolean;
  port_security_enabled?: boolean;
  allowed_address_pairs?: { ip_address: string; mac_address?: string }[];
  status?: string;
}

/** `virtual_router_id N` of keepalived.conf: ha_vr_id is not in the API's router body (issue 16) */
export function parseVrId(keepalivedConf: string): number | undefined {
  const m = /^\s*virtual_router_id\s+(\d+)\s*$/m.exec(keepalivedConf);
  return m ? Number(m[1]) : undefined;
}

function readVrId(p: NeutronLabPaths, hosts: string[], routerId: string): number | undefined {
  for (const h of hosts) {
    try {
      const v = parseVrId(fs.readFileSync(path.join(p.nodeDir(h), 'neutron', 'ha_confs', routerId, 'keepalived.conf'), 'utf8'));
      if (v !== undefined) return v;
    } catch {
      /* not on this host */
    }
  }
  return undefined;
}

/** FactsPort of an API port (pure) */
export function factsPortOf(port: ApiPort, prefixBySubnet: Record<string, number>): FactsPort {
  const out: FactsPort = {
    id: port.id, deviceOwner: port.device_owner, deviceId: port.device_id, networkId: port.network_id, mac: port.mac_address,
    fixedIps: port.fixed_ips.map((f) => f.ip_address), prefixLen: prefixBySubnet[port.fixed_ips[0]?.subnet_id ?? ''],
  };
  const host = port['binding:host_id'];
  if (host) out.host = host;
  if (port.admin_state_up === false) out.adminStateUp = false;
  if (port.port_security_enabled === false) out.portSecurityEnabled = false;
  if (port.allowed_address_pairs && port.allowed_address_pairs.length > 0) {
    out.allowedAddressPairs = port.allowed_address_pairs.map((a) => ({ ipAddress: a.ip_address, ...(a.mac_address ? { macAddress: a.mac_address } : {}) }));
  }
  return out;
}

/**
 * The facts file of a real-engine lab, from the API (routers, their L3 agents and HA states,
 * ports, floating IPs, agents), plus ha_vr_id from the agents' keepalived.conf.
 */
export async function buildNeutronFacts(api: NeutronApi, topo: NeutronTopology, res: NeutronLabState['resources'], p: NeutronLabPaths): Promise<Facts> {
  const routerId = res.routerId!;
  const get = <T>(url: string): Promise<T> => api.neutronRequest<T>('GET', url);
  const [{ router }, { subnets }, { ports: routerPorts }, { ports: fgPorts }, { floatingips }, { agents }, l3] = await Promise.all([
    get<{ router: { id: string; name: string; ha?: boolean; distributed?: boolean; external_gateway_info?: { network_id: string; enable_snat?: boolean; external_fixed_ips?: { ip_address: string }[] } } }>(`/routers/${routerId}`),
    get<{ subnets: { id: string; network_id: string; cidr: string; gateway_ip: string | null; ip_version: number }[] }>('/subnets'),
    get<{ ports: ApiPort[] }>(`/ports?device_id=${routerId}`),
    get<{ ports: ApiPort[] }>('/ports?device_owner=network:floatingip_agent_gateway'),
    get<{ floatingips: { id: string; floating_ip_address: string; fixed_ip_address: string; port_id: string; router_id: string; floating_network_id: string }[] }>('/floatingips'),
    get<{ agents: { host: string; agent_type: string; alive: boolean; configurations?: { agent_mode?: AgentMode } }[] }>('/agents'),
    routerAgents(api, routerId),
  ]);
  const instancePort = (await get<{ port: ApiPort }>(`/ports/${res.instancePortId!}`)).port;
  const prefixBySubnet = Object.fromEntries(subnets.map((s) => [s.id, Number(s.cidr.split('/')[1])]));
  const mode = topo.routerMode;
  const modeOf = (host: string): string | undefined => agents.find((a) => a.host === host && a.agent_type === 'L3 agent')?.configurations?.agent_mode;
  const ha = mode === 'ha' || mode === 'dvr-ha';
  // DVR: /routers/{id}/l3-agents lists only the bound (snat) agents; the dvr agents of hosts with
  // a port on the router's subnets build qrouter- too (scheduled implicitly): add the instance host
  const dvrHost = (mode === 'dvr' || mode === 'dvr-ha') && instancePort['binding:host_id'] && modeOf(instancePort['binding:host_id']) === 'dvr'
    ? [instancePort['binding:host_id']] : [];
  const hosts = [...new Set([...l3.map((a) => a.host), ...dvrHost])].sort();
  const snatHosts = mode === 'dvr' || mode === 'dvr-ha' ? hosts.filter((h) => modeOf(h) === 'dvr_snat') : undefined;
  const haHosts = mode === 'ha' ? hosts : mode === 'dvr-ha' ? snatHosts ?? [] : [];
  const haState = ha ? Object.fromEntries(l3.filter((a) => haHosts.includes(a.host)).map((a) => [a.host, a.ha_state ?? 'unknown'])) : undefined;
  const gw = router.external_gateway_info;
  const internal = routerPorts.filter((x) => x.device_owner.startsWith('network:router_interface') || x.device_owner === 'network:ha_router_replicated_interface');
  const subnetOf = (id: string): (typeof subnets)[number] | undefined => subnets.find((s) => s.id === id);
  const fgMine = fgPorts.filter((x) => x.network_id === gw?.network_id);
  const facts: Facts = {
    version: 1,
    profile: topo.profile,
    release: 'zed',  // Debian 12's neutron 2:21 (the release the API reports for --cloud too)
    routers: [{
      id: router.id, name: router.name, mode, externalNetworkId: gw?.network_id, gatewayIp: gw?.external_fixed_ips?.[0]?.ip_address,
      externalGatewayIp: NLAB_NET.extGw, enableSnat: gw?.enable_snat ?? true, haVrId: ha ? readVrId(p, haHosts, router.id) : undefined, haState,
      hosts, snatHosts,
      subnets: internal.flatMap((x) => x.fixed_ips.map((f) => subnetOf(f.subnet_id))).filter((s): s is NonNullable<typeof s> => s !== undefined)
        .map((s) => ({ id: s.id, networkId: s.network_id, cidr: s.cidr, gatewayIp: s.gateway_ip ?? '' })),
    }],
    ports: [...routerPorts, ...fgMine, instancePort].map((x) => factsPortOf(x, prefixBySubnet)),
    floatingIps: floatingips.map((f) => ({
      id: f.id, floatingIp: f.floating_ip_address, fixedIp: f.fixed_ip_address, portId: f.port_id, routerId: f.router_id,
      host: instancePort['binding:host_id'], externalNetworkId: f.floating_network_id,
    })),
    instances: [{ id: instancePort.device_id, name: 'vm1', host: instancePort['binding:host_id'] ?? topo.instanceHost, portId: instancePort.id, mac: instancePort.mac_address, ip: instancePort.fixed_ips[0].ip_address }],
    agents: agents.flatMap((a): Facts['agents'] => {
      if (a.agent_type === 'L3 agent') return [{ host: a.host, type: 'l3' as const, agentMode: a.configurations?.agent_mode, alive: a.alive }];
      if (a.agent_type === 'Open vSwitch agent') return [{ host: a.host, type: 'ovs' as const, alive: a.alive }];
      return [];
    }),
    firewallDriver: 'noop',
    agentModes: Object.fromEntries(agents.filter((a) => a.agent_type === 'L3 agent' && a.configurations?.agent_mode).map((a) => [a.host, a.configurations!.agent_mode!])),
    upstream: { node: 'upstream', ip: NLAB_NET.extGw },
  };
  return facts;
}
