import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { FactsNovaNetwork } from '../src/model/facts-nova';
import { evidenceFor, notCollectedReason, wasNamespaceCollected } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { findDevice, findNamespace, findNode } from './lib/lookup';
import { ipv4Addresses } from './lib/net';
import { NOVA_CODE, NOVA_GROUND_TRUTH, NOVA_SEED, novaDuties, novaOf } from './lib/nova';
import { readVlanDevice, vlanDeviceProblems, vlanIdOf } from './lib/nova-vlan';
import type { NodeSnapshot } from '../src/model/types';

/**
 * nova-network VlanManager (ground-truth §5b): per network `vlan<N>` on vlan_interface
 * (LinuxBridgeInterfaceDriver.ensure_vlan: `ip link add link <if> name vlan<N> type vlan id <N>`)
 * enslaved in its bridge br<N> (`net.bridge = 'br%s' % vlan`), on the network host and on every
 * compute with instances on it; the network host's br<N> carries the dhcp_server
 * (initialize_gateway_device). A vlan device on the wrong id, parent or bridge puts the tenant on
 * another tenant's L2, or on none. The id is read from `ip -d` for an 802.1Q device, or from OVSDB
 * (Port.tag) when vlan<N> is a tagged OVS internal port (the lab's stand-in: checks/lib/nova-vlan.ts).
 */
export const check: Check = {
  id: 'nova-vlan-bridge',
  title: 'nova-network VlanManager: each network\'s br<N> carries its vlan<N> (id N on vlan_interface) and its dhcp_server',
  description:
    'Under VlanManager, for each network with vlan N: on its network host and on every compute with instances on it, a vlan<N> device ' +
    '(802.1Q id N, parent = vlan_interface) enslaved in the network\'s bridge br<N>; on the network host br<N> also carries dhcp_server. ' +
    'Two networks on one vlan id fail.',
  severity: 'critical',
  references: [NOVA_GROUND_TRUTH, NOVA_CODE, NOVA_SEED],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const nova = novaOf(ctx);
    if (!nova || nova.networkManager !== 'vlan') return out.done();
    const duties = novaDuties(nova);
    const byVlan = new Map<number, FactsNovaNetwork[]>();
    for (const net of nova.networks) if (net.vlan !== undefined) byVlan.set(net.vlan, [...(byVlan.get(net.vlan) ?? []), net]);
    for (const [vlan, nets] of byVlan) {
      if (nets.length < 2) continue;
      out.fail(out.look({ device: `vlan${vlan}` }), {
        message: `networks ${nets.map((n) => n.label).join(', ')} share vlan ${vlan}: their instances are on one L2 segment`,
        expected: 'one vlan per network', actual: `vlan ${vlan}: ${nets.map((n) => n.label).join(', ')}`, evidence: [],
      });
    }
    for (const net of nova.networks) {
      if (net.vlan === undefined) {
        out.skip(out.look({ device: net.bridge }), { message: `network ${net.label} has no vlan in the facts: its vlan device is not judged`, evidence: [] });
        continue;
      }
      const dev = `vlan${net.vlan}`;
      const servers = new Map(duties.filter((d) => d.network === net).map((d) => [d.host, d.dhcpServer]));
      const hosts = [...new Set([...servers.keys(), ...(nova.fixedIps ?? []).filter((f) => f.network === net.label).map((f) => f.host)])];
      for (const host of hosts) {
        const subject = out.look({ node: host, device: net.bridge });
        const node = findNode(ctx.snapshot, host);
        if (!node) {
          out.skip(subject, { message: `${host} was not read`, evidence: [] });
          continue;
        }
        if (!wasNamespaceCollected(node, '', 'addr')) {
          out.skip(subject, { message: notCollectedReason(node, 'addr', ''), evidence: evidenceFor(node, ['versions']) });
          continue;
        }
        const ev = evidenceFor(node, ['addr:', 'ovs-vsctl']);
        const root = findNamespace(node, '');
        const v = findDevice(root, dev);
        const br = findDevice(root, net.bridge);
        const problems: string[] = [];
        if (!v) problems.push(`no ${dev}`);
        else {
          const reading = readVlanDevice(node, v);
          if (reading.via === 'unread') {
            out.skip(subject, { message: `${dev} on ${host} is a ${reading.kind} device (an OVS port?) and OVSDB was not read: its vlan id is not judged`, evidence: ev });
            continue;
          }
          problems.push(...vlanDeviceProblems(v, reading, { vlan: net.vlan, bridge: net.bridge, vlanInterface: net.bridgeInterface }, othersOn(node, nova.networks, net)));
        }
        if (!br) problems.push(`no bridge ${net.bridge}`);
        const dhcp = servers.get(host);
        if (br && dhcp !== undefined && !ipv4Addresses(br).some((a) => a.address === dhcp)) problems.push(`dhcp_server ${dhcp} not on ${net.bridge}`);
        if (problems.length > 0) {
          out.fail(subject, {
            message: `network ${net.label} (vlan ${net.vlan}) on ${host}: ${problems.join('; ')}`,
            expected: `${dev}@${net.bridgeInterface ?? '<vlan_interface>'} (802.1Q id ${net.vlan}) in ${net.bridge}` + (dhcp ? `, ${dhcp} on ${net.bridge}` : ''),
            actual: problems.join('; '),
            evidence: ev,
          });
        }
      }
    }
    return out.done();
  },
};

/** the vlan ids the other networks' vlan devices carry on this node (as read: ip -d or OVSDB) */
function othersOn(node: NodeSnapshot, networks: FactsNovaNetwork[], net: FactsNovaNetwork): { label: string; bridge: string; id: number }[] {
  const root = findNamespace(node, '');
  const out: { label: string; bridge: string; id: number }[] = [];
  for (const o of networks) {
    if (o === net || o.vlan === undefined) continue;
    const d = findDevice(root, `vlan${o.vlan}`);
    const id = d ? vlanIdOf(readVlanDevice(node, d)) : undefined;
    if (id !== undefined) out.push({ label: o.label, bridge: o.bridge, id });
  }
  return out;
}
