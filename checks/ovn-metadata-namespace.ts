import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor, nsEvidence, wasCollected } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { chassisNameOf, findOvnCentral, METADATA_IP, OVN_GROUND_TRUTH, stripNeutronPrefix } from './lib/ovn';

/**
 * ground-truth §6a, check 7: the OVN metadata agent keeps `ovnmeta-<network id>` on a chassis
 * exactly while instances of that network are bound there, with 169.254.169.254/32 on its
 * `tap<net[:10]>1`. Missing: those instances get no metadata (no SSH key, no user data); left
 * over: a namespace (and haproxy) the agent failed to clean up.
 */
export const check: Check = {
  id: 'ovn-metadata-namespace',
  title: 'ML2/OVN: ovnmeta-<net> only on chassis hosting instances of that network, with 169.254.169.254 on tap…1',
  description:
    'From SB Port_Binding (VIF ports and their chassis) the networks each chassis hosts: each needs ovnmeta-<network id> with ' +
    '169.254.169.254/32 inside; an ovnmeta- namespace of a network with no local instance is left over.',
  severity: 'major',
  references: [OVN_GROUND_TRUTH, { kind: 'code', ref: 'openstack/neutron neutron/agent/ovn/metadata/agent.py' }, { kind: 'bug', ref: 'lp#2037102' }, { kind: 'doc', ref: 'https://github.com/canonical/hotsos/issues/568' }],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const { sb, sbEvidence } = findOvnCentral(ctx);
    const chassisNodes = ctx.snapshot.nodes.filter((n) => n.ovn?.local);
    if (chassisNodes.length === 0) return out.done();
    // networks that have a metadata port (localport): others are never served by the agent
    const withMetadata = new Set((sb?.portBindings ?? []).filter((p) => p.type === 'localport' && p.datapath).map((p) => p.datapath!));
    const anyOvnmeta = ctx.snapshot.nodes.some((n) => n.namespaces.some((ns) => ns.name.startsWith('ovnmeta-')));
    for (const node of chassisNodes) {
      const subject = out.look({ node: node.node });
      const me = chassisNameOf(node);
      if (!sb || me === undefined) {
        out.skip(subject, { message: sb ? `${node.node} has no external_ids:system-id: its chassis is unknown` : 'the OVN southbound database was not read: which instances run where is unknown', evidence: evidenceFor(node, ['ovn-chassis']) });
        continue;
      }
      if (!sb.portBindings.some((p) => p.datapath !== undefined)) {
        out.skip(subject, { message: 'SB Port_Binding / Datapath_Binding not read: which networks have instances on which chassis is unknown', evidence: sbEvidence });
        continue;
      }
      if (!wasCollected(node, 'netns')) {
        out.skip(subject, { message: `namespaces of ${node.node} not collected`, evidence: evidenceFor(node, ['ovn-chassis']) });
        continue;
      }
      const nets = new Set(sb.portBindings.filter((p) => p.type === '' && p.chassis === me && p.datapath && withMetadata.has(p.datapath)).map((p) => stripNeutronPrefix(p.datapath!)));
      for (const net of [...nets].sort()) {
        const name = `ovnmeta-${net}`;
        const nsSubject = out.look({ node: node.node, namespace: name });
        const ns = node.namespaces.find((n) => n.name === name);
        const ev = [...nsEvidence(node, name), ...sbEvidence];
        if (!ns) {
          const input = { message: `${node.node} hosts instances of network ${net} but has no ${name}: they get no metadata (SSH keys, user data)`, expected: name, actual: 'absent', evidence: ev };
          if (anyOvnmeta) out.fail(nsSubject, input);
          else out.warn(nsSubject, { ...input, message: `${input.message}; no ovnmeta- namespace on any node: is the OVN metadata agent deployed?` });
          continue;
        }
        const dev = ns.devices.find((d) => d.addresses.some((a) => a.address === METADATA_IP));
        if (!dev) {
          out.fail(nsSubject, { message: `${name} on ${node.node} has no ${METADATA_IP}: the metadata proxy cannot answer`, expected: `${METADATA_IP}/32 on tap${net.slice(0, 10)}1`, actual: ns.devices.map((d) => d.name).join(', ') || 'no device', evidence: ev });
        }
      }
      for (const ns of node.namespaces.filter((n) => n.name.startsWith('ovnmeta-'))) {
        const net = ns.name.slice('ovnmeta-'.length);
        if (nets.has(net)) continue;
        const nsSubject = out.look({ node: node.node, namespace: ns.name });
        out.warn(nsSubject, { message: `${ns.name} on ${node.node}, which hosts no instance of network ${net}: left over by the metadata agent`, expected: 'no namespace', actual: ns.name, severity: 'minor', evidence: [...nsEvidence(node, ns.name), ...sbEvidence] });
      }
    }
    return out.done();
  },
};
