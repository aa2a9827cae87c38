import type { CheckContext } from '../../src/engine/types';
import type { NodeSnapshot, OvsFlow } from '../../src/model/types';

/**
 * The OVS agent's `[securitygroup] firewall_driver` decides where ARP anti-spoofing lives
 * (ground-truth §4, §4.1):
 * - iptables_hybrid (and plain iptables): the agent's own table 0 `arp → 24` and table 24
 *   `arp_spa` flows (ARP_SPOOF_TABLE = 24);
 * - openvswitch: the OVS firewall provides it (`provides_arp_spoofing_protection`): the agent
 *   installs nothing per port in table 24 (only its `priority=0 drop`), the firewall matches
 *   `arp, in_port, arp_spa` in table 71 (BASE_EGRESS_TABLE);
 * - noop: security groups off, but the noop driver does not provide ARP spoofing protection
 *   (FirewallDriver.provides_arp_spoofing_protection = False), so the agent installs its own
 *   table 0 → 24 → 25 flows exactly as with iptables_hybrid (seen on real Zed, issue 16: the
 *   real-Neutron lab engine runs noop; test/checks/fixtures/real/zed-real-engine-*).
 */
export type FirewallDriver = 'openvswitch' | 'iptables_hybrid' | 'iptables' | 'noop';

export const FIREWALL_DRIVERS: readonly FirewallDriver[] = ['openvswitch', 'iptables_hybrid', 'iptables', 'noop'];

/** table holding the per-port `arp_spa` flows for a driver */
export function arpSpoofTable(driver: FirewallDriver): number {
  if (driver === 'openvswitch') return OVS_FW_EGRESS_TABLE;
  return ARP_SPOOF_TABLE;
}

export const ARP_SPOOF_TABLE = 24;
/** openvswitch firewall: BASE_EGRESS_TABLE; 71–73 egress, 81–82 ingress (ovs_constants) */
export const OVS_FW_EGRESS_TABLE = 71;
const OVS_FW_TABLES = new Set([71, 72, 73, 81, 82]);

export interface FirewallView {
  driver?: FirewallDriver;
  /** where the driver came from: "facts", "profile", "flows of br-int on <node>" */
  source: string;
}

function asDriver(v: unknown): FirewallDriver | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  // neutron also accepts the class path (…OVSFirewallDriver, …OVSHybridIptablesFirewallDriver)
  if (s === 'openvswitch' || s.endsWith('.ovsfirewalldriver')) return 'openvswitch';
  if (s === 'iptables_hybrid' || s.endsWith('ovshybridiptablesfirewalldriver')) return 'iptables_hybrid';
  if (s === 'iptables' || s.endsWith('.iptablesfirewalldriver')) return 'iptables';
  if (s === 'noop' || s.endsWith('.noopfirewalldriver')) return 'noop';
  return undefined;
}

/** the openvswitch firewall's tables in use (tables 71–82 are only ever filled by it) */
export function detectFirewallFromFlows(flows: OvsFlow[] | undefined): FirewallDriver | undefined {
  if (!flows || flows.length === 0) return undefined;
  if (flows.some((f) => OVS_FW_TABLES.has(f.table) || /resubmit\(,71\)|goto_table:71/.test(f.actions))) return 'openvswitch';
  if (flows.some((f) => f.table === ARP_SPOOF_TABLE && f.match['arp_spa'] !== undefined)) return 'iptables_hybrid';
  return undefined;
}

/**
 * The firewall driver of one node: facts (`firewallDriver`, per host in `firewallDrivers`) win,
 * then the profile param `firewallDriver`, then what the node's br-int flows show.
 */
export function firewallDriverOf(ctx: CheckContext, node: NodeSnapshot, bridge: string): FirewallView {
  const perHost = asDriver(ctx.facts?.firewallDrivers?.[node.node]);
  if (perHost) return { driver: perHost, source: `facts firewallDrivers.${node.node}` };
  const cloud = asDriver(ctx.facts?.firewallDriver);
  if (cloud) return { driver: cloud, source: 'facts firewallDriver' };
  const prof = asDriver(ctx.params['firewallDriver']);
  if (prof) return { driver: prof, source: 'profile firewallDriver' };
  const seen = detectFirewallFromFlows(node.flows[bridge]);
  if (seen) return { driver: seen, source: `flows of ${bridge} on ${node.node}` };
  return { source: 'unknown' };
}
