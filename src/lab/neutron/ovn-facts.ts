import type { Facts } from '../../model/facts';
import type { NeutronApi } from './api';
import { factsPortOf, type ApiPort } from './facts';
import { NLAB_NET } from './names';
import type { OvnTopology } from './ovn-topology';
import type { NeutronLabState } from './state';

/**
 * facts.json of the OVN lab, from the API (issue 11). `routers` stays empty: an OVN router has no
 * L3 agent, no namespace and no HaMode of the OVS profiles (its HA is OVN's gateway chassis list,
 * read from the NB by the `ovn` profile); ports, floating IPs and instances are as the engine's.
 */
export async function buildOvnFacts(api: NeutronApi, topo: OvnTopology, state: NeutronLabState): Promise<Facts> {
  const get = <T>(url: string): Promise<T> => api.neutronRequest<T>('GET', url);
  const routerId = state.resources.routerId!;
  const [{ subnets }, { ports: routerPorts }, { floatingips }, { ports: fipPorts }] = await Promise.all([
    get<{ subnets: { id: string; cidr: string }[] }>('/subnets'),
    get<{ ports: ApiPort[] }>(`/ports?device_id=${routerId}`),
    get<{ floatingips: { id: string; floating_ip_address: string; fixed_ip_address: string; port_id: string; router_id: string; floating_network_id: string }[] }>('/floatingips'),
    get<{ ports: ApiPort[] }>('/ports?device_owner=network:floatingip'),
  ]);
  // a distributed FIP's external_mac is its own port's MAC (docs/ovn-lab.md, found 2)
  const fipPortMac = new Map(fipPorts.map((x) => [x.device_id, x.mac_address.toLowerCase()]));
  const inst = Object.entries(state.ovn?.instances ?? {});
  const instPorts = await Promise.all(inst.map(async ([, i]) => (await get<{ port: ApiPort }>(`/ports/${i.portId}`)).port));
  const prefixBySubnet = Object.fromEntries(subnets.map((s) => [s.id, Number(s.cidr.split('/')[1])]));
  const hostOfPort = new Map(instPorts.map((x) => [x.id, x['binding:host_id']]));
  return {
    version: 1,
    profile: topo.profile,
    release: 'zed',
    routers: [],
    ports: [...routerPorts, ...instPorts].map((x) => factsPortOf(x, prefixBySubnet)),
    floatingIps: floatingips.map((f) => ({
      id: f.id, floatingIp: f.floating_ip_address, fixedIp: f.fixed_ip_address, portId: f.port_id, routerId: f.router_id,
      host: hostOfPort.get(f.port_id), externalNetworkId: f.floating_network_id,
      ...(fipPortMac.has(f.id) ? { portMac: fipPortMac.get(f.id) } : {}),
    })),
    instances: inst.map(([name, i], k) => ({ id: instPorts[k].device_id, name, host: i.host, portId: i.portId, mac: instPorts[k].mac_address, ip: instPorts[k].fixed_ips[0].ip_address })),
    agents: [],
    upstream: { node: 'upstream', ip: NLAB_NET.extGw },
  };
}
