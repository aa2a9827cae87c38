import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { FactsPort } from '../src/model/facts';
import type { NodeSnapshot } from '../src/model/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { liveNamespaces, portById } from './lib/lookup';
import { routerPortPrefixOf } from './lib/names';

/** DEAD_VLAN_TAG = 4095 (neutron-lib ovs constants): the OVS agent parks unbound/failed ports there */
export const DEAD_VLAN_TAG = 4095;

/**
 * The OVS agent tags a port 4095 on purpose when it must not pass traffic: `admin_state_up=False`
 * (port_dead), not yet bound / binding failed, or its network unknown to the agent. That is only
 * wrong for a port that must carry traffic: router ports (qr-/qg-/ha-/sg-/fg-, lp#1778643,
 * lp#1827754) and, per the facts, bound and admin-up ports. Anything else is reported for what it
 * is: a note when the facts say admin-down or unbound, a warn when nothing says why.
 */
type Why = { mustCarry: true; reason: string } | { mustCarry: false; reason: string; known: boolean };

function judgePort(node: NodeSnapshot, name: string, fp: FactsPort | undefined, inNamespace: string | undefined): Why {
  const prefix = routerPortPrefixOf(name);
  if (prefix) return { mustCarry: true, reason: `router port ${prefix}` };
  if (fp) {
    if (fp.adminStateUp === false) return { mustCarry: false, known: true, reason: 'admin_state_up=False in the facts: the agent parks it there on purpose' };
    if (!fp.host) return { mustCarry: false, known: true, reason: 'not bound to a host in the facts: the agent parks it until bound' };
    if (fp.host !== node.node) return { mustCarry: false, known: true, reason: `bound to ${fp.host} in the facts, not to ${node.node}` };
    if (fp.deviceOwner.startsWith('network:') || fp.deviceOwner.startsWith('compute:'))
      return { mustCarry: true, reason: `${fp.deviceOwner} port bound to ${fp.host} and admin up in the facts` };
  }
  return {
    mustCarry: false,
    known: false,
    reason: `${inNamespace ? `device of ${inNamespace}; ` : ''}admin-down or not-yet-bound ports are parked there on purpose; give facts to judge it`,
  };
}

export const check: Check = {
  id: 'ovs-dead-vlan',
  title: 'No port that must carry traffic is parked on the dead VLAN 4095',
  description:
    'A router port (qr-/qg-/ha-/sg-/fg-) or a bound, admin-up port tagged 4095 drops all traffic: a DVR fg- or DVR-HA gateway port there ' +
    'kills every floating IP behind it (lp#1778643, lp#1827754). Admin-down and unbound ports are parked there on purpose and only reported.',
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
    for (const node of ctx.snapshot.nodes) {
      const nsOf = new Map<string, string>();
      for (const ns of liveNamespaces(node)) for (const d of ns.devices) nsOf.set(d.name, ns.name);
      for (const bridge of node.ovs?.bridges ?? [])
        for (const port of bridge.ports) {
          const ifaceId = port.interfaces.map((i) => i.externalIds['iface-id']).find((x) => x !== undefined);
          const subject = out.look({ node: node.node, port: ifaceId ?? port.name, device: port.name });
          if (port.tag !== DEAD_VLAN_TAG) continue;
          const why = judgePort(node, port.name, ifaceId ? portById(ctx.facts, ifaceId) : undefined, nsOf.get(port.name));
          const input = {
            message: `OVS port ${port.name} on ${bridge.name} of ${node.node} is on the dead VLAN ${DEAD_VLAN_TAG} (${why.reason})`,
            expected: why.mustCarry ? 'a local VLAN tag of its network' : `tag ${DEAD_VLAN_TAG} only while admin-down or unbound`,
            actual: `tag=${DEAD_VLAN_TAG}`,
            evidence: evidenceFor(node, ['ovs-vsctl']),
          };
          if (why.mustCarry) out.fail(subject, input);
          else if (why.known) out.note(subject, input);
          else out.warn(subject, { ...input, severity: 'minor' });
        }
    }
    return out.done();
  },
};
