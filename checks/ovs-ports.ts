import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor, notCollectedReason, partialReason, wereOvsExternalIdsCollected } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { ovsInterfaceByIfaceId, ovsInterfaceByName, portForDevice, routerPortDevices } from './lib/lookup';
import { deviceName } from './lib/names';
import { normMac } from './lib/net';

/** names an instance port's OVS interface has: tap<id> (openvswitch/noop firewall), qvo<id> (iptables_hybrid) */
const INSTANCE_PREFIXES = ['tap', 'qvo'];

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
      // `ovs-vsctl show` never prints external_ids: iface-id / attached-mac are then unknown, not absent (issue 15)
      const idsKnown = wereOvsExternalIdsCollected(node);
      const partial = partialReason(node, 'ovs-show');
      /** device: the router device seen in its namespace; names: the OVS interface names it may have */
      const wanted: { portId?: string; mac?: string; device?: string; names: string[]; what: string }[] = [];
      for (const { ns, dev, prefix } of routerPortDevices(node)) {
        const port = portForDevice(ctx.facts, prefix, dev.name);
        wanted.push({ portId: port?.id, mac: port?.mac, device: dev.name, names: [dev.name], what: `${dev.name} of ${ns.name}` });
      }
      for (const inst of ctx.facts?.instances ?? [])
        if (inst.host === node.node)
          wanted.push({ portId: inst.portId, mac: inst.mac, names: INSTANCE_PREFIXES.map((p) => deviceName(p, inst.portId)), what: `instance ${inst.name ?? inst.id} port` });

      let idsSkipped = false;
      for (const w of wanted) {
        const subject = out.look({ node: node.node, port: w.portId ?? w.device, device: w.device });
        const ref = (w.portId && idsKnown ? ovsInterfaceByIfaceId(node, w.portId) : undefined) ?? w.names.map((n) => ovsInterfaceByName(node, n)).find((r) => r);
        if (!ref) {
          const input = {
            message: `${w.what} on ${node.node} is not plugged in OVS${w.portId && idsKnown ? ` (no interface with iface-id ${w.portId})` : ` (no interface named ${w.names.join(' or ')})`}`,
            expected: `an interface on ${bridges.join(' or ')} with iface-id=${w.portId ?? '<port id>'}`,
            actual: 'absent',
            evidence: ev,
          };
          if (partial) out.warn(subject, { ...input, message: `${input.message}: not judged, ${partial}` });
          else if (!idsKnown && !w.device)
            out.skip(subject, { ...input, message: `${w.what} on ${node.node}: no interface named ${w.names.join(' or ')}, and the port may be plugged under another name: ${notCollectedReason(node, 'OVS external_ids')} (ovs-vsctl show does not print them)` });
          else out.fail(subject, input);
          continue;
        }
        const ids = ref.iface.externalIds;
        if (!bridges.includes(ref.bridge.name))
          out.fail(subject, { message: `${w.what} is plugged in ${ref.bridge.name} on ${node.node}`, expected: bridges.join(' or '), actual: ref.bridge.name, evidence: ev });
        if (!idsKnown) {
          idsSkipped = true;
          continue;
        }
        if (w.portId && ids['iface-id'] !== w.portId)
          out.fail(subject, { message: `${ref.iface.name} on ${node.node} has iface-id ${ids['iface-id'] ?? '(none)'}`, expected: `iface-id=${w.portId}`, actual: `iface-id=${ids['iface-id'] ?? '(none)'}`, evidence: ev });
        if (!w.portId && !ids['iface-id'])
          out.fail(subject, { message: `${ref.iface.name} on ${node.node} has no external_ids:iface-id`, expected: 'iface-id=<port id>', actual: '(none)', evidence: ev });
        if (w.mac && normMac(ids['attached-mac']) !== normMac(w.mac))
          out.fail(subject, { message: `${ref.iface.name} on ${node.node} has attached-mac ${ids['attached-mac'] ?? '(none)'}, the port has ${normMac(w.mac)}`, expected: `attached-mac=${normMac(w.mac)}`, actual: `attached-mac=${ids['attached-mac'] ?? '(none)'}`, evidence: ev });
      }
      if (idsSkipped)
        out.skip(out.look({ node: node.node }), {
          message: `iface-id and attached-mac not judged on ${node.node}: ${notCollectedReason(node, 'OVS external_ids')} (only \`ovs-vsctl show\` was read, which does not print them)`,
          expected: 'the OVS Interface table (external_ids)',
          actual: 'ovs-vsctl show only',
          evidence: ev,
        });
    }
    return out.done();
  },
};
