import { expect } from 'chai';
import { buildSnapshotFromFiles } from '../../src/collect/snapshot-from-files';
import { readCorpusBody } from '../helpers/corpus';

const QR = 'qrouter-dd6481d3-c3c6-4cf8-877c-877c94b2edd3';
const SNAT = 'snat-dd6481d3-c3c6-4cf8-877c-877c94b2edd3';

describe('collect: snapshot from saved outputs (replay / offline)', () => {
  it('reads published outputs of a DVR network node into the live model (hustcat, Liberty)', () => {
    const { snapshot, evidence, warnings } = buildSnapshotFromFiles({
      node: 'network',
      roles: ['network'],
      outputs: [
        { kind: 'netns', text: readCorpusBody('netns/hustcat-dvr-network-snat-qrouter-qdhcp.txt'), source: 'netns.txt' },
        { kind: 'ip-addr', namespace: SNAT, text: readCorpusBody('ns-addr-route/hustcat-dvr-network-snat-ip-a-with-vm.txt') },
        { kind: 'iptables-S', table: 'nat', namespace: SNAT, text: readCorpusBody('iptables/hustcat-dvr-snat-ns-iptables-t-nat-S.txt'), source: 'nat.txt' },
        { kind: 'ovs-vsctl-show', text: readCorpusBody('ovs-flows/hustcat-dvr-network-ovs-vsctl-show.txt') },
      ],
    });
    expect(warnings).to.deep.equal([]);
    expect(snapshot.namespaces.map((n) => n.name)).to.deep.equal([SNAT, QR, 'qdhcp-728d4816-d2ea-4f7d-b005-13a1437eb6d6']);
    const snat = snapshot.namespaces[0];
    expect(snat.devices.map((d) => d.name)).to.deep.equal(['lo', 'sg-f69e692f-93', 'qg-2d0bd3e5-d1']);
    expect(snat.iptables?.rules.filter((r) => r.target === 'SNAT').map((r) => r.toAddress)).to.deep.equal(['203.0.113.10', '203.0.113.10']);
    expect(snapshot.namespaces[1].devices).to.deep.equal([]); // listed, its addresses not published
    expect(snapshot.ovs?.bridges.map((b) => b.name)).to.deep.equal(['br-int', 'br-tun', 'br-ex']);
    expect(snapshot.evidence[`iptables:${SNAT}`]).to.equal(`network/iptables-S(nat):${SNAT}`);
    expect(evidence.find((e) => e.id === 'network/netns')?.command).to.equal('file:netns.txt');
    expect(evidence.find((e) => e.id === `network/iptables-S(nat):${SNAT}`)?.command).to.equal('file:nat.txt');
  });

  it('adds namespaces known only from `ip netns exec` outputs, and routes of a numbered table', () => {
    const { snapshot } = buildSnapshotFromFiles({
      node: 'compute1',
      roles: ['compute'],
      versions: { keepalived: 'Keepalived v1.2.13 (11/18,2014)' },
      outputs: [
        { kind: 'ip-addr', namespace: QR, text: readCorpusBody('ns-addr-route/hustcat-dvr-compute1-qrouter-ip-a-with-rfp.txt') },
        { kind: 'ip-route', namespace: QR, text: readCorpusBody('ns-addr-route/hustcat-dvr-compute1-qrouter-ip-route.txt') },
        { kind: 'ip-route', namespace: QR, table: '16', text: readCorpusBody('ns-addr-route/hustcat-dvr-compute1-qrouter-route-table-16.txt') },
      ],
    });
    expect(snapshot.namespaces.map((n) => n.name)).to.deep.equal([QR]);
    expect(snapshot.namespaces[0].routes.map((r) => [r.dst, r.table, r.dev])).to.deep.equal([
      ['192.168.10.0/24', undefined, 'qr-e97ad7a4-64'],
      ['default', '16', 'rfp-dd6481d3-c'],
    ]);
    expect(snapshot.versions).to.deep.equal({ keepalived: 'Keepalived v1.2.13 (11/18,2014)' });
  });

  it('concatenates dump-flows of single tables of one bridge and keeps parser warnings with their section', () => {
    const { snapshot, warnings } = buildSnapshotFromFiles({
      node: 'node2',
      roles: ['compute'],
      outputs: [
        { kind: 'ovs-ofctl-dump-flows', bridge: 'br-tun', text: readCorpusBody('ovs-flows/jffree-dvr-compute-br-tun-table0.txt') },
        { kind: 'ovs-ofctl-dump-flows', bridge: 'br-tun', text: readCorpusBody('ovs-flows/jffree-dvr-compute-br-tun-table2.txt') },
        { kind: 'netns', text: '(...)\n' },
      ],
    });
    expect([...new Set(snapshot.flows['br-tun'].map((f) => f.table))]).to.deep.equal([0, 2]);
    expect(warnings.map((w) => [w.node, w.section, w.message])).to.deep.equal([['node2', 'netns', 'elided output']]);
  });

  it('merges an `iptables -L` nat listing into the namespace, protocols named as iptables-save names them (9506 Caracal)', () => {
    const ns = 'qrouter-fa9a921e-7ff6-4468-a08b-5415cebeb089';
    const { snapshot, warnings } = buildSnapshotFromFiles({
      node: 'controller',
      roles: ['network'],
      outputs: [{ kind: 'iptables-L', table: 'nat', namespace: ns, text: readCorpusBody('iptables/9506-lb-qrouter-iptables-n-t-nat-L-fip.txt') }],
    });
    expect(warnings).to.deep.equal([]);
    const rules = snapshot.namespaces[0].iptables?.rules ?? [];
    expect(rules.filter((r) => r.target === 'DNAT').map((r) => [r.chain, r.destination, r.toAddress])).to.deep.equal([
      ['neutron-l3-agent-OUTPUT', '172.16.0.168', '192.168.101.88'],
      ['neutron-l3-agent-PREROUTING', '172.16.0.168', '192.168.101.88'],
    ]);
    expect(rules.find((r) => r.target === 'REDIRECT')).to.deep.include({ protocol: 'tcp', table: 'nat' });
    expect(snapshot.evidence[`iptables:${ns}`]).to.equal(`controller/iptables-L(nat):${ns}`);
  });
});
