import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { OvnGatewayMember } from '../src/model/ovn-types';
import { createOutcome } from './lib/finding';
import { findOvnCentral, listGatewayPorts, OVN_GROUND_TRUTH, viewBfdOf } from './lib/ovn';

/**
 * ground-truth §6b, check 2: the chassisredirect port `cr-lrp-<gw port>` of every router is
 * claimed by exactly one chassis, and it is the highest-priority member whose BFD is up
 * (ha-chassis.c ha_chassis_group_is_active). Whether a higher-priority member is alive is read
 * from its peers' bfd_status; when no peer's status was read that cannot be judged (warn, not fail).
 */
export const check: Check = {
  id: 'ovn-cr-lrp-claim',
  title: 'ML2/OVN: each cr-lrp port is claimed by exactly one chassis, the highest-priority one with BFD up',
  description:
    'Reads SB Port_Binding of every chassisredirect port: one chassis claims it (none: the router is cut off; an additional ' +
    'chassis: two gateways answer), and every higher-priority member of its HA list is seen BFD down by its peers.',
  severity: 'critical',
  references: [OVN_GROUND_TRUTH, { kind: 'bug', ref: 'lp#2092271' }, { kind: 'code', ref: 'ovn-org/ovn controller/ha-chassis.c ha_chassis_group_is_active' }, { kind: 'bug', ref: 'OVN FDP-1418' }, { kind: 'bug', ref: 'rhbz#2062580' }],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const { nb, sb, nbEvidence, sbEvidence } = findOvnCentral(ctx);
    if (!sb) {
      if (ctx.snapshot.nodes.some((n) => n.ovn)) out.skip(out.look({}), { message: 'the OVN southbound database was not read on any node: cr-lrp claims not judged', evidence: [] });
      return out.done();
    }
    const nbLists = nb ? listGatewayPorts(nb) : [];
    for (const pb of sb.portBindings.filter((p) => p.type === 'chassisredirect')) {
      const lrp = pb.logicalPort.replace(/^cr-/, '');
      const fromNb = nbLists.find((g) => g.port.name === lrp);
      const subject = out.look({ router: fromNb?.router?.name ?? pb.datapath, port: pb.logicalPort });
      // SB HA members when read (HA_Chassis listed), else the NB gateway list
      const members: OvnGatewayMember[] = pb.haMembers?.length ? pb.haMembers : fromNb?.members ?? [];
      const ev = [...sbEvidence, ...nbEvidence];
      const list = members.map((m) => `${m.chassis}:${m.priority}`).join(' ') || 'none';
      if (pb.chassis === undefined) {
        out.fail(subject, { message: `no chassis claims ${pb.logicalPort}: the router's gateway (SNAT, centralized floating IPs) is down`, expected: `claimed by the first live chassis of ${list}`, actual: 'unclaimed', evidence: ev });
        continue;
      }
      if ((pb.additionalChassis ?? []).length > 0) {
        out.fail(subject, { message: `${pb.logicalPort} is claimed by ${pb.chassis} and also ${pb.additionalChassis!.join(', ')}: two gateways answer for the router`, expected: 'exactly one chassis', actual: [pb.chassis, ...pb.additionalChassis!].join(', '), evidence: ev });
        continue;
      }
      if (members.length === 0) {
        out.skip(subject, { message: `${pb.logicalPort} claimed by ${pb.chassis}, but its gateway list was not read`, evidence: ev });
        continue;
      }
      if (!members.some((m) => m.chassis === pb.chassis)) {
        out.fail(subject, { message: `${pb.logicalPort} is claimed by ${pb.chassis}, which is not in its gateway list`, expected: list, actual: pb.chassis, evidence: ev });
        continue;
      }
      for (const m of members) {
        if (m.chassis === pb.chassis) break;
        const view = viewBfdOf(ctx, sb, m.chassis);
        if (view.state === 'down') continue;
        if (view.state === 'up') {
          out.fail(subject, {
            message: `${pb.logicalPort} is claimed by ${pb.chassis} while ${m.chassis} (priority ${m.priority}, higher) is alive over BFD: gateways that disagree about BFD each take themselves for the highest live one and fight for the port; before OVN 25.09 the winner's return comes without a G-ARP (OVN FDP-1418)`,
            expected: `${m.chassis} claims it`, actual: `${pb.chassis}; ${view.seen.join('; ')}`, evidence: [...ev, ...view.evidence],
          });
        } else {
          out.warn(subject, {
            message: `${pb.logicalPort} is claimed by ${pb.chassis}, not by ${m.chassis} (priority ${m.priority}, higher): not judged, no BFD status toward ${m.chassis} was read`,
            expected: `${m.chassis} claims it unless its BFD is down`, actual: pb.chassis, evidence: ev,
          });
        }
        break;
      }
    }
    return out.done();
  },
};
