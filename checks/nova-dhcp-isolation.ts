import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { FactsNovaNetwork } from '../src/model/facts-nova';
import type { NodeSnapshot } from '../src/model/types';
import { evidenceFor, wasNamespaceCollected } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { findDevice, findNamespace, findNode } from './lib/lookup';
import { ipv4Addresses } from './lib/net';
import { NOVA_CODE, NOVA_GROUND_TRUTH, NOVA_SEED, novaDuties, novaOf, type NovaDuty } from './lib/nova';
import { isolationRulesMissing, sharesDhcpAddress } from './lib/nova-isolation';

/**
 * multi_host networks (ground-truth §5b): every host's dnsmasq needs an address of its own on
 * the flat (or vlan) segment — a fixed IP reserved per host (_get_dhcp_ip) — unless the network
 * shares one (networks.share_address, or share_dhcp_address=True in nova.conf): then every host
 * carries the same dhcp_server and linux_net.isolate_dhcp_address keeps it host-local with four
 * ebtables DROP rules on the bridge's interface (ARP in for it, ARP out from it, DHCP 67:68 both
 * ways across). Without them, every host answers ARP for the shared address and every dnsmasq
 * hears every instance's DHCP: instances get another host's gateway (and its NAT and FIPs).
 */
export const check: Check = {
  id: 'nova-dhcp-isolation',
  title: 'nova-network multi_host: a dhcp_server of its own per host, or a shared one isolated by ebtables',
  description:
    'For each multi_host network: without share_address no two hosts carry the same dhcp_server (facts or bridges); with ' +
    'share_address (networks.share_address or share_dhcp_address=True) every host serving it has the isolate_dhcp_address ' +
    'ebtables rules on the bridge interface: INPUT -p ARP -i <if> --arp-ip-dst <addr> -j DROP, OUTPUT -p ARP -o <if> ' +
    '--arp-ip-src <addr> -j DROP, FORWARD -p IPv4 -i/-o <if> --ip-proto udp --ip-dport 67:68 -j DROP.',
  severity: 'critical',
  references: [NOVA_GROUND_TRUTH, NOVA_CODE, NOVA_SEED],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const nova = novaOf(ctx);
    if (!nova) return out.done();
    const duties = novaDuties(nova);
    for (const net of nova.networks.filter((n) => n.multiHost)) {
      const mine = duties.filter((d) => d.network === net);
      for (const duty of mine) {
        const subject = out.look({ node: duty.host, device: net.bridge });
        const node = findNode(ctx.snapshot, duty.host);
        if (sharesDhcpAddress(net, node)) judgeIsolation(out, subject, duty, node);
        else judgeOwnAddress(out, subject, duty, mine, node);
      }
    }
    return out.done();
  },
};

type Outcome = ReturnType<typeof createOutcome>;
type Subject = ReturnType<Outcome['look']>;

/** the interface nova isolates: vlan<N> under VlanManager, else the bridge's interface (flat_interface) */
function isolatedInterface(net: FactsNovaNetwork, node: NodeSnapshot | undefined): string | undefined {
  if (net.vlan !== undefined) return `vlan${net.vlan}`;
  return net.bridgeInterface ?? node?.nova?.conf?.flat_interface;
}

function judgeIsolation(out: Outcome, subject: Subject, duty: NovaDuty, node: NodeSnapshot | undefined): void {
  if (!node) {
    out.skip(subject, { message: `${duty.host} was not read`, evidence: [] });
    return;
  }
  const ev = evidenceFor(node, ['nova-ebtables']);
  if (node.nova?.ebtables === undefined) {
    out.skip(subject, { message: `the bridge firewall of ${duty.host} was not read (no ebtables-save / ebtables on the node?): the share_address isolation is not judged`, evidence: evidenceFor(node, ['versions']) });
    return;
  }
  const iface = isolatedInterface(duty.network, node);
  const missing = isolationRulesMissing(node.nova.ebtables, iface, duty.dhcpServer);
  if (missing.length === 0) return;
  out.fail(subject, {
    message: `share_address: ${duty.host} carries the shared dhcp_server ${duty.dhcpServer} without ${missing.length === 4 ? 'any of ' : ''}the ebtables isolation ` +
      `(${missing.map((m) => m.what).join('; ')}): its bridge answers ARP for ${duty.dhcpServer} and its dnsmasq DHCP from every host's instances over ${iface ?? 'the flat interface'}`,
    expected: `ebtables filter: ${missing.map((m) => m.rule).join(' | ')}`,
    actual: `${node.nova.ebtables.rules.filter((r) => r.table === 'filter').length} filter rule(s), none of these`,
    evidence: ev,
  });
}

function judgeOwnAddress(out: Outcome, subject: Subject, duty: NovaDuty, all: NovaDuty[], node: NodeSnapshot | undefined): void {
  const twins = all.filter((d) => d !== duty && d.dhcpServer === duty.dhcpServer).map((d) => d.host);
  if (twins.length > 0) {
    out.fail(subject, {
      message: `${duty.host} and ${twins.join(', ')} have the same dhcp_server ${duty.dhcpServer} on multi_host network ${duty.network.label} without share_address: ` +
        'ARP for it is answered by every one of them over the flat network (no ebtables isolation)',
      expected: 'a dhcp_server fixed IP per host (_get_dhcp_ip), or share_address with the isolate_dhcp_address rules',
      actual: `${[duty.host, ...twins].join(', ')}: ${duty.dhcpServer}`,
      evidence: evidenceFor(node, ['addr:']),
    });
    return;
  }
  // the data plane: another host's dhcp_server on this host's bridge (an address moved by hand, a stale one)
  if (!node || !wasNamespaceCollected(node, '', 'addr')) return;
  const onBridge = new Set(ipv4Addresses(findDevice(findNamespace(node, ''), duty.network.bridge)).map((a) => a.address));
  const foreign = all.filter((d) => d.host !== duty.host && onBridge.has(d.dhcpServer));
  if (foreign.length === 0) return;
  out.fail(subject, {
    message: `${duty.network.bridge} of ${duty.host} also carries ${foreign.map((d) => `${d.dhcpServer} (dhcp_server of ${d.host})`).join(', ')}: two hosts answer ARP for one dhcp_server without share_address`,
    expected: `only ${duty.dhcpServer} of ${duty.host}'s dhcp_server addresses`,
    actual: [...onBridge].join(', '),
    evidence: evidenceFor(node, ['addr:']),
  });
}
