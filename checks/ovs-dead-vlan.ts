import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome } from './lib/finding';

/** DEAD_VLAN_TAG = 4095 (neutron-lib ovs constants): the OVS agent parks unbound/failed ports there */
export const DEAD_VLAN_TAG = 4095;

export const check: Check = {
  id: 'ovs-dead-vlan',
  title: 'No OVS port is parked on the dead VLAN 4095',
  description:
    'A port tagged 4095 was not bound or its binding failed, so it drops all traffic: a DVR fg- or DVR-HA gateway port there ' +
    'kills every floating IP behind it (lp#1778643, lp#1827754).',
  severity: 'critical',
  references: [
    { kind: 'doc', ref: 'known-bugs-and-anchors §12.8' },
    { kind: 'bug', ref: 'lp#1778643' },
    { kind: 'bug', ref: 'lp#1793529' },
    { kind: 'bug', ref: 'lp#1827754' },
    { kind: 'seed', ref: '002_1c6d23d4934ab412.txt (OVS HA using DVR)' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    for (const node of ctx.snapshot.nodes)
      for (const bridge of node.ovs?.bridges ?? [])
        for (const port of bridge.ports) {
          const ifaceId = port.interfaces.map((i) => i.externalIds['iface-id']).find((x) => x !== undefined);
          const subject = out.look({ node: node.node, port: ifaceId ?? port.name, device: port.name });
          if (port.tag === DEAD_VLAN_TAG)
            out.fail(subject, {
              message: `OVS port ${port.name} on ${bridge.name} of ${node.node} is on the dead VLAN ${DEAD_VLAN_TAG}`,
              expected: 'a local VLAN tag of its network',
              actual: `tag=${DEAD_VLAN_TAG}`,
              evidence: evidenceFor(node, ['ovs-vsctl']),
            });
        }
    return out.done();
  },
};
