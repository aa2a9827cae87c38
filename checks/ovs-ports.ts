import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { ovsInterfaceByIfaceId, ovsInterfaceByName, portForDevice, routerPortDevices } from './lib/lookup';
import { normMac } from './lib/net';

/**
 * OVS plugging of neutron ports (ground-truth §0.3 `_ovs_add_port`): every router device
 * and every instance port is an OVS interface on br-int/br-ex with
 * external_ids:iface-id=<port id> and attached-mac=<port MAC>.
 * params.bridges: bridges ports may be plugged in (default br-int, br-ex).
 */
export const check: Check = {
  id: 'ovs-ports',
  title: 'Router and instance ports are plugged in OVS with their port id and MAC',
  description:
    'Every qr-/qg-/ha-/sg-/fg- device of a router namespace and every instance port is an OVS interface on br-int or br-ex ' +
    'with external_ids iface-id = neutron port id and attached-mac = port MAC.',
  severity: 'major',
  references: [
    { kind: 'doc', ref: 'ground-truth §0.3, §4, §8.1' },
    { kind: 'doc', ref: 'known-bugs-and-anchors §12.5, §12.8' },
    { kind: 'bug', ref: 'lp#1827754' },
    { kind: 'seed', ref: '002_1c6d23d4934ab412.txt (OVS HA using DVR)' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const p = ctx.params['bridges'];
    const bridges = Array.isArray(p) ? (p as string[]) : ['br-int', 'br-ex'];

    for (const node of ctx.snapshot.nodes) {
      if (!node.ovs) continue; // OVS not collected on this node (e.g. the upstream gateway)
      const ev = evidenceFor(node, ['ovs-vsctl']);
      const wanted: { portId?: string; mac?: string; name?: string; what: string }[] = [];
      for (const { ns, dev, prefix } of routerPortDevices(node)) {
        const port = portForDevice(ctx.facts, prefix, dev.name);
        wanted.push({ portId: port?.id, mac: port?.mac, name: dev.name, what: `${dev.name} of ${ns.name}` });
      }
      for (const inst of ctx.facts?.instances ?? [])
        if (inst.host === node.node) wanted.push({ portId: inst.portId, mac: inst.mac, what: `instance ${inst.name ?? inst.id} port` });

      for (const w of wanted) {
        const subject = out.look({ node: node.node, port: w.portId ?? w.name, device: w.name });
        const ref = (w.portId ? ovsInterfaceByIfaceId(node, w.portId) : undefined) ?? (w.name ? ovsInterfaceByName(node, w.name) : undefined);
        if (!ref) {
          out.fail(subject, {
            message: `${w.what} on ${node.node} is not plugged in OVS${w.portId ? ` (no interface with iface-id ${w.portId})` : ''}`,
            expected: `an interface on ${bridges.join(' or ')} with iface-id=${w.portId ?? '<port id>'}`,
            actual: 'absent',
            evidence: ev,
          });
          continue;
        }
        const ids = ref.iface.externalIds;
        if (!bridges.includes(ref.bridge.name))
          out.fail(subject, { message: `${w.what} is plugged in ${ref.bridge.name} on ${node.node}`, expected: bridges.join(' or '), actual: ref.bridge.name, evidence: ev });
        if (w.portId && ids['iface-id'] !== w.portId)
          out.fail(subject, { message: `${ref.iface.name} on ${node.node} has iface-id ${ids['iface-id'] ?? '(none)'}`, expected: `iface-id=${w.portId}`, actual: `iface-id=${ids['iface-id'] ?? '(none)'}`, evidence: ev });
        if (!w.portId && !ids['iface-id'])
          out.fail(subject, { message: `${ref.iface.name} on ${node.node} has no external_ids:iface-id`, expected: 'iface-id=<port id>', actual: '(none)', evidence: ev });
        if (w.mac && normMac(ids['attached-mac']) !== normMac(w.mac))
          out.fail(subject, { message: `${ref.iface.name} on ${node.node} has attached-mac ${ids['attached-mac'] ?? '(none)'}, the port has ${normMac(w.mac)}`, expected: `attached-mac=${normMac(w.mac)}`, actual: `attached-mac=${ids['attached-mac'] ?? '(none)'}`, evidence: ev });
      }
    }
    return out.done();
  },
};
