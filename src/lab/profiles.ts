import type { AgentMode, HaMode } from '../model/facts';

/**
 * Lab profiles are data: how many nodes of each kind, how the router is deployed,
 * which instances get floating IPs at `lab up`. New modes (nova-network, multi-NIC)
 * add a row here plus whatever the planner needs, not a code branch per command.
 */
export interface LabProfile {
  id: string;
  title: string;
  /** network node count (net1..netN) */
  networkNodes: number;
  /** default compute count (cmp1..cmpN); `--computes` overrides */
  computes: number;
  /** agent_mode of the L3 agents on network nodes */
  networkAgentMode: AgentMode;
  /** agent_mode of L3 agents on computes (DVR only) */
  computeAgentMode?: AgentMode;
  routerMode: HaMode;
  /** which instances get a FIP at `up`: the first one, or every one */
  fipsAtUp: 'first' | 'all';
  /** release family the rendered rules follow */
  release: string;
  /** neutron-multinic-aa (seed 001): a second legacy router on net2, a second NIC and FIP, haproxy upstream */
  multiNic?: boolean;
}

export const PROFILES: readonly LabProfile[] = [
  {
    id: 'neutron-legacy',
    title: 'Legacy router on one network node (net1), 2 computes',
    networkNodes: 2,
    computes: 2,
    networkAgentMode: 'legacy',
    routerMode: 'legacy',
    fipsAtUp: 'first',
    release: 'pike+',
  },
  {
    id: 'neutron-l3ha',
    title: 'L3 HA router (keepalived/VRRP) on net1..net3, 1 compute',
    networkNodes: 3,
    computes: 1,
    networkAgentMode: 'legacy',
    routerMode: 'ha',
    fipsAtUp: 'first',
    release: 'pike+',
  },
  {
    id: 'neutron-dvr',
    title: 'DVR: snat on net1 (dvr_snat), distributed router + fip ns on computes',
    networkNodes: 1,
    computes: 2,
    networkAgentMode: 'dvr_snat',
    computeAgentMode: 'dvr',
    routerMode: 'dvr',
    fipsAtUp: 'all',
    release: 'pike+',
  },
  {
    id: 'neutron-dvr-snat-ha',
    title: 'DVR with snat-<router> under keepalived on net1 and net2',
    networkNodes: 2,
    computes: 2,
    networkAgentMode: 'dvr_snat',
    computeAgentMode: 'dvr',
    routerMode: 'dvr-ha',
    fipsAtUp: 'all',
    release: 'pike+',
  },
  {
    id: 'neutron-multinic-aa',
    title: 'Multi-NIC active/active (seed 001): legacy r1 on net1, r2 on net2, vm1 with a NIC and FIP on each, haproxy upstream',
    networkNodes: 2,
    computes: 1,
    networkAgentMode: 'legacy',
    routerMode: 'legacy',
    fipsAtUp: 'first',
    release: 'pike+',
    multiNic: true,
  },
];

export function findProfile(id: string): LabProfile | undefined {
  return PROFILES.find((p) => p.id === id);
}
