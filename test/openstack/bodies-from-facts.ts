import { createHash } from 'node:crypto';
import type { Facts, FactsPort } from '../../src/model/facts';
import { readFixture, type CloudData } from './api-server';

/**
 * Neutron API bodies equivalent to a facts document (the inverse of buildFactsFromApi), made
 * from the API reference's own sample bodies (test/fixtures/openstack-api, SOURCE) with the
 * values of the facts written in. Used to serve "the lab's cloud" over real HTTP(S) so that
 * `run --cloud` can be compared with `run --facts` on the same lab.
 * What the API cannot tell (haVrId, upstream, firewallDriver, instance names) is not carried.
 */
type Json = Record<string, any>;

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** a stable UUID for a synthesized object (subnets the facts do not name) */
export function synthUuid(kind: string, key: string): string {
  const h = createHash('sha256').update(`${kind}\u0000${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((a, b) => a * 256 + Number(b), 0);
}
function intToV4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
function expandV6(ip: string): number[] {
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':').map((x) => parseInt(x, 16)) : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':').map((x) => parseInt(x, 16)) : [];
  return ip.includes('::') ? [...h, ...new Array(8 - h.length - t.length).fill(0), ...t] : h;
}
/** the network (cidr) of ip/len; IPv6 only on 16-bit boundaries (enough for the lab's /64s) */
export function networkOf(ip: string, len: number): string {
  if (ip.includes(':')) {
    const g = expandV6(ip).map((x, i) => (i * 16 < len ? x : 0));
    return `${g.map((x) => x.toString(16)).join(':').replace(/(^|:)0(:0)+(:|$)/, '::')}/${len}`;
  }
  const size = 2 ** (32 - len);
  return `${intToV4(Math.floor(v4ToInt(ip) / size) * size)}/${len}`;
}
function inCidr(cidr: string, ip: string): boolean {
  const [net, l] = cidr.split('/');
  if (ip.includes(':') !== net!.includes(':')) return false;
  return networkOf(ip, Number(l)) === networkOf(net!, Number(l));
}

const AGENT_TYPE = { l3: ['L3 agent', 'neutron-l3-agent'], ovs: ['Open vSwitch agent', 'neutron-openvswitch-agent'], dhcp: ['DHCP agent', 'neutron-dhcp-agent'], metadata: ['Metadata agent', 'neutron-metadata-agent'] } as const;

/** nova maximum microversion that reads back as this release family (release-from-api.ts) */
const NOVA_VERSION_OF: Record<string, string> = { 'pike+': '2.54', pike: '2.53', mitaka: '2.25', train: '2.79', newton: '2.38', queens: '2.60' };

export function apiBodiesFromFacts(facts: Facts): CloudData {
  const tRouter = readFixture('neutron/routers-list-response.json').routers[0] as Json;
  const tPort = readFixture('neutron/ports-list-response.json').ports[0] as Json;
  const tFip = readFixture('neutron/floating-ips-list-response.json').floatingips[0] as Json;
  const tNet = readFixture('neutron/networks-list-response.json').networks[0] as Json;
  const tSubnet = readFixture('neutron/subnets-list-response.json').subnets[0] as Json;
  const tAgents = readFixture('neutron/agents-list-response.json').agents as Json[];
  const tHosting = readFixture('neutron/router-l3-agent-list-response.json').agents[0] as Json;

  // subnets: the routers' internal ones, then one per (network, first-IP prefix) of every port
  const subnets: Json[] = [];
  const addSubnet = (networkId: string, cidr: string, gatewayIp: string | null, id?: string): void => {
    if (subnets.some((s) => s.cidr === cidr && s.network_id === networkId)) return;
    subnets.push({ ...clone(tSubnet), id: id ?? synthUuid('subnet', `${networkId}/${cidr}`), network_id: networkId, cidr, gateway_ip: gatewayIp, ip_version: cidr.includes(':') ? 6 : 4, name: '' });
  };
  for (const r of facts.routers) for (const s of r.subnets) addSubnet(s.networkId, s.cidr, s.gatewayIp, s.id);
  for (const r of facts.routers)
    if (r.externalNetworkId && r.gatewayIp) {
      const qg = facts.ports.find((p) => p.deviceId === r.id && p.deviceOwner === 'network:router_gateway');
      addSubnet(r.externalNetworkId, networkOf(r.gatewayIp, qg?.prefixLen ?? 24), r.externalGatewayIp ?? null);
    }
  const subnetFor = (p: FactsPort, ip: string, first: boolean): string => {
    const found = subnets.find((s) => s.network_id === p.networkId && inCidr(s.cidr, ip));
    if (found) return found.id;
    const len = first && p.prefixLen !== undefined ? p.prefixLen : ip.includes(':') ? 64 : 32;
    addSubnet(p.networkId, networkOf(ip, len), null);
    return subnets[subnets.length - 1]!.id;
  };

  const ports = facts.ports.map((p) => ({
    ...clone(tPort),
    id: p.id,
    name: '',
    device_owner: p.deviceOwner,
    device_id: p.deviceId ?? '',
    network_id: p.networkId,
    mac_address: p.mac,
    fixed_ips: p.fixedIps.map((ip, i) => ({ ip_address: ip, subnet_id: subnetFor(p, ip, i === 0) })),
    'binding:host_id': p.host ?? '',
    admin_state_up: p.adminStateUp !== false,
    port_security_enabled: p.portSecurityEnabled !== false,
    allowed_address_pairs: (p.allowedAddressPairs ?? []).map((a) => ({ ip_address: a.ipAddress, ...(a.macAddress ? { mac_address: a.macAddress } : {}) })),
  }));

  const networkIds = new Set([...facts.ports.map((p) => p.networkId), ...subnets.map((s) => s.network_id as string)]);
  const networks = [...networkIds].map((id) => ({ ...clone(tNet), id, name: '', subnets: subnets.filter((s) => s.network_id === id).map((s) => s.id) }));

  const extSubnetOf = (netId: string, ip: string): string | undefined => subnets.find((s) => s.network_id === netId && inCidr(s.cidr, ip))?.id;
  const routers = facts.routers.map((r) => ({
    ...clone(tRouter),
    id: r.id,
    name: r.name ?? '',
    ha: r.mode === 'ha' || r.mode === 'dvr-ha',
    distributed: r.mode === 'dvr' || r.mode === 'dvr-ha',
    flavor_id: null,
    routes: [],
    external_gateway_info: r.externalNetworkId
      ? { network_id: r.externalNetworkId, enable_snat: r.enableSnat ?? true, external_fixed_ips: r.gatewayIp ? [{ ip_address: r.gatewayIp, subnet_id: extSubnetOf(r.externalNetworkId, r.gatewayIp) }] : [] }
      : null,
  }));

  const modeOf = (host: string): string | undefined => facts.agentModes?.[host] ?? facts.agents.find((a) => a.type === 'l3' && a.host === host)?.agentMode;
  const aliveOf = (host: string): boolean => facts.agents.find((a) => a.type === 'l3' && a.host === host)?.alive ?? true;
  const agentId = (host: string, type: string): string => synthUuid('agent', `${host}/${type}`);
  const l3AgentsByRouter: Record<string, Json[]> = {};
  for (const r of facts.routers) {
    // as neutron answers: for a DVR router only the bound (dvr_snat) agents are listed
    const listed = r.mode === 'dvr' || r.mode === 'dvr-ha' ? r.hosts.filter((h) => modeOf(h) === 'dvr_snat') : r.hosts;
    l3AgentsByRouter[r.id] = listed.map((h) => ({
      ...clone(tHosting),
      id: agentId(h, 'l3'),
      host: h,
      alive: aliveOf(h),
      ha_state: r.haState?.[h] ?? null,
      configurations: { ...clone(tHosting.configurations), agent_mode: modeOf(h) ?? 'legacy' },
    }));
  }

  const agents = facts.agents.map((a) => {
    const [type, binary] = AGENT_TYPE[a.type];
    const tpl = tAgents.find((x) => x.agent_type === type) ?? tAgents[0]!;
    const configurations = clone(tpl.configurations ?? {});
    if (a.type === 'l3') configurations.agent_mode = a.agentMode ?? modeOf(a.host) ?? 'legacy';
    return { ...clone(tpl), id: agentId(a.host, a.type), agent_type: type, binary, host: a.host, alive: a.alive, configurations };
  });

  const floatingips = facts.floatingIps.map((f) => ({
    ...clone(tFip),
    id: f.id ?? synthUuid('fip', f.floatingIp),
    floating_ip_address: f.floatingIp,
    fixed_ip_address: f.fixedIp,
    port_id: f.portId,
    router_id: f.routerId,
    floating_network_id: f.externalNetworkId ?? facts.routers.find((r) => r.id === f.routerId)?.externalNetworkId,
  }));

  const cloud: CloudData = { routers, ports, floatingips, networks, subnets, agents, l3AgentsByRouter };
  const version = facts.release ? NOVA_VERSION_OF[facts.release] : undefined;
  if (version) {
    const doc = readFixture('nova/versions-get-resp.json').versions as Json[];
    cloud.computeVersions = doc.map((v) => (v.id === 'v2.1' ? { ...v, version } : v));
  }
  return cloud;
}

/**
 * The facts the API can tell, for comparing buildFactsFromApi(apiBodiesFromFacts(f)) with f:
 * haVrId, upstream, firewallDriver(s), profile and instance names are not in the API; a subnet the
 * facts left without id gets the API's; a port's prefixLen comes from its subnet.
 */
export function apiVisibleFacts(f: Facts): Facts {
  const c = clone(f);
  delete c.upstream;
  delete c.firewallDriver;
  delete c.firewallDrivers;
  delete c.profile;
  for (const r of c.routers) {
    delete r.haVrId;
    for (const s of r.subnets) delete s.id;
    if (r.snatHosts === undefined) delete r.snatHosts;
    if (r.haState === undefined) delete r.haState;
  }
  for (const i of c.instances) delete i.name;
  for (const p of c.ports) delete p.prefixLen;
  const byId = <T extends { id?: string; portId?: string }>(a: T, b: T): number => (a.id ?? a.portId ?? '').localeCompare(b.id ?? b.portId ?? '');
  c.routers.sort(byId);
  c.ports.sort(byId);
  c.floatingIps.sort(byId);
  c.instances.sort(byId);
  c.agents.sort((a, b) => `${a.host}/${a.type}`.localeCompare(`${b.host}/${b.type}`));
  return JSON.parse(JSON.stringify(c)) as Facts;
}
