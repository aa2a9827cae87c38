import { expect } from 'chai';
import type { Check, CheckContext, CloudSnapshot, Finding } from '../../src/engine/types';
import type { Facts } from '../../src/model/facts';
import type { NodeSnapshot } from '../../src/model/types';
import { check as ovsAntispoof } from '../../checks/ovs-antispoof';
import { realNode } from './fixtures/real';

/**
 * False alarms of issue 15 on REAL outputs of healthy clouds (test/checks/fixtures/real/, copied from
 * the shared corpus with their #source headers). Each case failed before its fix. Where a real
 * output lacks a detail the model needs (ovs-vsctl external_ids, facts), the glue is spec-derived
 * and says so.
 */
const facts = (f: Partial<Facts>): Facts => ({ version: 1, routers: [], ports: [], floatingIps: [], instances: [], agents: [], ...f });

function run(check: Check, nodes: NodeSnapshot[], o: { facts?: Facts; params?: Record<string, unknown>; profileId?: string } = {}): Finding[] {
  const snapshot: CloudSnapshot = { nodes, unreachable: [] };
  const ctx: CheckContext = { snapshot, params: o.params ?? {}, profileId: o.profileId ?? 'neutron-l3ha' };
  if (o.facts) ctx.facts = o.facts;
  return check.evaluate(ctx).findings;
}
const bad = (fs: Finding[]): string[] => fs.filter((f) => f.verdict === 'fail' || f.verdict === 'error').map((f) => `${f.verdict} ${JSON.stringify(f.subject)} ${f.message}`);
const verdicts = (fs: Finding[]): string[] => fs.map((f) => f.verdict);

describe('issue 15: no false alarm on real outputs of healthy clouds', () => {
  describe('ovs-antispoof with firewall_driver = openvswitch (9506 compute, 2024.1)', () => {
    // the VM port of the real br-int flows: tap648437e1-0d, ofport 4 (reg5=0x4), fa:16:3e:61:21:c6, 192.168.101.85.
    // ovs-vsctl external_ids are not published: iface-id / attached-mac / vm-uuid are spec-derived glue.
    const PORT_ID = '648437e1-0d11-4c2a-9f0e-000000000001';
    const cmp = (mutate?: (n: NodeSnapshot) => void): NodeSnapshot => {
      const n = realNode('compute1', ['compute'], { 'flows:br-int': { file: '9506-ovs-compute-br-int-flows-vxlan-vm.txt' } });
      n.ovs = {
        bridges: [{
          name: 'br-int',
          ports: [{ name: 'tap648437e1-0d', tag: 3, interfaces: [{ name: 'tap648437e1-0d', ofport: 4, externalIds: { 'iface-id': PORT_ID, 'attached-mac': 'fa:16:3e:61:21:c6', 'vm-uuid': 'vm-1' } }] }],
        }],
      };
      n.evidence['ovs-vsctl'] = 'compute1/ovs-vsctl';
      mutate?.(n);
      return n;
    };
    const f = facts({
      instances: [{ id: 'vm-1', host: 'compute1', portId: PORT_ID, mac: 'fa:16:3e:61:21:c6', ip: '192.168.101.85' }],
      ports: [{ id: PORT_ID, deviceOwner: 'compute:nova', networkId: 'n1', mac: 'fa:16:3e:61:21:c6', fixedIps: ['192.168.101.85'] }],
    });

    it('firewall driver detected from the flows: table 71 arp_spa, no fail (with facts)', () => {
      expect(bad(run(ovsAntispoof, [cmp()], { facts: f }))).to.deep.equal([]);
    });
    it('same without facts', () => {
      expect(bad(run(ovsAntispoof, [cmp()]))).to.deep.equal([]);
    });
    it('facts firewallDriver openvswitch, and the table 71 arp_spa flow removed: fail', () => {
      const n = cmp((x) => { x.flows['br-int'] = x.flows['br-int']!.filter((fl) => !(fl.table === 71 && fl.match['arp_spa'])); });
      const got = run(ovsAntispoof, [n], { facts: { ...f, firewallDriver: 'openvswitch' } });
      expect(got.map((x) => `${x.verdict} ${x.subject.device}`)).to.deep.equal(['fail tap648437e1-0d']);
    });
    it('firewall_driver noop: nothing expected, a note only', () => {
      const n = cmp((x) => { x.flows['br-int'] = x.flows['br-int']!.filter((fl) => !(fl.table === 71 && fl.match['arp_spa'])); });
      expect(verdicts(run(ovsAntispoof, [n], { facts: { ...f, firewallDriver: 'noop' } }))).to.deep.equal(['pass']);
    });
  });
});
