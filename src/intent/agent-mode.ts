import type { AgentMode, Facts, FactsFloatingIp } from '../model/facts';

/**
 * L3 agent mode of a host from the facts: `agentModes[host]` first, then the host's l3 agent in
 * `agents` (what src/garp/plan-announcer.ts reads). undefined when the facts do not say.
 */
export function agentModeOf(facts: Facts | undefined, host: string | undefined): AgentMode | undefined {
  if (!facts || host === undefined) return undefined;
  return facts.agentModes?.[host] ?? facts.agents.find((a) => a.type === 'l3' && a.host === host)?.agentMode;
}

/**
 * A DVR floating IP is centralized (DVR_SNAT_BOUND: a /32 on qg- of snat-<router> on the snat host,
 * NAT there, announced with the qg- MAC) when the facts list it without a host, or its instance runs
 * on a dvr_no_external node (ground-truth §3a, §3c, §3e) — the same rule as the G-ARP planner's.
 */
export function isCentralizedFip(facts: Facts | undefined, f: FactsFloatingIp): boolean {
  if (f.host === undefined) return true;
  return agentModeOf(facts, f.host) === 'dvr_no_external';
}
