import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { createOutcome } from './lib/finding';
import { findOvnCentral, findSbChassis, listGatewayPorts, MAX_GW_CHASSIS, OVN_GROUND_TRUTH } from './lib/ovn';

/**
 * ground-truth §6b, check 1: every router gateway port (LRP with Gateway_Chassis, or an
 * HA_Chassis_Group on neutron master) lists 1…MAX_GW_CHASSIS chassis with distinct priorities —
 * a tie makes the active chassis an accident of ovn-controller's ordering — and every listed
 * chassis is registered in the SB and, where the cloud marks gateways, marked
 * `enable-chassis-as-gw` (an unregistered or unmarked chassis is a dead entry of the HA list).
 */
export const check: Check = {
  id: 'ovn-gateway-chassis',
  title: 'ML2/OVN: each router gateway port has 1–5 gateway chassis with distinct priorities, all registered gateways',
  description:
    'Reads NB Gateway_Chassis / HA_Chassis_Group of every gateway LRP: at most MAX_GW_CHASSIS (5) members, strictly ' +
    'descending distinct priorities, each member a chassis registered in the SB and marked enable-chassis-as-gw when the cloud marks gateways.',
  severity: 'major',
  references: [OVN_GROUND_TRUTH, { kind: 'bug', ref: 'lp#2092271' }, { kind: 'code', ref: 'openstack/neutron neutron/common/ovn/constants.py MAX_GW_CHASSIS' }, { kind: 'bug', ref: 'OVN FDP-1418' }],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const { nb, sb, nbEvidence, sbEvidence } = findOvnCentral(ctx);
    if (!nb) {
      if (ctx.snapshot.nodes.some((n) => n.ovn)) out.skip(out.look({}), { message: 'the OVN northbound database was not read on any node (no local NB socket): gateway lists not judged', evidence: [] });
      return out.done();
    }
    const marking = (sb?.chassis ?? []).some((c) => c.cmsOptions.includes('enable-chassis-as-gw'));
    for (const g of listGatewayPorts(nb)) {
      const subject = out.look({ router: g.router?.name, port: g.port.name });
      const ev = [...nbEvidence];
      const list = g.members.map((m) => `${m.chassis}:${m.priority}`).join(' ');
      if (g.members.length === 0) {
        out.fail(subject, { message: `${g.port.name} has an empty ${g.source}: no chassis can host the router's gateway`, expected: `1–${MAX_GW_CHASSIS} chassis`, actual: 'none', evidence: ev });
        continue;
      }
      if (g.members.length > MAX_GW_CHASSIS) {
        out.fail(subject, { message: `${g.port.name} lists ${g.members.length} gateway chassis, more than neutron's MAX_GW_CHASSIS ${MAX_GW_CHASSIS}`, expected: `≤ ${MAX_GW_CHASSIS}`, actual: list, evidence: ev });
      }
      const seen = new Map<number, string[]>();
      for (const m of g.members) seen.set(m.priority, [...(seen.get(m.priority) ?? []), m.chassis]);
      const ties = [...seen.entries()].filter(([, cs]) => cs.length > 1);
      if (ties.length > 0) {
        out.fail(subject, {
          message: `${g.port.name}: gateway chassis ${ties.map(([p, cs]) => `${cs.join(' and ')} share priority ${p}`).join('; ')}: which one is active is not defined`,
          expected: 'distinct priorities, highest first', actual: list, evidence: ev,
        });
      }
      if (!sb) continue;
      const missing = g.members.filter((m) => !findSbChassis(sb, m.chassis)).map((m) => m.chassis);
      if (missing.length > 0) {
        out.warn(subject, { message: `${g.port.name}: gateway chassis ${missing.join(', ')} not registered in the southbound DB: never active`, expected: 'every member a registered chassis', actual: list, evidence: [...ev, ...sbEvidence] });
      }
      const unmarked = marking ? g.members.filter((m) => { const c = findSbChassis(sb, m.chassis); return c !== undefined && !c.cmsOptions.includes('enable-chassis-as-gw'); }).map((m) => m.chassis) : [];
      if (unmarked.length > 0) {
        out.warn(subject, { message: `${g.port.name}: ${unmarked.join(', ')} not marked enable-chassis-as-gw while other chassis are`, expected: 'ovn-cms-options=enable-chassis-as-gw on every gateway', actual: list, evidence: [...ev, ...sbEvidence] });
      }
    }
    return out.done();
  },
};
