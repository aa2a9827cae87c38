import { expect } from 'chai';
import { readCorpusBody } from '../helpers/corpus';
import { readFixture } from './read-fixture';
import { parseOvsAppctlFdbShow, parseOvsDbJson, parseOvsOfctlDumpFlows, parseOvsVsctlShow } from '../../src/parse';
import type { OvsConfig } from '../../src/model/types';

describe('parse: ovs-vsctl show', () => {
  it('reads an L3 HA network node (quoted names, tags, patch options, ovs_version)', () => {
    const r = parseOvsVsctlShow(readCorpusBody('ovs-flows/insights-core-fixture-ovs-vsctl-show-l3ha-network-node.txt'));
    expect(r.warnings).to.deep.equal([]);
    expect(r.value.ovsVersion).to.equal('2.3.2');
    expect(r.value.bridges.map((b) => b.name)).to.deep.equal(['br-ex', 'br-int', 'br-tun']);
    const brInt = r.value.bridges[1];
    expect(brInt.failMode).to.equal('secure');
    expect(brInt.ports.find((p) => p.name === 'ha-1f423581-cd')).to.deep.equal({
      name: 'ha-1f423581-cd', tag: 3, interfaces: [{ name: 'ha-1f423581-cd', type: 'internal', externalIds: {} }],
    });
    expect(brInt.ports.find((p) => p.name === 'int-br-ex')?.interfaces[0].options).to.deep.equal({ peer: 'phy-br-ex' });
    expect(r.value.bridges[0].ports.find((p) => p.name === 'eth0')?.interfaces[0]).to.deep.equal({ name: 'eth0', externalIds: {} });
  });
  it('drops the publisher\'s comment after a quoted port name, with a warning (hustcat DVR compute; issue 15)', () => {
    const r = parseOvsVsctlShow(readCorpusBody('ovs-flows/hustcat-dvr-compute1-ovs-vsctl-show.txt'));
    const brInt = r.value.bridges.find((b) => b.name === 'br-int');
    expect(brInt?.ports.map((p) => p.name)).to.deep.equal(['int-br-ex', 'br-int', 'qvofa8befcd-cd', 'patch-tun', 'qr-e97ad7a4-64']);
    expect(brInt?.ports.find((p) => p.name === 'qr-e97ad7a4-64')).to.deep.equal({
      name: 'qr-e97ad7a4-64', tag: 1, interfaces: [{ name: 'qr-e97ad7a4-64', type: 'internal', externalIds: {} }],
    });
    expect(r.warnings.map((w) => [w.line, w.message])).to.deep.equal([
      [21, 'text after the Port name ignored (publisher\'s comment?)'],
      [28, 'text after the Port name ignored (publisher\'s comment?)'],
    ]);
  });
  it('skips Manager/Controller stanzas and reads vxlan options', () => {
    const r = parseOvsVsctlShow(readCorpusBody('ovs-flows/9506-ovs-network-node-ovs-vsctl-show.txt'));
    expect(r.warnings).to.deep.equal([]);
    const brTun = r.value.bridges.find((b) => b.name === 'br-tun');
    expect(brTun).to.deep.include({ failMode: 'secure', datapathType: 'system' });
    expect(brTun?.ports[0].interfaces[0]).to.deep.equal({
      name: 'vxlan-ac10001f', type: 'vxlan', externalIds: {},
      options: { df_default: 'true', egress_pkt_mark: '0', in_key: 'flow', local_ip: '172.16.0.11', out_key: 'flow', remote_ip: '172.16.0.31' },
    });
    expect(r.value.ovsVersion).to.equal('3.3.1');
  });
  it('re-joins a wrapped options map of grep\'ed output, with warnings', () => {
    const r = parseOvsVsctlShow(readCorpusBody('ovs-flows/opsguide-ovs-vsctl-show-grep-gre.txt'));
    expect(r.value.bridges).to.have.length(1);
    expect(r.value.bridges[0].ports[0].interfaces[0]).to.deep.equal({
      name: 'gre-1', type: 'gre', externalIds: {},
      options: { in_key: 'flow', local_ip: '10.10.128.21', out_key: 'flow', remote_ip: '10.10.128.16' },
    });
    expect(r.warnings.map((w) => w.line)).to.deep.equal([1, 4]);
  });
  it('reads the show output generated here (trunks, error)', () => {
    const r = parseOvsVsctlShow(readFixture('ovs-vsctl-show.txt'));
    expect(r.warnings).to.deep.equal([]);
    const brInt = r.value.bridges.find((b) => b.name === 'br-int');
    expect(brInt?.datapathType).to.equal('netdev');
    expect(brInt?.ports.find((p) => p.name === 'trunkport')?.trunks).to.deep.equal([10, 20, 30]);
    expect(brInt?.ports.find((p) => p.name === 'tapmissing')?.interfaces[0].error).to.equal(
      'could not open network device tapmissing (No such device)',
    );
  });
});

describe('parse: OVSDB JSON (ovs-vsctl --format=json list)', () => {
  const db = (): ReturnType<typeof parseOvsDbJson> =>
    parseOvsDbJson(readFixture('ovs-vsctl-list-bridge.json'), readFixture('ovs-vsctl-list-port.json'), readFixture('ovs-vsctl-list-interface.json'));

  it('joins Bridge → Port → Interface with external_ids, ofport, mac_in_use', () => {
    const r = db();
    expect(r.warnings).to.deep.equal([]);
    expect(r.value.bridges.map((b) => [b.name, b.datapathType, b.failMode, b.ports.length])).to.deep.equal([
      ['br-int', 'netdev', 'secure', 6],
      ['br-tun', 'netdev', 'secure', 3],
    ]);
    const qr = r.value.bridges[0].ports.find((p) => p.name === 'qr-1234abcd-ef');
    expect(qr?.tag).to.equal(1);
    expect(qr?.interfaces[0]).to.deep.include({ name: 'qr-1234abcd-ef', type: 'internal', ofport: 1 });
    expect(qr?.interfaces[0].externalIds).to.deep.equal({
      'attached-mac': 'fa:16:3e:00:00:01', 'iface-id': '1234abcd-ef00-4000-8000-000000000001', 'iface-status': 'active',
    });
    const missing = r.value.bridges[0].ports.find((p) => p.name === 'tapmissing')?.interfaces[0];
    expect(missing).to.deep.include({ ofport: -1, type: 'system', error: 'could not open network device tapmissing (No such device)' });
    expect(missing?.mac_in_use).to.equal(undefined);
  });
  it('agrees with ovs-vsctl show on names, tags, trunks, types and options', () => {
    const show = parseOvsVsctlShow(readFixture('ovs-vsctl-show.txt')).value;
    const strip = (c: OvsConfig) =>
      c.bridges
        .map((b) => ({
          name: b.name,
          ports: b.ports
            .map((p) => ({ name: p.name, tag: p.tag, trunks: p.trunks, ifs: p.interfaces.map((i) => [i.name, i.type, i.options ?? {}, i.error]) }))
            .sort((x, y) => x.name.localeCompare(y.name)),
        }))
        .sort((x, y) => x.name.localeCompare(y.name));
    const fromDb = strip(db().value);
    // `show` hides empty options maps; OVSDB prints them
    for (const b of fromDb) for (const p of b.ports) for (const i of p.ifs) if (JSON.stringify(i[2]) === '{}') i[2] = {};
    expect(fromDb).to.deep.equal(strip(show));
  });
  it('reports broken or missing documents instead of throwing', () => {
    const r = parseOvsDbJson('', '{"headings":["_uuid"]}', 'not json');
    expect(r.value).to.deep.equal({ bridges: [] });
    expect(r.warnings.map((w) => w.message)).to.have.length(3);
    const dangling = parseOvsDbJson(readFixture('ovs-vsctl-list-bridge.json'), '{"data":[],"headings":["_uuid","name"]}', '{"data":[],"headings":[]}');
    expect(dangling.value.bridges.every((b) => b.ports.length === 0)).to.equal(true);
    expect(dangling.warnings.length).to.equal(9);
  });
});

describe('parse: ovs-ofctl dump-flows', () => {
  it('reads ARP responder flows whose actions contain commas, brackets and arrows', () => {
    const r = parseOvsOfctlDumpFlows(readCorpusBody('ovs-flows/jffree-l2pop-br-tun-table21-arp-responder.txt'));
    expect(r.warnings).to.deep.equal([]);
    expect(r.value).to.have.length(6);
    const { raw: _raw, ...first } = r.value[0];
    expect(first).to.deep.equal({
      table: 21, priority: 1, cookie: '0x8ca031df7a84a666', nPackets: 0, nBytes: 0, idleAge: 65534,
      match: { arp: '', dl_vlan: '1', arp_tpa: '192.168.100.2' },
      actions:
        'load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],' +
        'load:0xfa163e513bf7->NXM_NX_ARP_SHA[],load:0xc0a86402->NXM_OF_ARP_SPA[],move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],' +
        'mod_dl_src:fa:16:3e:51:3b:f7,IN_PORT',
    });
    expect(r.value[5]).to.deep.include({ priority: 0, nPackets: 32, nBytes: 1542, idleAge: 14475, actions: 'resubmit(,22)', match: {} });
  });
  it('reads anti-spoofing arp_spa and icmp6 nd_target matches (table 24)', () => {
    const r = parseOvsOfctlDumpFlows(readCorpusBody('ovs-flows/jffree-l2pop-br-int-table24-arp-spa.txt'));
    expect(r.value.map((f) => f.match)).to.deep.equal([
      { icmp6: '', in_port: '3', icmp_type: '136', nd_target: 'fe80::f816:3eff:fe5c:9e2d' },
      { arp: '', in_port: '3', arp_spa: '192.168.100.5' },
    ]);
  });
  it('reads quoted in_port names (newer OVS) and vlan_tci masks', () => {
    const r = parseOvsOfctlDumpFlows(readCorpusBody('ovs-flows/kaplonski-controller-br-int-with-qg.txt'));
    expect(r.value).to.have.length(10);
    expect(r.value[1]).to.deep.include({ table: 0, priority: 3, nPackets: 767, actions: 'mod_vlan_vid:2,resubmit(,60)' });
    expect(r.value[1].match).to.deep.equal({ in_port: 'int-br-ex', vlan_tci: '0x0000/0x1fff' });
  });
  it('re-joins a flow the ops guide wrapped over three lines', () => {
    const r = parseOvsOfctlDumpFlows(readCorpusBody('ovs-flows/opsguide-br-int-grep-vlan2113.txt'));
    expect(r.value).to.have.length(1);
    expect(r.value[0]).to.deep.include({ table: 0, priority: 3, nPackets: 7676140, nBytes: 444818637, idleAge: 0, actions: 'mod_vlan_vid:7,NORMAL' });
    expect(r.value[0].match).to.deep.equal({ in_port: '1', dl_vlan: '2113' });
    expect(r.warnings).to.have.length(1);
  });
  it('reads OpenFlow 1.3 (reset_counts), --no-stats (defaults) and table=N dumps generated here', () => {
    const of13 = parseOvsOfctlDumpFlows(readFixture('ovs-ofctl-dump-flows-of13-br-int.txt'));
    const nx = parseOvsOfctlDumpFlows(readFixture('ovs-ofctl-dump-flows-br-int.txt'));
    const noStats = parseOvsOfctlDumpFlows(readFixture('ovs-ofctl-dump-flows-no-stats-br-int.txt'));
    const t24 = parseOvsOfctlDumpFlows(readFixture('ovs-ofctl-dump-flows-br-int-table24.txt'));
    for (const r of [of13, nx, noStats, t24]) expect(r.warnings).to.deep.equal([]);
    const key = (f: { table: number; priority: number; match: Record<string, string> }) => `${f.table}/${f.priority}/${JSON.stringify(f.match)}`;
    expect(of13.value.map(key)).to.deep.equal(nx.value.map(key));
    expect(noStats.value.map(key)).to.deep.equal(nx.value.map(key));
    expect(noStats.value[0]).to.deep.equal({
      table: 0, priority: 65535, match: { vlan_tci: '0x0fff/0x1fff' }, actions: 'drop', raw: 'priority=65535,vlan_tci=0x0fff/0x1fff actions=drop',
    });
    expect(nx.value.find((f) => f.table === 1)?.actions).to.equal('mod_vlan_vid:2,ct(commit,zone=NXM_NX_REG6[0..15]),output:1');
    expect(t24.value).to.have.length(1);
    expect(t24.value[0]).to.deep.include({ table: 24, priority: 2, cookie: '0xc609e5deded3773a' });
    expect(t24.value[0].match).to.deep.equal({ arp: '', in_port: '2', arp_spa: '10.0.0.5' });
  });
});

describe('parse: ovs-appctl fdb/show', () => {
  it('reads the corpus sample and fdb/add static entries generated here', () => {
    expect(parseOvsAppctlFdbShow(readCorpusBody('neigh-fdb/fr-notes-ovs-appctl-fdb-show-br-ex.txt'))).to.deep.equal({
      value: [{ port: '1', vlan: 0, mac: 'fa:16:3e:4d:9d:e8', age: '0' }],
      warnings: [],
    });
    expect(parseOvsAppctlFdbShow(readFixture('ovs-appctl-fdb-show-br-int.txt')).value).to.deep.equal([
      { port: '1', vlan: 1, mac: 'fa:16:3e:00:00:01', age: 'static' },
      { port: '3', vlan: 20, mac: 'fa:16:3e:aa:bb:cc', age: 'static' },
    ]);
  });
});
