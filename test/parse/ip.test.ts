import { expect } from 'chai';
import { readCorpusBody } from '../helpers/corpus';
import { readFixture } from './read-fixture';
import {
  parseArpN, parseIpAddr, parseIpAddrJson, parseIpNeigh, parseIpNeighJson, parseIpNetns, parseIpRoute,
  parseIpRouteJson, parseIpRule, parseIpRuleJson,
} from '../../src/parse';

describe('parse: ip netns', () => {
  it('reads "(id: N)" and reports the publisher\'s "(...)" elision', () => {
    const r = parseIpNetns(readCorpusBody('netns/9506-ovs-controller-qrouter-with-id-elided.txt'));
    expect(r.value).to.deep.equal([{ name: 'qrouter-e6efd80e-9468-4787-a6f8-1648486cc1d6', id: 3 }]);
    expect(r.warnings).to.have.length(1);
    expect(r.warnings[0]).to.include({ line: 1, message: 'elided output' });
  });
  it('lists snat-/qrouter-/qdhcp- of a DVR network node', () => {
    const r = parseIpNetns(readCorpusBody('netns/hustcat-dvr-network-snat-qrouter-qdhcp.txt'));
    expect(r.value.map((n) => n.name.split('-')[0])).to.deep.equal(['snat', 'qrouter', 'qdhcp']);
    expect(r.warnings).to.deep.equal([]);
  });
  it('reads ip netns generated on this machine (one nsid set)', () => {
    const r = parseIpNetns(readFixture('ip-netns.txt'));
    expect(r.value).to.deep.equal([
      { name: 'fip-66666666-7777-8888-9999-000000000000', id: 7 },
      { name: 'snat-11111111-2222-3333-4444-555555555555' },
      { name: 'qrouter-11111111-2222-3333-4444-555555555555' },
    ]);
  });
});

describe('parse: ip addr (text)', () => {
  it('reads a legacy qrouter with FIP /32, IPv6 and an elided lo entry', () => {
    const r = parseIpAddr(readCorpusBody('ns-addr-route/kaplonski-qrouter-ip-a-elided-lo.txt'));
    expect(r.warnings.map((w) => [w.line, w.message])).to.deep.equal([[1, 'elided output']]);
    expect(r.value.map((d) => d.name)).to.deep.equal(['qr-2ff5e542-74', 'qr-7297041d-55', 'qg-abce46ac-61']);
    const qg = r.value[2];
    expect(qg).to.deep.include({
      name: 'qg-abce46ac-61', ifindex: 16, mac: 'fa:16:3e:0b:68:73', mtu: 1500, state: 'UNKNOWN',
      flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
    });
    expect(qg.addresses).to.deep.equal([
      { address: '10.10.0.240', prefixLen: 25, family: 'inet', scope: 'global', label: 'qg-abce46ac-61' },
      { address: '10.10.0.151', prefixLen: 32, family: 'inet', scope: 'global', label: 'qg-abce46ac-61' },
      { address: '2001:db8::2c0', prefixLen: 64, family: 'inet6', scope: 'global' },
      { address: 'fe80::f816:3eff:fe0b:6873', prefixLen: 64, family: 'inet6', scope: 'link' },
    ]);
  });
  it('reads old iproute2 (no qlen/group, PROMISC, lo mtu 16436, inet without valid_lft)', () => {
    const r = parseIpAddr(readCorpusBody('ns-addr-route/neutron-devref-layer3-qrouter-ip-addr-list.txt'));
    expect(r.warnings).to.deep.equal([]);
    expect(r.value.map((d) => [d.name, d.ifindex, d.mtu, d.kind])).to.deep.equal([
      ['lo', 18, 16436, 'loopback'],
      ['qr-54c9cd83-43', 19, 1500, undefined],
      ['qg-77e0666b-cd', 20, 1500, undefined],
    ]);
    expect(r.value[1].flags).to.include('PROMISC');
    expect(r.value[2].addresses[0]).to.deep.equal({
      address: '192.168.27.130', prefixLen: 28, family: 'inet', scope: 'global', label: 'qg-77e0666b-cd',
    });
  });
  it('reads the DVR fip namespace (fpr- /31 and fg-)', () => {
    const r = parseIpAddr(readCorpusBody('ns-addr-route/hustcat-dvr-compute1-fip-ns-ip-a.txt'));
    const fpr = r.value.find((d) => d.name === 'fpr-dd6481d3-c');
    expect(fpr?.addresses[0]).to.deep.equal({ address: '169.254.31.29', prefixLen: 31, family: 'inet', scope: 'global', label: 'fpr-dd6481d3-c' });
    expect(r.value.find((d) => d.name === 'fg-50b88d31-14')?.mac).to.equal('fa:16:3e:a5:23:8f');
  });
  it('re-joins device headers wrapped by the ops guide, with warnings', () => {
    const r = parseIpAddr(readCorpusBody('ns-addr-route/opsguide-qrouter-ip-a-grep-state.txt'));
    expect(r.value.map((d) => [d.name, d.state, d.mtu])).to.deep.equal([
      ['qr-e6256f7d-31', 'UNKNOWN', 1500],
      ['qg-35916e1f-36', 'UNKNOWN', 1500],
      ['lo', 'UNKNOWN', 16436],
    ]);
    expect(r.warnings.map((w) => w.line)).to.deep.equal([2, 4]);
  });
  it('reads ip addr, ip -d addr and ip -o addr generated here the same way', () => {
    const plain = parseIpAddr(readFixture('ip-addr-netns.txt'));
    const detailed = parseIpAddr(readFixture('ip-d-addr-netns.txt'));
    const oneline = parseIpAddr(readFixture('ip-o-addr-netns.txt'));
    for (const r of [plain, detailed, oneline]) expect(r.warnings).to.deep.equal([]);
    const qg = plain.value.find((d) => d.name === 'qg-bbbb');
    expect(qg).to.deep.include({ link: 'qr-aaaa', state: 'UP', mtu: 1500 });
    expect(qg?.addresses.filter((a) => a.family === 'inet')).to.deep.equal([
      { address: '203.0.113.10', prefixLen: 24, family: 'inet', scope: 'global', label: 'qg-bbbb' },
      { address: '203.0.113.20', prefixLen: 32, family: 'inet', scope: 'global', label: 'qg-bbbb' },
      { address: '203.0.113.30', prefixLen: 24, family: 'inet', scope: 'global', secondary: true, label: 'qg-bbbb:fip' },
    ]);
    const vpeer = plain.value.find((d) => d.name === 'vpeer');
    expect(vpeer).to.deep.include({ link: 'if2', master: 'br-x', state: 'DOWN' });
    expect(detailed.value.map((d) => [d.name, d.kind])).to.deep.equal([
      ['lo', 'loopback'], ['qg-bbbb', 'veth'], ['qr-aaaa', 'veth'], ['br-x', 'bridge'], ['vpeer', 'veth'],
    ]);
    // -o addr lists only devices with addresses, without flags: the addresses agree
    for (const d of oneline.value) {
      expect(d.addresses).to.deep.equal(plain.value.find((p) => p.name === d.name)?.addresses);
    }
  });
});

describe('parse: ip -j addr', () => {
  it('agrees with the text form and takes kind from linkinfo', () => {
    const text = parseIpAddr(readFixture('ip-d-addr-netns.txt'));
    const json = parseIpAddrJson(readFixture('ip-d-j-addr-netns.json'));
    const plainJson = parseIpAddrJson(readFixture('ip-j-addr-netns.json'));
    expect(json.warnings).to.deep.equal([]);
    expect(json.value).to.deep.equal(text.value.map((d) => ({ ...d })));
    expect(plainJson.value.find((d) => d.name === 'qg-bbbb')?.kind).to.equal(undefined);
  });
  it('turns invalid JSON into a warning with the line of the error', () => {
    const r = parseIpAddrJson('[{"ifname": "lo",\n "flags": [}\n]');
    expect(r.value).to.deep.equal([]);
    expect(r.warnings).to.have.length(1);
    expect(r.warnings[0].line).to.equal(2);
  });
});

describe('parse: ip route', () => {
  it('reads old iproute2 double-spaced routes of a DVR snat namespace', () => {
    const r = parseIpRoute(readCorpusBody('ns-addr-route/hustcat-dvr-network-snat-ip-route.txt'));
    expect(r.warnings).to.deep.equal([]);
    expect(r.value.map(({ raw: _raw, ...rest }) => rest)).to.deep.equal([
      { dst: 'default', via: '203.0.113.1', dev: 'qg-2d0bd3e5-d1' },
      { dst: '192.168.10.0/24', dev: 'sg-f69e692f-93', proto: 'kernel', scope: 'link', src: '192.168.10.3' },
      { dst: '203.0.113.0/24', dev: 'qg-2d0bd3e5-d1', proto: 'kernel', scope: 'link', src: '203.0.113.10' },
    ]);
    expect(r.value[1].raw).to.equal('192.168.10.0/24 dev sg-f69e692f-93 proto kernel scope link src 192.168.10.3');
  });
  it('reads the DVR FIP table route (default via the fpr- peer)', () => {
    const r = parseIpRoute(readCorpusBody('ns-addr-route/hustcat-dvr-compute1-qrouter-route-table-16.txt'));
    expect(r.value).to.have.length(1);
    expect(r.value[0]).to.include({ dst: 'default', via: '169.254.31.29' });
  });
  it('reads `ip -d route show table all` and agrees with `ip -j route`', () => {
    const text = parseIpRoute(readFixture('ip-d-route-table-all-netns.txt'));
    const json = parseIpRouteJson(readFixture('ip-j-route-table-all-netns.json'));
    const plain = parseIpRoute(readFixture('ip-route-table-all-netns.txt'));
    expect(text.warnings).to.deep.equal([]);
    expect(json.warnings).to.deep.equal([]);
    expect(plain.warnings).to.deep.equal([]);
    expect(text.value[0]).to.deep.include({ type: 'unicast', dst: '192.168.5.0/24', via: '10.0.0.5', dev: 'qr-aaaa', table: '16', proto: 'static', metric: 100 });
    const key = (r: { dst: string; dev?: string; via?: string; src?: string }) => `${r.dst}|${r.dev}|${r.via ?? ''}|${r.src ?? ''}`;
    expect(json.value.map(key)).to.deep.equal(text.value.map(key));
    expect(json.value.find((r) => r.dst === '192.168.6.0/24')?.raw).to.equal('192.168.6.0/24 via 10.0.0.6 dev qr-aaaa onlink');
    expect(plain.value.find((r) => r.dst === '10.0.0.1')).to.deep.include({ type: 'local', table: 'local', scope: 'host' });
  });
  it('parses IPv6 routes with pref', () => {
    const r = parseIpRoute(readFixture('ip-6-route-netns.txt'));
    expect(r.warnings).to.deep.equal([]);
    expect(r.value[0]).to.deep.include({ dst: 'fd00::/64', dev: 'qr-aaaa', proto: 'kernel', metric: 256 });
    expect(parseIpRouteJson(readFixture('ip-j-6-route-netns.json')).value.map((x) => x.dst)).to.deep.equal(r.value.map((x) => x.dst));
  });
});

describe('parse: ip rule', () => {
  it('reads DVR per-interface SNAT tables and the FIP rule', () => {
    const r = parseIpRule(readCorpusBody('ns-addr-route/jffree-dvr-qrouter-ip-rule-snat-tables.txt'));
    expect(r.warnings).to.deep.equal([]);
    expect(r.value.map(({ raw: _raw, ...rest }) => rest)).to.deep.equal([
      { priority: 0, from: 'all', table: 'local' },
      { priority: 32766, from: 'all', table: 'main' },
      { priority: 32767, from: 'all', table: 'default' },
      { priority: 57483, from: '192.168.100.5', table: '16' },
      { priority: 168430081, from: '10.10.10.1/24', table: '168430081' },
      { priority: 3232261121, from: '192.168.100.1/24', table: '3232261121' },
    ]);
  });
  it('text and JSON agree (iif, fwmark/mask)', () => {
    const text = parseIpRule(readFixture('ip-rule-netns.txt'));
    const json = parseIpRuleJson(readFixture('ip-j-rule-netns.json'));
    expect(json.warnings).to.deep.equal([]);
    expect(json.value).to.deep.equal(text.value);
    expect(text.value.find((x) => x.priority === 168430081)).to.deep.include({ iif: 'qr-aaaa', table: '168430081' });
    expect(text.value.find((x) => x.priority === 100)).to.deep.include({ fwmark: '0x4/0xffff', table: 'main' });
  });
});

describe('parse: neighbours', () => {
  it('reads PERMANENT entries pre-populated by the DVR agent', () => {
    const r = parseIpNeigh(readCorpusBody('neigh-fdb/jffree-dvr-qrouter-ip-nei-permanent.txt'));
    expect(r.warnings).to.deep.equal([]);
    expect(r.value).to.have.length(6);
    expect(r.value[0]).to.deep.equal({ ip: '192.168.100.6', dev: 'qr-0b1f0748-fd', mac: 'fa:16:3e:68:f3:5c', state: 'PERMANENT' });
  });
  it('text and JSON agree (STALE, FAILED without lladdr, PERMANENT)', () => {
    const text = parseIpNeigh(readFixture('ip-neigh-netns.txt'));
    const json = parseIpNeighJson(readFixture('ip-j-neigh-netns.json'));
    expect(text.warnings).to.deep.equal([]);
    expect(json.value).to.deep.equal(text.value);
    expect(text.value[1]).to.deep.equal({ ip: '10.0.0.7', dev: 'qr-aaaa', state: 'FAILED' });
  });
  it('reads arp -n (CM = permanent, C = complete)', () => {
    const r = parseArpN(readCorpusBody('neigh-fdb/jffree-dvr-qrouter-arp-n-2.txt'));
    expect(r.warnings).to.deep.equal([]);
    expect(r.value).to.have.length(8);
    expect(r.value[0]).to.deep.equal({ ip: '192.168.100.2', mac: 'fa:16:3e:a3:93:e9', dev: 'qr-d555da2e-f3', state: 'PERMANENT' });
    expect(r.value[4]).to.deep.equal({ ip: '169.254.106.115', mac: 'de:50:a0:c4:aa:21', dev: 'rfp-61eaacf9-d' });
  });
});

describe('parse: ip route continuation lines', () => {
  it('attaches multipath nexthops and indented cache lines to the route above', () => {
    const text = 'default proto static metric 100\n\tnexthop via 10.0.0.1 dev eth0 weight 1\n\tnexthop via 10.0.0.2 dev eth1 weight 1\n' +
      'fe80::/64 dev eth0 proto kernel metric 256 pref medium\n    cache expires 300sec\n';
    const r = parseIpRoute(text);
    expect(r.warnings).to.deep.equal([]);
    expect(r.value).to.have.length(2);
    expect(r.value[0]).to.deep.include({ dst: 'default', via: '10.0.0.1', dev: 'eth0', proto: 'static', metric: 100 });
    expect(r.value[1].raw).to.equal('fe80::/64 dev eth0 proto kernel metric 256 pref medium cache expires 300sec');
  });
});
