import type { FactsNovaNetwork } from '../../src/model/facts-nova';
import type { EbtablesRuleset } from '../../src/model/nova-types';
import type { NodeSnapshot } from '../../src/model/types';
import { ebtablesRuleOptions } from '../../src/parse/parse-ebtables';

/**
 * share_address (ground-truth §5b; nova/network/linux_net.py 2014.2 plug → isolate_dhcp_address):
 * one dhcp_server on every multi_host host, kept host-local by four ebtables filter rules on the
 * bridge's interface (flat_interface, or vlan<N>). Pure helpers of nova-dhcp-isolation.
 */

/** networks.share_address in the facts, or `share_dhcp_address = True` in the host's nova.conf (both make nova share it) */
export function sharesDhcpAddress(net: FactsNovaNetwork, node: NodeSnapshot | undefined): boolean {
  if (net.shareAddress === true) return true;
  return /^true$/i.test(node?.nova?.conf?.share_dhcp_address?.trim() ?? '');
}

interface IsolationRule {
  /** what it stops, for the finding */
  what: string;
  /** nova's own spelling (isolate_dhcp_address) */
  rule: string;
  chain: string;
  /** options that must match (aliases folded by ebtablesRuleOptions); `iface` in/out filled per interface */
  want: Record<string, string>;
}

function isolationRules(iface: string | undefined, address: string): IsolationRule[] {
  const i = iface ?? '<if>';
  return [
    { what: `ARP for ${address} coming in over ${i}`, rule: `INPUT -p ARP -i ${i} --arp-ip-dst ${address} -j DROP`, chain: 'INPUT', want: { proto: 'arp', 'arp-ip-dst': address, jump: 'drop', ...(iface ? { in: iface } : {}) } },
    { what: `ARP from ${address} going out over ${i}`, rule: `OUTPUT -p ARP -o ${i} --arp-ip-src ${address} -j DROP`, chain: 'OUTPUT', want: { proto: 'arp', 'arp-ip-src': address, jump: 'drop', ...(iface ? { out: iface } : {}) } },
    { what: `DHCP coming in over ${i}`, rule: `FORWARD -p IPv4 -i ${i} --ip-protocol udp --ip-destination-port 67:68 -j DROP`, chain: 'FORWARD', want: { proto: 'ipv4', 'ip-proto': 'udp', 'ip-dport': '67:68', jump: 'drop', ...(iface ? { in: iface } : {}) } },
    { what: `DHCP going out over ${i}`, rule: `FORWARD -p IPv4 -o ${i} --ip-protocol udp --ip-destination-port 67:68 -j DROP`, chain: 'FORWARD', want: { proto: 'ipv4', 'ip-proto': 'udp', 'ip-dport': '67:68', jump: 'drop', ...(iface ? { out: iface } : {}) } },
  ];
}

/**
 * The isolate_dhcp_address rules absent from the filter table (interface unknown = any interface
 * matches). A rule counts when it has every wanted option; extra options (a counter, a comment) do not matter.
 */
export function isolationRulesMissing(ruleset: EbtablesRuleset, iface: string | undefined, address: string): { what: string; rule: string }[] {
  const have = ruleset.rules.filter((r) => r.table === 'filter').map((r) => ({ chain: r.chain, opts: ebtablesRuleOptions(r.spec) }));
  return isolationRules(iface, address)
    .filter((want) => !have.some((h) => h.chain === want.chain && Object.entries(want.want).every(([k, v]) => h.opts[k] === v)))
    .map(({ what, rule }) => ({ what, rule }));
}
