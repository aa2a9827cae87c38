import { expect } from 'chai';
import { check } from '../../checks/api-dataplane-agreement';
import { contextOf, runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { DEV, FIP1, FIPNS, GW_IP, PORT, QROUTER, R, VRID, mutate, devOf, nodeOf, nsOf } from './fixtures/cloud';
import { addr, route } from './fixtures/build';

const ROUTER = { router: R };

/** API: active on both agents; the nodes keep one primary (net1) — the API alone is stale (lp#1731595) */
const apiTwoActive = mutate('ha', (c) => { c.facts.routers[0]!.haState = { net1: 'active', net2: 'active' }; });
/** a real split brain the API also reports */
const realSplit = mutate('ha', (c) => {
  c.facts.routers[0]!.haState = { net1: 'active', net2: 'active' };
  nodeOf(c, 'net2').haRouters[0]!.state = 'primary';
  devOf(c, 'net2', QROUTER, DEV.ha2).addresses.push(addr(`169.254.0.${VRID}/24`));
  devOf(c, 'net2', QROUTER, DEV.qg).addresses.push(addr(`${GW_IP}/24`));
});
/** API swapped: standby on the primary, active on the backup */
const apiSwapped = mutate('ha', (c) => { c.facts.routers[0]!.haState = { net1: 'standby', net2: 'active' }; });
/** API active on a host whose L3 agent it reports dead */
const deadAgentActive = mutate('ha', (c) => { c.facts.agents.push({ host: 'net1', type: 'l3', agentMode: 'legacy', alive: false }); });
/** legacy: the API binds FIP1's instance port to cmp2, OVS has it on cmp1 (stale binding) */
const staleBindingLegacy = mutate('legacy', (c) => {
  c.facts.ports.find((p) => p.id === PORT.vm1.id)!.host = 'cmp2';
  c.facts.instances.find((i) => i.portId === PORT.vm1.id)!.host = 'cmp2';
  c.facts.floatingIps[0]!.host = 'cmp2';
});
/** DVR: the API binds FIP1 to cmp2, only cmp1's fip- namespace routes it */
const staleBindingDvr = mutate('dvr', (c) => {
  c.facts.floatingIps[0]!.host = 'cmp2';
});
/** DVR: both route it — fip-placement's stale route, not a binding disagreement */
const dvrBothRoute = mutate('dvr', (c) => {
  nsOf(c, 'cmp2', FIPNS).routes.push(route(`${FIP1.floatingIp} via 169.254.64.2 dev ${DEV.fpr}`));
});

export const cases: CheckCases = {
  check,
  valid: [
    // with facts only: without them there is no API view and the check looks at nothing (tested below)
    ...healthyFixtures().filter((f) => f.withFacts !== false),
    { name: 'API state unknown on every agent: nothing to compare', cloud: mutate('ha', (c) => { c.facts.routers[0]!.haState = { net1: 'unknown', net2: 'unknown' }; }) },
    { name: 'DVR: FIP routed on its bound host and also elsewhere (fip-placement reports the stale route)', cloud: dvrBothRoute },
    { name: 'API two actives and the nodes agree: a split brain for l3ha-single-primary, not a disagreement', cloud: realSplit },
  ],
  invalid: [
    { name: 'API active on two agents, nodes hold one primary (stale API, lp#1731595)', cloud: apiTwoActive, findings: [{ verdict: 'fail', subject: ROUTER }, { verdict: 'warn', subject: { router: R, node: 'net2' } }] },
    {
      name: 'API active on two agents, one of them not read: skip, not a verdict',
      cloud: mutate('ha', (c) => { c.facts.routers[0]!.haState = { net1: 'active', net2: 'active' }; c.snapshot.nodes = c.snapshot.nodes.filter((n) => n.node !== 'net2'); }),
      findings: [{ verdict: 'skip', subject: ROUTER }],
    },
    { name: 'API ha_state swapped against the nodes: warn per replica', cloud: apiSwapped, findings: [{ verdict: 'warn', subject: { router: R, node: 'net1' } }, { verdict: 'warn', subject: { router: R, node: 'net2' } }] },
    { name: 'API ha_state swapped, strict', cloud: apiSwapped, params: { strict: true }, findings: [{ verdict: 'fail', subject: { router: R, node: 'net1' } }, { verdict: 'fail', subject: { router: R, node: 'net2' } }] },
    { name: 'API active on a dead L3 agent', cloud: deadAgentActive, findings: [{ verdict: 'warn', subject: { router: R, node: 'net1' } }] },
    { name: 'legacy: FIP port bound to cmp2, plugged on cmp1', cloud: staleBindingLegacy, findings: [{ verdict: 'fail', subject: { floatingIp: FIP1.floatingIp } }] },
    { name: 'DVR: FIP bound to cmp2, routed on cmp1', cloud: staleBindingDvr, findings: [{ verdict: 'fail', subject: { floatingIp: FIP1.floatingIp } }] },
  ],
};

runCheckCases(cases);

describe('check api-dataplane-agreement: no API view, not collected', () => {
  it('judges nothing without facts, even when the nodes show a split brain', () => {
    const out = check.evaluate(contextOf({ name: 'n', cloud: realSplit, withFacts: false }));
    expect(out.subjects).to.deep.equal([]);
    expect(out.findings).to.deep.equal([]);
  });
  it('DVR: the bound host\'s fip- routes not collected: skip, not fail (issue 15)', () => {
    const ctx = contextOf({ name: 'd', cloud: staleBindingDvr });
    delete nodeOf(staleBindingDvr, 'cmp2').evidence[`route:${FIPNS}`];
    const out = check.evaluate(ctx);
    expect(out.findings.map((f) => f.verdict)).to.deep.equal(['skip']);
    expect(out.findings[0]!.message).to.match(/no route evidence for cmp2/);
  });
  it('HA: a replica with neither addresses nor state file read is a skip', () => {
    const ctx = contextOf({ name: 'h', cloud: apiSwapped });
    const n = nodeOf(apiSwapped, 'net2');
    delete n.evidence[`addr:${QROUTER}`];
    n.haRouters[0]!.state = undefined as never;
    const out = check.evaluate(ctx);
    expect(out.findings.map((f) => `${f.verdict} ${f.subject.node}`).sort()).to.deep.equal(['skip net2', 'warn net1']);
  });
});

describe('check api-dataplane-agreement: messages', () => {
  it('says the API is stale and shows both views', () => {
    const stale = check.evaluate(contextOf({ name: 's', cloud: apiTwoActive })).findings.find((f) => f.verdict === 'fail')!;
    expect(stale.message).to.match(/one primary, net1: the API's ha_state is stale/);
    expect(stale.actual).to.equal('API: net1=active, net2=active; data plane: net1=primary, net2=backup');
  });
  it('names the bound host and the carrier of a stale FIP binding', () => {
    const f = check.evaluate(contextOf({ name: 'b', cloud: staleBindingLegacy })).findings[0]!;
    expect(f.expected).to.contain(`iface-id=${PORT.vm1.id} on cmp2`);
    expect(f.actual).to.equal('on cmp1; not on cmp2');
  });
});
