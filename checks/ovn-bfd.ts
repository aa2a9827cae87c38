import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { chassisNameOf, findOvnCentral, findTunnelPeer, gatewayChassisNames, isBfdUp, OVN_GROUND_TRUTH } from './lib/ovn';

/**
 * ground-truth §6d, check 5: ovn-controller enables BFD on the tunnels between gateway chassis
 * (mesh) and from chassis toward the gateways they use (bfd.c bfd_calculate_chassis); a BFD
 * session that is enabled and not up takes the peer out of every HA decision (a healthy gateway
 * looks dead, or a dead one alive when the session never came up). Between two non-gateway
 * chassis BFD is not expected. Gateways are the NB gateway lists' members, else the chassis marked
 * enable-chassis-as-gw; the peer of a tunnel is the SB chassis owning its remote_ip.
 */
export const check: Check = {
  id: 'ovn-bfd',
  title: 'ML2/OVN: BFD up on every gateway↔gateway and chassis↔gateway tunnel',
  description:
    'Reads each chassis\' tunnel interfaces (bfd, bfd_status): BFD enabled between every two gateway chassis, every enabled session ' +
    'state=up forwarding=true, and none between two non-gateway chassis. Detection time ≈ max(min_rx, min_tx) × mult (3 s by default).',
  severity: 'major',
  references: [OVN_GROUND_TRUTH, { kind: 'code', ref: 'ovn-org/ovn controller/bfd.c bfd_calculate_chassis' }, { kind: 'bug', ref: 'OVN FDP-1418' }],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const { nb, sb } = findOvnCentral(ctx);
    const gateways = nb ? gatewayChassisNames(nb) : new Set((sb?.chassis ?? []).filter((c) => c.cmsOptions.includes('enable-chassis-as-gw')).map((c) => c.name));
    for (const node of ctx.snapshot.nodes) {
      const local = node.ovn?.local;
      if (!local) continue;
      const me = chassisNameOf(node);
      const ev = evidenceFor(node, ['ovn-chassis']);
      const nodeSubject = out.look({ node: node.node });
      if (!sb || me === undefined) {
        out.skip(nodeSubject, { message: sb ? `${node.node} has no external_ids:system-id: its chassis is unknown` : 'the OVN southbound database was not read: tunnel peers unknown, BFD not judged', evidence: ev });
        continue;
      }
      const iAmGw = gateways.has(me);
      for (const t of local.tunnels) {
        const peer = findTunnelPeer(sb, t);
        if (!peer) continue; // a tunnel to a chassis no longer registered: ovn-controller removes it
        const subject = out.look({ node: node.node, device: t.name });
        const peerGw = gateways.has(peer.name);
        const status = Object.entries(t.bfdStatus).filter(([k]) => ['state', 'forwarding', 'remote_state', 'diagnostic'].includes(k)).map(([k, v]) => `${k}=${v}`).join(' ') || 'no bfd_status';
        if (!t.bfdEnabled) {
          if (iAmGw && peerGw) out.fail(subject, { message: `no BFD from gateway ${me} to gateway ${peer.name}: a dead gateway is not detected between them`, expected: 'bfd:enable=true', actual: 'BFD off', evidence: ev });
          continue;
        }
        if (!iAmGw && !peerGw) {
          out.warn(subject, { message: `BFD enabled between non-gateway chassis ${me} and ${peer.name}`, expected: 'BFD only toward gateway chassis', actual: status, severity: 'minor', evidence: ev });
          continue;
        }
        if (t.bfdStatus.state === undefined) {
          out.warn(subject, { message: `BFD enabled toward ${peer.name} but no bfd_status: ovs-vswitchd has not reported it (not running?)`, expected: 'state=up forwarding=true', actual: status, evidence: ev });
        } else if (!isBfdUp(t)) {
          out.fail(subject, { message: `BFD ${me} → ${peer.name} is ${t.bfdStatus.state}: ${peer.name} is out of every HA decision ${me} makes`, expected: 'state=up forwarding=true', actual: status, evidence: ev });
        }
      }
    }
    return out.done();
  },
};
