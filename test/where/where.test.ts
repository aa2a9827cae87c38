import { expect } from 'chai';
import { buildOfflineCollections } from '../../src/analyze/build-collections';
import { findPlaces } from '../../src/where/find-places';
import { parseWhereTarget, namesTarget, textNamesTarget } from '../../src/where/parse-target';
import { toWhereNodes } from '../../src/where/where-nodes';
import { renderWhereText } from '../../src/where/render-where';
import { factsOf, loadAll, sosDirsOf } from '../analyze/sos-fixtures';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCaptureFile } from '../../src/where/read-capture-file';
import { planWherePoints } from '../../src/where/garp-capture-points';
import { buildFdbShowCommand, fdbBridgesOf, parseFdbShowOutput } from '../../src/where/read-live-fdb';

const REAL_ENGINE = path.resolve(__dirname, '../../../test/fixtures/real-engine');

const FIP = '203.0.113.101';
const ROUTER = 'b7b1f8e9-2245-40a1-8575-d7dfa585cfa0';

async function whereIn(state: string, address: string) {
  const facts = factsOf(state);
  const collections = buildOfflineCollections(await loadAll(sosDirsOf(state)), { facts });
  return findPlaces(parseWhereTarget(address), toWhereNodes(collections), facts);
}

describe('where: target parsing', () => {
  it('IPs and MACs in their usual spellings; anything else is a usage error', () => {
    expect(parseWhereTarget('FA-16-3E-00-00-01')).to.deep.equal({ kind: 'mac', value: 'fa:16:3e:00:00:01' });
    expect(parseWhereTarget('fa16.3e00.0001')).to.deep.equal({ kind: 'mac', value: 'fa:16:3e:00:00:01' });
    expect(parseWhereTarget('2001:0db8::01')).to.deep.equal({ kind: 'ip', value: '2001:db8:0:0:0:0:0:1', family: 6 });
    expect(() => parseWhereTarget('10.0.0.0/24')).to.throw(/neither an IP address nor a MAC/);
    const t = parseWhereTarget(FIP);
    expect(namesTarget(t, `${FIP}/32`)).to.equal(true);
    expect(namesTarget(t, `${FIP}/24`)).to.equal(false);
    expect(textNamesTarget(t, `-d ${FIP}/32 -j DNAT --to-destination 10.0.0.11`)).to.equal(true);
    expect(textNamesTarget(t, '-d 203.0.113.1011/32')).to.equal(false);
    expect(textNamesTarget(parseWhereTarget('fa:16:3e:00:00:01'), 'actions=mod_dl_src:fa:16:3e:00:00:01,output:2')).to.equal(true);
  });
});

describe('where: on the lab\'s real sosreports (test/fixtures/sos)', () => {
  it('healthy: the FIP in the facts, on the primary\'s qg-, in every keepalived.conf, in NAT and in the upstream\'s neighbour table; no disagreement', async () => {
    const r = await whereIn('l3ha-healthy', FIP);
    const layers = new Set(r.places.map((p) => p.layer));
    for (const l of ['facts', 'address', 'keepalived', 'route', 'nat', 'neighbour'] as const) expect(layers.has(l), l).to.equal(true);
    // one owner: the primary's qrouter (whichever replica keepalived elected when sos ran)
    const owners = r.places.filter((p) => p.layer === 'address');
    expect(owners.map((o) => o.namespace)).to.deep.equal([`qrouter-${ROUTER}`]);
    const primary = r.places.filter((p) => p.layer === 'keepalived' && / state primary$/.test(p.detail)).map((p) => p.node);
    expect(primary).to.deep.equal([owners[0].node]);
    expect(r.places.filter((p) => p.layer === 'keepalived').map((p) => p.node)).to.deep.equal(['net1', 'net2', 'net3']);
    const upstream = r.places.find((p) => p.layer === 'neighbour' && p.node === 'upstream');
    expect(upstream?.mac).to.equal(owners[0].mac);
    expect(upstream?.source).to.match(/^sosreport-upstream-.*:sos_commands\/networking\/ip_-s_-s_neigh_show$/);
    expect(r.problems).to.deep.equal([]);
    expect(renderWhereText(r)).to.include('disagreements: none');
  });

  it('healthy: the qg- MAC in the OVS port table, the FDB of br-ex and the upstream\'s neighbour entry', async () => {
    const healthy = await whereIn('l3ha-healthy', FIP);
    const mac = healthy.places.find((p) => p.layer === 'address')!.mac!;
    const r = await whereIn('l3ha-healthy', mac);
    const layers = new Set(r.places.map((p) => p.layer));
    for (const l of ['address', 'facts', 'neighbour', 'ovs-port', 'fdb'] as const) expect(layers.has(l), l).to.equal(true);
    // the one gateway port is plugged on every replica (same namespace and device): not two owners
    expect(r.places.filter((p) => p.layer === 'address').map((p) => p.node)).to.deep.equal(['net1', 'net2', 'net3']);
    // sos's `ovs-vsctl list interface` gives the external_ids `ovs-vsctl show` lacks
    const ports = r.places.filter((p) => p.layer === 'ovs-port');
    expect(ports.map((p) => `${p.node} ${p.at}`)).to.deep.equal(['net1 br-ex/qg-6c791549-3c', 'net2 br-ex/qg-6c791549-3c', 'net3 br-ex/qg-6c791549-3c']);
    for (const p of ports) expect(p.detail).to.include('iface-id 6c791549-3cd9-4372-836c-9120823dd329');
    expect(r.places.filter((p) => p.layer === 'fdb').map((p) => p.at.split(' ')[0])).to.include('br-ex');
    expect(r.problems).to.deep.equal([]);
  });

  it('split-brain: the FIP has two owners, and both are named', async () => {
    const r = await whereIn('l3ha-split-brain', FIP);
    const two = r.problems.filter((p) => p.kind === 'two-owners');
    expect(two.length).to.equal(1);
    const owners = r.places.filter((p) => p.layer === 'address').map((p) => p.node as string);
    expect(owners.length).to.equal(2);
    for (const n of owners) expect(two[0].message).to.include(`${n}/qrouter-${ROUTER}`);
    expect(r.problems.some((p) => p.kind === 'two-primaries')).to.equal(true);
  });

  it('missing-dnat: the primary holds the FIP with no PREROUTING DNAT behind it', async () => {
    const r = await whereIn('l3ha-missing-dnat', FIP);
    expect(r.problems.map((p) => p.kind)).to.deep.equal(['address-without-dnat']);
    const owner = r.places.find((p) => p.layer === 'address')!;
    expect(r.problems[0].message).to.include(`${owner.node}/qrouter-${ROUTER} holds floating IP ${FIP}`);
  });

  it('stale-namespace: the router\'s namespace on cmp1 (no address yet) is named as the second owner in waiting', async () => {
    const r = await whereIn('l3ha-stale-namespace', FIP);
    const ns = r.places.filter((p) => p.layer === 'namespace').map((p) => p.node);
    // the two backups and the stale one; the primary holds the FIP (address layer)
    expect(ns).to.include('cmp1');
    expect(ns.length).to.equal(3);
    const stale = r.problems.filter((p) => p.kind === 'stale-namespace');
    expect(stale.length).to.equal(1);
    expect(stale[0].message).to.include(`cmp1/qrouter-${ROUTER}`);
    expect(r.problems.map((p) => p.kind)).to.deep.equal(['stale-namespace']);
    // healthy: the backups are listed, and nothing is stale
    const healthy = await whereIn('l3ha-healthy', FIP);
    expect(healthy.places.filter((p) => p.layer === 'namespace').map((p) => p.node).sort()).to.have.length(2);
  });

  it('G-ARP layer from a saved capture: who announced it last, with which MAC (real keepalived failover pcap)', async () => {
    // real-engine L3 HA failover: keepalived of the new primary announces FIP 203.0.113.89 5 times, then again 60 s later
    const cap = readCaptureFile(`upstream=${path.join(REAL_ENGINE, 'zed-l3ha-failover-upstream-ext0.pcap')}`);
    const r = findPlaces(parseWhereTarget('203.0.113.89'), [], undefined, { captures: [cap] });
    const garps = r.places.filter((p) => p.layer === 'garp');
    expect(garps.length).to.equal(3); // the last three of that capture point
    for (const g of garps) {
      expect(g.node).to.equal('upstream');
      expect(g.mac).to.equal('fa:16:3e:67:95:45');
      expect(g.detail).to.match(/^G-ARP request 203\.0\.113\.89 is-at fa:16:3e:67:95:45 seen at /);
    }
    // the last ones are the garp_master_delay repeat, 60 s after the failover
    expect(Math.round(garps[2].ts! - cap.frames[0].ts)).to.equal(60);
    expect(r.problems).to.deep.equal([]);
    expect(renderWhereText(r)).to.match(/\ngarp:\n {2}upstream {2}zed-l3ha-failover-upstream-ext0\.pcap {2}G-ARP/);
    // by MAC: the same announcements, for both addresses it announced
    const byMac = findPlaces(parseWhereTarget('fa:16:3e:67:95:45'), [], undefined, { captures: [cap] });
    expect(new Set(byMac.places.map((p) => /G-ARP request (\S+)/.exec(p.detail)?.[1]))).to.deep.equal(new Set(['203.0.113.64', '203.0.113.89']));
    expect(() => readCaptureFile(path.join(REAL_ENGINE, 'zed-l3ha-failover-upstream-ext0.pcap.SOURCE.txt'))).to.throw(/neither a pcap file nor tcpdump text/);
  });

  it('live --listen plans its capture points: each replica\'s VIP device outbound, the upstream inbound', async () => {
    const facts = factsOf('l3ha-healthy');
    const nodes = toWhereNodes(buildOfflineCollections(await loadAll(sosDirsOf('l3ha-healthy')), { facts }));
    const r = findPlaces(parseWhereTarget(FIP), nodes, facts);
    const points = planWherePoints(r.target, r.places, nodes).map((p) => `${p.node} ${p.target.namespace ?? ''} ${p.target.device} ${p.target.direction}`);
    expect(points).to.have.members([
      ...['net1', 'net2', 'net3'].map((n) => `${n} qrouter-${ROUTER} qg-6c791549-3c out`),
      'upstream  ext0 in',
    ]);
  });

  it('live FDB: one read-only ovs-appctl per bridge (not br-tun), split back per bridge (real fdb/show output)', () => {
    expect(fdbBridgesOf(['br-int', 'br-tun', 'br-ex'])).to.deep.equal(['br-int', 'br-ex']);
    expect(buildFdbShowCommand(['br-int', 'br-ex'])).to.equal("echo '== fdb' br-int; ovs-appctl fdb/show br-int 2>&1; echo '== fdb' br-ex; ovs-appctl fdb/show br-ex 2>&1");
    const dir = sosDirsOf('l3ha-healthy').find((d) => d.includes('-net3-'))!;
    const text = (b: string): string => fs.readFileSync(path.join(dir, 'sos_commands/openvswitch', `ovs-appctl_fdb.show_${b}`), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
    const parsed = parseFdbShowOutput(`== fdb br-int\n${text('br-int')}\n== fdb br-ex\n${text('br-ex')}`);
    expect(parsed.map((p) => p.bridge)).to.deep.equal(['br-int', 'br-ex']);
    expect(parsed[1].entries.map((e) => e.mac)).to.include('fa:16:3e:c0:be:e8');
    for (const p of parsed) expect(p.warnings).to.deep.equal([]);
  });
});
