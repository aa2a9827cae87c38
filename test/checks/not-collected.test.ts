import { expect } from 'chai';
import type { Check, CheckContext, CloudSnapshot, Finding } from '../../src/engine/types';
import type { Facts } from '../../src/model/facts';
import type { NodeSnapshot } from '../../src/model/types';
import { check as ovsPorts } from '../../checks/ovs-ports';
import { check as fipPlacement } from '../../checks/fip-placement';
import { check as natRules } from '../../checks/nat-rules';
import { check as l3haSinglePrimary } from '../../checks/l3ha-single-primary';
import { check as dvrSnatPlacement } from '../../checks/dvr-snat-placement';
import { check as dvrFipNamespace } from '../../checks/dvr-fip-namespace';
import { isOvsKnownAbsent, partialReason, wasNamespaceCollected, wereOvsExternalIdsCollected } from '../../checks/lib/evidence';
import { realNode } from './fixtures/real';

/**
 * Issue 15, "where a check cannot judge, it says so": evidence that was not collected (a section
 * never read: the model keeps `devices: []` either way) or was read only in part (a publisher's
 * "...") is no evidence of absence. Each case runs a check on REAL published outputs and failed
 * (critical or major fail) before the fix. Facts, where given, are spec-derived glue, said so.
 */
const facts = (f: Partial<Facts>): Facts => ({ version: 1, routers: [], ports: [], floatingIps: [], instances: [], agents: [], ...f });

function run(check: Check, nodes: NodeSnapshot[], o: { facts?: Facts; params?: Record<string, unknown>; profileId?: string } = {}): Finding[] {
  const snapshot: CloudSnapshot = { nodes, unreachable: [] };
  const ctx: CheckContext = { snapshot, params: o.params ?? {}, profileId: o.profileId ?? 'neutron-legacy' };
  if (o.facts) ctx.facts = o.facts;
  return check.evaluate(ctx).findings;
}
const fails = (fs: Finding[]): string[] => fs.filter((f) => f.verdict === 'fail' || f.verdict === 'error').map((f) => `${JSON.stringify(f.subject)} ${f.message}`);
const of = (fs: Finding[], verdict: string): Finding[] => fs.filter((f) => f.verdict === verdict);

const QR_9506 = 'qrouter-e6efd80e-9468-4787-a6f8-1648486cc1d6';
/** 9506 Caracal network node (2024.1): the router's ip addr (FIP 172.16.0.175/32 on qg-) and `ovs-vsctl show`, no iptables */
const node9506 = (): NodeSnapshot =>
  realNode('controller', ['controller', 'network'], {
    netns: { text: `${QR_9506}\n` },
    [`addr:${QR_9506}`]: { file: '9506-ovs-qrouter-ip-addr-show-with-fip.txt' },
    'ovs-show': { file: '9506-ovs-network-node-ovs-vsctl-show.txt' },
  });

describe('issue 15: not collected is not absent (real outputs)', () => {
  describe('checks/lib/evidence', () => {
    it('tells a section read and empty from a section never read', () => {
      const n = node9506();
      expect(wasNamespaceCollected(n, QR_9506, 'addr')).to.equal(true);
      expect(wasNamespaceCollected(n, QR_9506, 'iptables')).to.equal(false);
      expect(wasNamespaceCollected(n, QR_9506, 'route')).to.equal(false);
      expect(wereOvsExternalIdsCollected(n), 'ovs-vsctl show prints no external_ids').to.equal(false);
      expect(isOvsKnownAbsent(n)).to.equal(false);
    });

    it("keeps a parser's 'elided output' as the section's partial reason (Kaplonski's iptables-save)", () => {
      const n = realNode('controller', ['network'], { netns: { text: 'qr\n' }, 'iptables:qr': { file: 'kaplonski-qrouter-iptables-save-metadata-elided.txt' } });
      expect(partialReason(n, 'iptables:qr')).to.match(/read only in part \(elided output at line 1\)/);
      expect(partialReason(n, 'addr:qr')).to.equal(undefined);
    });
  });

  it('ovs-ports: `ovs-vsctl show` only (9506): iface-id/attached-mac are skipped with the reason, not "no external_ids:iface-id"', () => {
    const fs = run(ovsPorts, [node9506()]);
    expect(fails(fs)).to.deep.equal([]);
    const skips = of(fs, 'skip');
    expect(skips).to.have.length(1);
    expect(skips[0]!.message).to.include('no OVS external_ids evidence for controller');
  });

  it('ovs-ports: an instance port missing from a partial `ovs-vsctl show` (Kaplonski compute1, br-int elided) is a warn naming the elision', () => {
    const cmp = realNode('compute1', ['compute'], { 'ovs-show': { file: 'kaplonski-ovs-vsctl-show-br-tun-partial.txt' } });
    // the instance of the same post (`openstack port list`), as facts
    const f = facts({ instances: [{ id: 'd0c91162-3607-4fcc-b22f-5d04f51bc431', host: 'compute1', portId: '3e399bf2-3185-4ed2-8a6b-1d79b84c9605', mac: 'fa:16:3e:3d:0f:f6', ip: '10.0.0.57' }] });
    const fs = run(ovsPorts, [cmp], { facts: f });
    expect(fails(fs)).to.deep.equal([]);
    expect(of(fs, 'warn').map((x) => x.message).join('\n')).to.match(/not judged, ovs-show on compute1 was read only in part/);
  });

  it('fip-placement without facts: a qg- /32 whose namespace iptables was not collected is skipped, not a "stale floating IP" (9506)', () => {
    const fs = run(fipPlacement, [node9506()]);
    expect(fails(fs)).to.deep.equal([]);
    expect(of(fs, 'skip').map((x) => x.message)).to.deep.equal([`172.16.0.175/32 on qg-ca92be94-79 in ${QR_9506} not judged: no iptables evidence for controller/${QR_9506}`]);
  });

  it("nat-rules: rules absent from a partial iptables-save (Kaplonski's '...') are warns naming the elision, never fails", () => {
    const qr = 'qrouter-50711ca1-1e58-44dc-bd95-a87250d5b4ae';
    const n = realNode('controller', ['network'], { netns: { text: `${qr}\n` }, [`iptables:${qr}`]: { file: 'kaplonski-qrouter-iptables-save-metadata-elided.txt' } });
    // router1 and its floating IP as the post's `openstack router show` / `floating ip create` print them
    const f = facts({
      routers: [{ id: '50711ca1-1e58-44dc-bd95-a87250d5b4ae', mode: 'legacy', hosts: ['controller'], gatewayIp: '10.10.0.240', externalNetworkId: 'b12c783e-9439-4967-890a-c87762a3f04b', enableSnat: true, subnets: [] }],
      floatingIps: [{ id: '89824995-e3fc-4ede-a457-1407f1db5104', floatingIp: '10.10.0.151', fixedIp: '10.0.0.57', portId: '3e399bf2-3185-4ed2-8a6b-1d79b84c9605', routerId: '50711ca1-1e58-44dc-bd95-a87250d5b4ae' }],
    });
    const fs = run(natRules, [n], { facts: f });
    expect(fails(fs)).to.deep.equal([]);
    expect(of(fs, 'warn').length).to.be.greaterThan(0);
    for (const w of of(fs, 'warn')) expect(w.message).to.include('read only in part (elided output at line 1)');
  });

  describe('l3ha-single-primary', () => {
    const RID = 'd952bcdf-7aa4-4d48-a3d1-b09f305e043e';
    const H = ['bj-sjhl-os-controller-gray-161-11', 'bj-sjhl-os-controller-gray-161-12', 'bj-sjhl-os-controller-gray-161-13'];
    /** Rocky split brain: 161-12's namespace (primary VIP 169.254.0.175 held), as published */
    const node12 = (): NodeSnapshot => realNode(H[1]!, ['network'], {
      netns: { text: `qrouter-${RID}\n` },
      [`addr:qrouter-${RID}`]: { file: 'rocky-split-brain-node12-qrouter-ip-a.txt' },
    });
    const rocky = (haState: Record<string, string>): Facts => facts({ routers: [{ id: RID, mode: 'ha', hosts: H, haState, subnets: [] }] });

    it('two agents reporting one HA router active (Rocky, published l3-agent-list-hosting-router) is a critical split brain, not a stale-facts warn', () => {
      const fs = run(l3haSinglePrimary, [node12()], { facts: rocky({ [H[0]!]: 'active', [H[1]!]: 'active', [H[2]!]: 'standby' }), profileId: 'neutron-l3ha' });
      const f = of(fs, 'fail');
      expect(f).to.have.length(1);
      expect(f[0]!.severity).to.equal('critical');
      expect(f[0]!.message).to.equal(`split brain: the L3 agents report HA router ${RID} active on ${H[0]} and ${H[1]}`);
      expect(of(fs, 'warn')).to.deep.equal([]);
    });

    it('one active agent on another node than the data plane: still the stale-facts warn (the facts are the expectation)', () => {
      const fs = run(l3haSinglePrimary, [node12()], { facts: rocky({ [H[0]!]: 'active', [H[1]!]: 'standby', [H[2]!]: 'standby' }), profileId: 'neutron-l3ha' });
      expect(fails(fs)).to.deep.equal([]);
      expect(of(fs, 'warn').map((x) => x.expected)).to.deep.equal([`facts HA state: ${H[0]}=active, ${H[1]}=standby, ${H[2]}=standby`]);
    });

    it('a replica whose addresses and state file were not read is unknown: "no primary" is a warn naming what is missing (neutron doc, netns only)', () => {
      const fs = run(l3haSinglePrimary, [realNode(H[0]!, ['network'], { netns: { text: `qrouter-${RID}\n` } })], { facts: rocky({ [H[0]!]: 'active' }), profileId: 'neutron-l3ha' });
      expect(fails(fs)).to.deep.equal([]);
      expect(of(fs, 'warn')[0]!.message).to.include(`no address evidence for ${H[0]}/qrouter-${RID} and no state file`);
      expect(of(fs, 'warn')[0]!.message).to.include(`${H[1]} (a replica per the facts) was not read`);
    });
  });

  describe('DVR namespaces listed by `ip netns` only (neutron docs, deploy-ovs-ha-dvr)', () => {
    const network = (): NodeSnapshot => realNode('network', ['network'], { netns: { file: 'neutron-doc-dvr-network-node-snat-qrouter.txt' } });
    const compute = (): NodeSnapshot => realNode('compute1', ['compute'], { netns: { file: 'neutron-doc-dvr-compute-fip.txt' } });

    it('dvr-snat-placement: a snat- namespace whose addresses were not read is skipped, not "no qg-/sg- device"', () => {
      const fs = run(dvrSnatPlacement, [network(), compute()], { profileId: 'neutron-dvr' });
      expect(fails(fs)).to.deep.equal([]);
      expect(of(fs, 'skip').map((x) => x.message)).to.deep.equal(['qg-/sg- of snat-78d2f628-137c-4f26-a257-25fc20f203c1 not judged: no address evidence for network/snat-78d2f628-137c-4f26-a257-25fc20f203c1']);
    });

    it('dvr-fip-namespace: a fip- namespace whose addresses were not read is skipped, not "0 fg- devices"', () => {
      const fs = run(dvrFipNamespace, [network(), compute()], { profileId: 'neutron-dvr' });
      expect(fails(fs)).to.deep.equal([]);
      expect(of(fs, 'skip').map((x) => x.message)).to.deep.equal(['fg-/fpr- devices of fip-4bfa3075-b4b2-4f7d-b88e-df1113942d43 not judged: no address evidence for compute1/fip-4bfa3075-b4b2-4f7d-b88e-df1113942d43']);
    });
  });
});
