import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { createOutcome } from './lib/finding';
import { findOvnCentral, findSbChassis, listGatewayPorts, MAX_GW_CHASSIS, OVN_GROUND_TRUTH } from './lib/ovn';
import { releaseOf } from './lib/release';
import { parseRelease } from '../src/capture/patterns';
import { releaseOrder } from '../src/model/releases';

/** the release is certainly Zed or older ("pike+" is not: it may be 2024.1) */
function neutronReadsExternalIds(release: string | undefined): boolean {
  const r = parseRelease(release);
  return r !== undefined && r.to <= releaseOrder('zed');
}
import type { OvnChassis } from '../src/model/ovn-types';

const GW = 'enable-chassis-as-gw';

/**
 * Where a chassis' ovn-cms-options live (issue 11): ovn-controller copies the OVS
 * external_ids:ovn-cms-options into SB Chassis other_config (OVN 20.06+) and, up to 22.06, into
 * external_ids too (chassis.c; 22.09 stopped). Neutron ≤ Zed reads external_ids only
 * (utils.get_ovn_cms_options), 2023.1 (22.0.0) other_config (falling back to external_ids only
 * without that column), 28.0.0 other_config only. So a key in one column only is normal on
 * OVN ≥ 22.09 with neutron ≥ 2023.1; the two columns SAYING DIFFERENT THINGS is never normal,
 * and other_config alone is a gateway neutron ≤ Zed cannot see (docs/ovn-lab.md found 1).
 * Returns the disagreement to warn about, or undefined.
 */
export function judgeCmsColumns(c: OvnChassis, release: string | undefined): string | undefined {
  const o = c.cmsOptionsOtherConfig;
  const e = c.cmsOptionsExternalIds;
  const gwIn = (l: string[] | undefined): boolean => (l ?? []).includes(GW);
  if (o !== undefined && e !== undefined) {
    if (gwIn(o) === gwIn(e)) return undefined;
    return `${c.name}: ovn-cms-options disagree — other_config "${o.join(',')}" (read by neutron 2023.1+), external_ids "${e.join(',')}" (read by neutron ≤ Zed): ${gwIn(o) ? 'ovn-controller marks it a gateway' : 'only a copy in external_ids marks it a gateway'}`;
  }
  if (gwIn(o) && e === undefined && neutronReadsExternalIds(release)) {
    return `${c.name}: enable-chassis-as-gw only in other_config, and neutron ${release ?? '?'} (≤ Zed) reads external_ids: it does not see this gateway (no cr-lrp is scheduled on it)`;
  }
  return undefined;
}

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
    // marked in either column: a cloud that marks gateways at all
    const marks = (c: OvnChassis): boolean => c.cmsOptions.includes(GW) || (c.cmsOptionsExternalIds ?? []).includes(GW) || (c.cmsOptionsOtherConfig ?? []).includes(GW);
    const marking = (sb?.chassis ?? []).some(marks);
    const release = releaseOf(ctx.params, ctx.facts?.release);
    for (const c of sb?.chassis ?? []) {
      const why = judgeCmsColumns(c, release);
      if (why) out.warn(out.look({ node: c.hostname ?? c.name }), { message: why, expected: `the same ovn-cms-options in the column(s) neutron ${release ?? '(release unknown)'} reads`, actual: `other_config ${JSON.stringify(c.cmsOptionsOtherConfig ?? null)}, external_ids ${JSON.stringify(c.cmsOptionsExternalIds ?? null)}`, evidence: [...sbEvidence] });
    }
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
      const unmarked = marking ? g.members.filter((m) => { const c = findSbChassis(sb, m.chassis); return c !== undefined && !marks(c); }).map((m) => m.chassis) : [];
      if (unmarked.length > 0) {
        out.warn(subject, { message: `${g.port.name}: ${unmarked.join(', ')} not marked enable-chassis-as-gw while other chassis are`, expected: 'ovn-cms-options=enable-chassis-as-gw on every gateway', actual: list, evidence: [...ev, ...sbEvidence] });
      }
    }
    return out.done();
  },
};
