import { expect } from 'chai';
import { MAX_COMPUTES, MAX_LIGHT_COMPUTES, buildPlan, planOfState } from '../../src/lab/plan';
import { fitLine } from '../../bench/scale';

/** issue 10: the light flavour of the scale lab (pure plan) and the bench's least-squares fit */
describe('lab plan: --light computes (issue 10)', () => {
  it('196 light computes: 200 nodes, every compute with OVS and sshd, ONE instance in the lab', () => {
    const plan = buildPlan('neutron-l3ha', { light: true, computes: 196 });
    expect(plan.nodes).to.have.length(200);
    expect(plan.nodes.filter((n) => n.kind === 'compute')).to.have.length(196);
    expect(plan.instances.map((i) => i.host)).to.deep.equal(['cmp1']);
    expect(plan.fipPool).to.have.length(1);
    const addresses = plan.nodes.map((n) => n.mgmtIp);
    expect(new Set(addresses).size).to.equal(200);
    expect(addresses.every((a) => /^198\.18\.0\.(\d+)$/.test(a) && Number(a.split('.')[3]) < 255)).to.equal(true);
    expect(plan.variant).to.deep.equal({ light: true });
  });

  it('the plan of a light lab that is up is the same plan (lab.json keeps computes, not instances)', () => {
    const plan = buildPlan('neutron-l3ha', { light: true, computes: 50 });
    expect(planOfState({ profile: 'neutron-l3ha', computes: 50, variant: plan.variant })).to.deep.equal(plan);
  });

  it('limits: 200 with --light, 60 without; DVR profiles are not light', () => {
    expect(() => buildPlan('neutron-l3ha', { light: true, computes: MAX_LIGHT_COMPUTES + 1 })).to.throw(/1\.\.200/);
    expect(() => buildPlan('neutron-l3ha', { computes: MAX_COMPUTES + 1 })).to.throw(/up to 200 with --light/);
    expect(() => buildPlan('neutron-dvr', { light: true, computes: 10 })).to.throw(/--light needs/);
    expect(buildPlan('neutron-legacy', { light: true, computes: 3 }).instances).to.have.length(1);
  });
});

describe('bench: least-squares fit of wall over nodes', () => {
  it('an exact line gives its slope and intercept, r² 1', () => {
    const f = fitLine([25, 50, 100, 200].map((x) => ({ x, y: 800 + 42 * x })));
    expect(f.slope).to.be.closeTo(42, 1e-9);
    expect(f.intercept).to.be.closeTo(800, 1e-9);
    expect(f.r2).to.be.closeTo(1, 1e-12);
  });
});
