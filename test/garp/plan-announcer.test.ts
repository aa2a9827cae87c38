import { expect } from 'chai';
import { buildFacts, buildPlan, initialFips } from '../../src/lab/plan';
import { loadProfile } from '../../src/profile';
import { planAnnouncer, ipInCidr, deviceFor } from '../../src/garp/plan-announcer';
import { resolveGarpPattern } from '../../src/garp/resolve-garp-pattern';
import { planCapturePoints } from '../../src/garp/capture-points';
import { buildCaptureCommand } from '../../src/capture/live';

/** facts as the lab writes them for each profile (pure: buildPlan/buildFacts need no root) */
function labFacts(profile: string, primary?: string) {
  const plan = buildPlan(profile);
  return { plan, facts: buildFacts(plan, initialFips(plan), primary) };
}

describe('garp/plan-announcer: who must announce a floating IP', () => {
  it('legacy: the hosting node\'s qrouter qg- with the gateway port MAC, neutron Pike+ pattern', () => {
    const { plan, facts } = labFacts('neutron-legacy');
    const p = planAnnouncer({ facts, profile: loadProfile('neutron-legacy'), fip: '203.0.113.102', instance: 'vm2' });
    expect(p.expected).to.deep.equal({ node: 'net1', namespace: `qrouter-${plan.router.id}`, device: plan.router.qg.device, mac: plan.router.qg.mac });
    expect(p.pattern).to.equal('neutron-pike+');
    expect(p.fixedIp).to.equal(plan.instances[1].port.ip);
    expect(p.candidates).to.have.length(1);
  });

  it('legacy: an associated FIP is found from facts.floatingIps without --associate', () => {
    const { facts } = labFacts('neutron-legacy');
    const p = planAnnouncer({ facts, profile: loadProfile('neutron-legacy'), fip: facts.floatingIps[0].floatingIp });
    expect(p.instance?.name).to.equal('vm1');
  });

  it('HA: the primary read from the state files wins over the facts; every instance is a candidate with the same qg- MAC; keepalived pattern', () => {
    const { plan, facts } = labFacts('neutron-l3ha', 'net1');
    const p = planAnnouncer({ facts, profile: loadProfile('neutron-l3ha'), fip: '203.0.113.101', haPrimary: 'net2' });
    expect(p.expected.node).to.equal('net2');
    // lab release pike+: keepalived plus, until Wallaby, the state-change daemon's arping (optional part)
    expect(p.pattern).to.equal('keepalived+arping-pike');
    expect(p.candidates.map((c) => c.node)).to.deep.equal(['net2', 'net1', 'net3']);
    expect(new Set(p.candidates.map((c) => c.mac))).to.deep.equal(new Set([plan.router.qg.mac]));
    const fromFacts = planAnnouncer({ facts, profile: loadProfile('neutron-l3ha'), fip: '203.0.113.101' });
    expect(fromFacts.expected.node).to.equal('net1');
    expect(fromFacts.notes.join()).to.match(/taken from the facts/);
  });

  it('HA without any known primary is an error naming the router', () => {
    const { facts } = labFacts('neutron-l3ha');
    expect(() => planAnnouncer({ facts, profile: loadProfile('neutron-l3ha'), fip: '203.0.113.101' })).to.throw(/which node must announce/);
  });

  it('DVR: fip-<ext net>/fg- on the instance\'s host with that host\'s fg- MAC; the other compute\'s fg- is a candidate', () => {
    const { plan, facts } = labFacts('neutron-dvr');
    const vm2 = plan.instances.find((i) => i.name === 'vm2')!;
    const p = planAnnouncer({ facts, profile: loadProfile('neutron-dvr'), fip: plan.fipPool[1].ip });
    expect(p.expected).to.deep.equal({ node: vm2.host, namespace: `fip-${plan.extNet.id}`, device: plan.router.fg[vm2.host].device, mac: plan.router.fg[vm2.host].mac });
    expect(p.candidates.map((c) => c.node)).to.include.members(Object.keys(plan.router.fg));
    expect(p.pattern).to.equal('neutron-pike+');
  });

  it('DVR: only fg- ports of the FIP\'s external network are candidates (a host has one fg- per external network)', () => {
    const { plan, facts } = labFacts('neutron-dvr');
    const vm2 = plan.instances.find((i) => i.name === 'vm2')!;
    const fg = facts.ports.find((x) => x.deviceOwner === 'network:floatingip_agent_gateway' && x.host === vm2.host)!;
    const otherNet = { ...fg, id: 'f0f0f0f0-0000-4000-8000-000000000001', mac: 'fa:16:3e:00:00:99', networkId: 'other-ext-net', fixedIps: ['198.51.100.5'] };
    const p = planAnnouncer({ facts: { ...facts, ports: [otherNet, ...facts.ports] }, profile: loadProfile('neutron-dvr'), fip: plan.fipPool[1].ip });
    expect(p.expected).to.deep.equal({ node: vm2.host, namespace: `fip-${plan.extNet.id}`, device: plan.router.fg[vm2.host].device, mac: plan.router.fg[vm2.host].mac });
    expect(p.candidates.map((c) => c.device)).to.not.include(deviceFor('fg-', otherNet.id));
  });

  /** the lab's facts with `fip` made centralized: listed without a host (snat-bound, ground-truth §3e) */
  function centralized(profile: string, fip: string, primary?: string) {
    const { plan, facts } = labFacts(profile, primary);
    const f = facts.floatingIps.find((x) => x.floatingIp === fip)!;
    delete f.host;
    return { plan, facts };
  }

  it('DVR: a FIP without a host is centralized: snat-<router>/qg- on the snat host with the gateway port MAC', () => {
    const fip = buildPlan('neutron-dvr').fipPool[1].ip;
    const { plan, facts } = centralized('neutron-dvr', fip);
    const p = planAnnouncer({ facts, profile: loadProfile('neutron-dvr'), fip });
    expect(p.expected).to.deep.equal({ node: plan.router.snatHosts[0], namespace: `snat-${plan.router.id}`, device: plan.router.qg.device, mac: plan.router.qg.mac });
    // the fg- of every compute could still (wrongly) announce it
    expect(p.candidates.map((c) => c.device)).to.include.members(Object.values(plan.router.fg).map((g) => g.device));
    expect(p.notes.join()).to.match(/centralized/);
  });

  it('DVR: a FIP of an instance on a dvr_no_external node is centralized even with a host', () => {
    const { plan, facts } = labFacts('neutron-dvr');
    const vm2 = plan.instances.find((i) => i.name === 'vm2')!;
    const agents = facts.agents.map((a) => (a.type === 'l3' && a.host === vm2.host ? { ...a, agentMode: 'dvr_no_external' as const } : a));
    const p = planAnnouncer({ facts: { ...facts, agents }, profile: loadProfile('neutron-dvr'), fip: plan.fipPool[1].ip });
    expect(p.expected).to.deep.equal({ node: plan.router.snatHosts[0], namespace: `snat-${plan.router.id}`, device: plan.router.qg.device, mac: plan.router.qg.mac });
  });

  it('DVR-HA: a centralized FIP is announced by the snat primary (state files first, else facts haState); unknown primary is an error', () => {
    const fip = buildPlan('neutron-dvr-snat-ha').fipPool[0].ip;
    const { plan, facts } = centralized('neutron-dvr-snat-ha', fip, 'net2');
    const fromFacts = planAnnouncer({ facts, profile: loadProfile('neutron-dvr-snat-ha'), fip });
    expect(fromFacts.expected).to.deep.equal({ node: 'net2', namespace: `snat-${plan.router.id}`, device: plan.router.qg.device, mac: plan.router.qg.mac });
    expect(fromFacts.notes.join()).to.match(/taken from the facts/);
    const read = planAnnouncer({ facts, profile: loadProfile('neutron-dvr-snat-ha'), fip, haPrimary: 'net1' });
    expect(read.expected.node).to.equal('net1');
    expect(read.candidates.filter((c) => c.namespace.startsWith('snat-')).map((c) => c.node)).to.deep.equal(['net1', 'net2']);
    const unknown = centralized('neutron-dvr-snat-ha', fip);
    expect(() => planAnnouncer({ facts: unknown.facts, profile: loadProfile('neutron-dvr-snat-ha'), fip })).to.throw(/which node must announce/);
  });

  it('refuses a FIP that is not associated when no instance is given, and an unknown instance', () => {
    const { facts } = labFacts('neutron-legacy');
    expect(() => planAnnouncer({ facts, profile: loadProfile('neutron-legacy'), fip: '203.0.113.199' })).to.throw(/not associated/);
    expect(() => planAnnouncer({ facts, profile: loadProfile('neutron-legacy'), fip: '203.0.113.102', instance: 'nope' })).to.throw(/unknown instance nope/);
  });

  it('release decides the neutron pattern; unknown names fall back to "any"', () => {
    const prof = loadProfile('neutron-legacy');
    expect(resolveGarpPattern(prof, 'fip-associate', 'mitaka', 'legacy').pattern).to.equal('neutron-kilo-newton');
    // Pike's -U/-A arping is in neutron 9.4.0+ and 10.0.2+: both shapes on Newton and Ocata
    expect(resolveGarpPattern(prof, 'fip-associate', 'newton', 'legacy').pattern).to.equal('neutron-newton-ocata');
    expect(resolveGarpPattern(prof, 'fip-associate', 'juno', 'legacy').pattern).to.equal('neutron-juno');
    // unknown release: never read as the newest
    expect(resolveGarpPattern({ ...prof, release: undefined }, 'fip-associate', undefined, 'legacy').pattern).to.equal('neutron-any-release');
    expect(resolveGarpPattern({ ...prof, release: undefined }, 'nope', undefined, 'ha').pattern).to.equal('keepalived-any-release');
    const ha = loadProfile('neutron-l3ha');
    expect(resolveGarpPattern(ha, 'failover', 'train', 'ha').pattern).to.equal('keepalived+arping-pike');
    expect(resolveGarpPattern(ha, 'failover', '2024.1', 'ha').pattern).to.equal('keepalived');
    expect(resolveGarpPattern(ha, 'failover', 'kilo', 'ha').pattern).to.equal('keepalived-juno-liberty');
    expect(resolveGarpPattern(ha, 'failover', 'ocata', 'ha').pattern).to.equal('keepalived+arping-newton-ocata');
    expect(resolveGarpPattern(loadProfile('neutron-dvr-snat-ha'), 'fip-associate', 'pike+', 'dvr-ha', { centralized: true }).pattern).to.equal('dvr-ha-centralized');
    expect(resolveGarpPattern({ ...prof, garp: { events: { x: { pattern: 'martian' } } } }, 'x', undefined, 'legacy').pattern).to.equal('any');
  });

  it('an unknown release is never read as the newest: every shape of the sender is accepted and the source says why (issue 15)', () => {
    const prof = { ...loadProfile('neutron-legacy'), release: undefined };
    for (const r of [undefined, 'unknown', 'folsom-ish']) {
      const got = resolveGarpPattern(prof, 'fip-associate', r, 'legacy');
      expect(got.pattern, String(r)).to.equal('neutron-any-release');
      expect(resolveGarpPattern(prof, 'nope', r, 'legacy').pattern, `default, ${String(r)}`).to.equal('neutron-any-release');
      expect(resolveGarpPattern(prof, 'nope', r, 'ha').pattern, `ha default, ${String(r)}`).to.equal('keepalived-any-release');
    }
    expect(resolveGarpPattern(prof, 'fip-associate', undefined, 'legacy').source).to.match(/unknown: every shape/);
    // known releases and families keep their shape; the facts' release wins over the profile's
    expect(resolveGarpPattern(prof, 'fip-associate', 'pike+', 'legacy').pattern).to.equal('neutron-pike+');
    expect(resolveGarpPattern(prof, 'fip-associate', 'juno', 'legacy').pattern).to.equal('neutron-juno');
    expect(resolveGarpPattern({ ...prof, release: 'juno' }, 'fip-associate', undefined, 'legacy').pattern).to.equal('neutron-juno');
  });

  it('helpers: ipInCidr, deviceFor', () => {
    expect(ipInCidr('10.0.0.7', '10.0.0.0/24')).to.equal(true);
    expect(ipInCidr('10.0.1.7', '10.0.0.0/24')).to.equal(false);
    expect(ipInCidr('fe80::1', '10.0.0.0/24')).to.equal(false);
    expect(deviceFor('qg-', '0123456789abcdef')).to.equal('qg-0123456789a');
  });

  it('capture points: outbound at every candidate, br-ex once per node, inbound at the receiver', () => {
    const pts = planCapturePoints({
      candidates: [{ node: 'net1', namespace: 'qrouter-r', device: 'qg-1', mac: 'm' }, { node: 'net2', namespace: 'qrouter-r', device: 'qg-1', mac: 'm' }],
      wireDevice: 'br-ex',
      receiver: { node: 'upstream', device: 'ext0' },
    });
    expect(pts.map((p) => `${p.node} ${p.role} ${p.target.device} ${p.target.direction ?? 'all'}`)).to.deep.equal([
      'net1 origin qg-1 out', 'net2 origin qg-1 out', 'net1 wire br-ex all', 'net2 wire br-ex all', 'upstream receiver ext0 in',
    ]);
    // tcpdump -Q (userland packet type): BPF `outbound` loses the first ring block (seen here: the first arping -U)
    expect(buildCaptureCommand(pts[0].target)).to.match(/^ip netns exec qrouter-r tcpdump -U --immediate-mode -Q out -w - /);
  });
});
