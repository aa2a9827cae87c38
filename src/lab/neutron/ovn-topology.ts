import { HaprobeError } from '../../errors';
import { NLAB_NET } from './names';
import type { NeutronNode, NeutronTopology } from './topology';

/**
 * What the ML2/OVN lab runs (issue 11, pure data): a central node (NB/SB ovsdb-servers and
 * ovn-northd, no OVS), three gateway chassis (`ovn-cms-options=enable-chassis-as-gw`, provider
 * bridge br-ex), two computes (ovn-controller, neutron-ovn-metadata-agent, one instance each).
 * The router's gateway (SNAT, its address) is always centralized on the chassis that claims
 * cr-lrp-…; floating IPs are distributed (`[ovn] enable_distributed_floating_ip = True`, profile
 * `ovn`) or centralized (False, profile `ovn-centralized`): neutron's option is global, so one lab
 * has one kind (ovn_client.py sets external_mac only when the option is on and the LSP is up).
 */
export const OVN_PROFILES = ['ovn', 'ovn-centralized'] as const;
export type OvnProfile = (typeof OVN_PROFILES)[number];

export const OVN_CENTRAL = { name: 'central', mgmtIp: '198.18.8.5', nbPort: 6641, sbPort: 6642 } as const;
export const OVN_NB = `tcp:${OVN_CENTRAL.mgmtIp}:${OVN_CENTRAL.nbPort}`;
export const OVN_SB = `tcp:${OVN_CENTRAL.mgmtIp}:${OVN_CENTRAL.sbPort}`;
export const OVN_PHYSNET = 'extnet';

export interface OvnChassis extends NeutronNode {
  /** `enable-chassis-as-gw` in ovn-cms-options */
  gateway: boolean;
}

export interface OvnInstance {
  name: string;
  host: string;
  /** a floating IP is associated with its port */
  fip: boolean;
}

export interface OvnTopology extends NeutronTopology {
  profile: OvnProfile;
  distributedFip: boolean;
  central: NeutronNode;
  chassis: OvnChassis[];
  instances: OvnInstance[];
}

export function isOvnProfile(p: string): p is OvnProfile {
  return (OVN_PROFILES as readonly string[]).includes(p);
}

function chassis(name: string, i: number, gateway: boolean): OvnChassis {
  return {
    name, kind: gateway ? 'network' : 'compute', roles: [gateway ? 'network' : 'compute'],
    mgmtIp: `198.18.8.${i}`, tunnelIp: `${NLAB_NET.tunnelPrefix}${i}`, gateway,
  };
}

export function ovnTopologyOf(profile: string): OvnTopology {
  if (!isOvnProfile(profile)) throw new HaprobeError('usage', `unknown OVN lab profile "${profile}"`, { hint: `one of ${OVN_PROFILES.join(', ')}` });
  const upstream: NeutronNode = { name: 'upstream', kind: 'gateway', roles: ['gateway'], mgmtIp: NLAB_NET.upstreamMgmt };
  const central: NeutronNode = { name: OVN_CENTRAL.name, kind: 'central', roles: ['controller'], mgmtIp: OVN_CENTRAL.mgmtIp };
  const ch = [chassis('gw1', 11, true), chassis('gw2', 12, true), chassis('gw3', 13, true), chassis('cmp1', 21, false), chassis('cmp2', 22, false)];
  return {
    profile, routerMode: 'legacy', distributedFip: profile === 'ovn', central, chassis: ch,
    nodes: [upstream, central, ...ch], instanceHost: 'cmp1',
    instances: [{ name: 'vm1', host: 'cmp1', fip: true }, { name: 'vm2', host: 'cmp2', fip: true }],
  };
}
