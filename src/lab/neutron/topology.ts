import type { AgentMode, HaMode } from '../../model/facts';
import type { Role } from '../../model/types';
import { HaprobeError } from '../../errors';
import { NLAB_NET } from './names';

/**
 * What each real-engine profile runs (pure data). Small on purpose: every node costs about
 * 650 MB (agents + privsep helpers), an HA router ~250 MB per node (issue 16).
 */
export interface NeutronNode {
  name: string;
  kind: 'network' | 'compute' | 'gateway' | 'central';
  roles: Role[];
  mgmtIp: string;
  /** br-phy address, VXLAN local_ip (not on the gateway) */
  tunnelIp?: string;
  /** L3 agent mode; undefined = no L3 agent on this node */
  agentMode?: AgentMode;
}

export interface NeutronTopology {
  profile: string;
  routerMode: HaMode;
  nodes: NeutronNode[];
  /** the instance host (one instance, vm1, with a floating IP) */
  instanceHost: string;
}

export const NEUTRON_PROFILES = ['neutron-legacy', 'neutron-l3ha', 'neutron-dvr', 'neutron-dvr-snat-ha'] as const;
export type NeutronProfile = (typeof NEUTRON_PROFILES)[number];

export function isNeutronProfile(p: string): p is NeutronProfile {
  return (NEUTRON_PROFILES as readonly string[]).includes(p);
}

function net(i: number, mode: AgentMode): NeutronNode {
  return { name: `net${i}`, kind: 'network', roles: ['network'], mgmtIp: `198.18.8.${10 + i}`, tunnelIp: `${NLAB_NET.tunnelPrefix}${10 + i}`, agentMode: mode };
}
function cmp(i: number, mode?: AgentMode): NeutronNode {
  return { name: `cmp${i}`, kind: 'compute', roles: ['compute'], mgmtIp: `198.18.8.${20 + i}`, tunnelIp: `${NLAB_NET.tunnelPrefix}${20 + i}`, agentMode: mode };
}

export function topologyOf(profile: string): NeutronTopology {
  if (!isNeutronProfile(profile)) {
    throw new HaprobeError('usage', `unknown real-engine profile "${profile}"`, { hint: `one of ${NEUTRON_PROFILES.join(', ')}` });
  }
  const upstream: NeutronNode = { name: 'upstream', kind: 'gateway', roles: ['gateway'], mgmtIp: NLAB_NET.upstreamMgmt };
  const byProfile: Record<NeutronProfile, { mode: HaMode; nodes: NeutronNode[] }> = {
    'neutron-legacy': { mode: 'legacy', nodes: [net(1, 'legacy'), cmp(1)] },
    'neutron-l3ha': { mode: 'ha', nodes: [net(1, 'legacy'), net(2, 'legacy'), cmp(1)] },
    'neutron-dvr': { mode: 'dvr', nodes: [net(1, 'dvr_snat'), cmp(1, 'dvr')] },
    'neutron-dvr-snat-ha': { mode: 'dvr-ha', nodes: [net(1, 'dvr_snat'), net(2, 'dvr_snat'), cmp(1, 'dvr')] },
  };
  const p = byProfile[profile];
  return { profile, routerMode: p.mode, nodes: [upstream, ...p.nodes], instanceHost: 'cmp1' };
}
