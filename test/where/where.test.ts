import { expect } from 'chai';
import { buildOfflineCollections } from '../../src/analyze/build-collections';
import { findPlaces } from '../../src/where/find-places';
import { parseWhereTarget, namesTarget, textNamesTarget } from '../../src/where/parse-target';
import { toWhereNodes } from '../../src/where/where-nodes';
import { renderWhereText } from '../../src/where/render-where';
import { factsOf, loadAll, sosDirsOf } from '../analyze/sos-fixtures';

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
});
