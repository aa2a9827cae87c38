import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { NodeSnapshot } from '../src/model/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { ovsInterfaceByName, portForDevice, routerPortDevices } from './lib/lookup';
import { deviceName, routerPortPrefixOf } from './lib/names';
import { normMac } from './lib/net';

/**
 * Router-side devices (qr-/qg-/ha-/sg-/fg-) in router namespaces: name = (prefix + port id)[:14],
 * MAC = neutron port MAC = OVS Interface external_ids:attached-mac (ground-truth §0.3, §8.1).
 * The same device in the same namespace on several nodes (HA replicas, DVR qr-) is one
 * neutron port, so it has one MAC everywhere (§3b).
 * DVR qrouter neighbours: PERMANENT entries are right for fixed IPs (the agent's
 * _set_subnet_arp_info) and wrong for an allowed-address-pair VIP, which moves between VMs by
 * G-ARP (VRRP inside the VMs, Octavia): a PERMANENT entry ignores that G-ARP (lp#1774459, lp#1869887).
 */

/** PERMANENT neighbours in DVR qrouter namespaces for IPs that are only allowed-address-pair VIPs */
function judgeAapNeighbours(ctx: CheckContext, out: ReturnType<typeof createOutcome>): void {
  const facts = ctx.facts;
  if (!facts) return;
  const fixed = new Set(facts.ports.flatMap((p) => p.fixedIps.map((ip) => ip.split('/')[0]!)));
  const vips = new Map<string, string>();
  for (const p of facts.ports) for (const a of p.allowedAddressPairs ?? []) if (!a.ipAddress.includes('/') && !fixed.has(a.ipAddress)) vips.set(a.ipAddress, p.id);
  if (vips.size === 0) return;
  const dvr = new Set(facts.routers.filter((r) => r.mode === 'dvr' || r.mode === 'dvr-ha').map((r) => `qrouter-${r.id}`));
  for (const node of ctx.snapshot.nodes)
    for (const ns of node.namespaces.filter((n) => dvr.has(n.name)))
      for (const n of ns.neighbours.filter((x) => vips.has(x.ip) && x.state?.toUpperCase().includes('PERMANENT')))
        out.fail(out.look({ node: node.node, namespace: ns.name, device: n.dev }), {
          message: `PERMANENT neighbour ${n.ip} lladdr ${normMac(n.mac) ?? '?'} in ${ns.name} on ${node.node}: ${n.ip} is an allowed-address-pair VIP of port ${vips.get(n.ip)}, its G-ARP after a VRRP failover inside the VMs is ignored (lp#1774459)`,
          expected: `${n.ip} learned (REACHABLE/STALE), not PERMANENT`,
          actual: `${n.ip} ${n.state} ${normMac(n.mac) ?? ''}`.trim(),
          evidence: evidenceFor(node, [`neigh:${ns.name}`]),
        });
}
export const check: Check = {
  id: 'device-mac',
  title: 'Router device names and MACs match their neutron ports and OVS attached-mac',
  description:
    'Every qr-/qg-/ha-/sg-/fg- device is named prefix+port id truncated to 14 characters and carries the MAC of its ' +
    'neutron port and of the OVS attached-mac; a port replicated on several nodes (HA, DVR qr-) has one MAC everywhere.',
  severity: 'major',
  references: [
    { kind: 'doc', ref: 'ground-truth §0.3, §3b, §8.1' },
    { kind: 'doc', ref: 'known-bugs-and-anchors §12.5' },
    { kind: 'bug', ref: 'lp#2090825' },
    { kind: 'bug', ref: 'lp#1774459' },
    { kind: 'bug', ref: 'lp#1869887' },
    { kind: 'seed', ref: '002_1c6d23d4934ab412.txt (OVS HA using DVR)' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    judgeAapNeighbours(ctx, out);
    /** ns/device → MACs seen per node, for the cross-node comparison */
    const seen = new Map<string, { node: NodeSnapshot; mac: string }[]>();

    for (const node of ctx.snapshot.nodes)
      for (const { ns, dev, prefix } of routerPortDevices(node)) {
        const subject = out.look({ node: node.node, namespace: ns.name, device: dev.name });
        const ev = evidenceFor(node, ['netns', `addr:${ns.name}`]);
        const mac = normMac(dev.mac);

        if (ctx.facts) {
          const port = portForDevice(ctx.facts, prefix, dev.name);
          if (!port)
            out.warn(subject, {
              message: `${dev.name} in ${ns.name} matches no neutron port (${prefix} + port id, 14 characters)`,
              expected: 'a port whose id gives this device name',
              actual: 'no such port in the facts',
              evidence: ev,
            });
          else if (mac && normMac(port.mac) !== mac)
            out.fail(subject, {
              message: `${dev.name} on ${node.node} has MAC ${mac}, its neutron port ${port.id} has ${normMac(port.mac)}`,
              expected: normMac(port.mac),
              actual: mac,
              evidence: ev,
            });
        }

        const ovs = ovsInterfaceByName(node, dev.name);
        if (ovs) {
          const attached = normMac(ovs.iface.externalIds['attached-mac']);
          const ifaceId = ovs.iface.externalIds['iface-id'];
          const ovsEv = [...ev, ...evidenceFor(node, ['ovs-vsctl'])];
          if (attached && mac && attached !== mac)
            out.fail(subject, {
              message: `${dev.name} on ${node.node} has MAC ${mac} but OVS attached-mac is ${attached}`,
              expected: attached,
              actual: mac,
              evidence: ovsEv,
            });
          if (ifaceId && deviceName(prefix, ifaceId) !== dev.name)
            out.fail(subject, {
              message: `${dev.name} is plugged in OVS with iface-id ${ifaceId}, which names ${deviceName(prefix, ifaceId)}`,
              expected: deviceName(prefix, ifaceId),
              actual: dev.name,
              evidence: ovsEv,
            });
        }
        if (mac) {
          const k = `${ns.name}\u0000${dev.name}`;
          seen.set(k, [...(seen.get(k) ?? []), { node, mac }]);
        }
      }

    // one neutron port → one MAC on every node (HA replicas, DVR qr- on every compute)
    for (const [k, list] of seen) {
      const macs = [...new Set(list.map((x) => x.mac))];
      if (macs.length < 2) continue;
      const [nsName, devName] = k.split('\u0000') as [string, string];
      const expectedMac = ctx.facts ? normMac(portForDevice(ctx.facts, routerPortPrefixOf(devName)!, devName)?.mac) : undefined;
      if (expectedMac) continue; // already judged against the port MAC above
      // without facts: the MAC OVS confirms (attached-mac) wins, then the majority
      const confirmed = [...new Set(list.filter((x) => normMac(ovsInterfaceByName(x.node, devName)?.iface.externalIds['attached-mac']) === x.mac).map((x) => x.mac))];
      const counts = macs.map((m) => ({ m, n: list.filter((x) => x.mac === m).length })).sort((a, b) => b.n - a.n);
      const reference = confirmed.length === 1 ? confirmed[0] : counts[0]!.n > counts[1]!.n ? counts[0]!.m : undefined;
      for (const x of list) {
        if (reference !== undefined && x.mac === reference) continue;
        out.fail(
          { node: x.node.node, namespace: nsName, device: devName },
          {
            message: `${devName} in ${nsName} has MAC ${x.mac} on ${x.node.node} but other nodes differ (${macs.join(', ')})`,
            expected: reference ?? 'one MAC on every node',
            actual: x.mac,
            evidence: evidenceFor(x.node, [`addr:${nsName}`]),
          },
        );
      }
    }
    return out.done();
  },
};
