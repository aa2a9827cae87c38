import { expect } from 'chai';
import type { Check, CheckContext, CloudSnapshot, Finding } from '../../src/engine/types';
import type { Facts } from '../../src/model/facts';
import type { NodeSnapshot } from '../../src/model/types';
import { check as ovsAntispoof } from '../../checks/ovs-antispoof';
import { check as ovsDeadVlan } from '../../checks/ovs-dead-vlan';
import { check as fipPlacement } from '../../checks/fip-placement';
import { check as natRules } from '../../checks/nat-rules';
import { check as l3haSinglePrimary } from '../../checks/l3ha-single-primary';
import { check as keepalivedConfig } from '../../checks/keepalived-config';
import { parseIptablesS } from '../../src/parse/parse-iptables-s';
import { readReal, realNode } from './fixtures/real';
import { buildDvrNoExternal } from './fixtures/dvr-no-external';
import { CHECKS } from '../../checks';
import { check as namespacePlacement } from '../../checks/namespace-placement';
import { loadProfile } from '../../src/profile';

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
    it('firewall_driver noop: the agent\'s own table 0 → 24 protection is expected (absent here: fail)', () => {
      const n = cmp((x) => { x.flows['br-int'] = x.flows['br-int']!.filter((fl) => !(fl.table === 71 && fl.match['arp_spa'])); });
      expect(verdicts(run(ovsAntispoof, [n], { facts: { ...f, firewallDriver: 'noop' } }))).to.include('fail');
    });
  });

  describe('ovs-antispoof with firewall_driver = noop (real Zed OVS agent, real-Neutron lab engine, issue 16)', () => {
    // real flows and real ovsdb values of cmp1 of a real-engine neutron-legacy lab: noop does not provide
    // ARP spoofing protection, so the agent installs table 0 arp→24, table 24 arp_spa, table 25 dl_src
    const PORT_ID = 'cbb6ec8c-3007-41e1-abe4-67e5d1493586';
    const MAC = 'fa:16:3e:ff:15:3a';
    const cmp = (mutate?: (n: NodeSnapshot) => void): NodeSnapshot => {
      const n = realNode('cmp1', ['compute'], { 'flows:br-int': { file: 'zed-real-engine-legacy-cmp1-br-int-flows.txt' } });
      n.ovs = {
        bridges: [{
          name: 'br-int',
          ports: [{ name: 'tapcbb6ec8c-30', interfaces: [{ name: 'tapcbb6ec8c-30', ofport: 3, externalIds: { 'iface-id': PORT_ID, 'attached-mac': MAC, 'vm-uuid': '43c92dde-5d51-4753-a41c-e894f3159de1' } }] }],
        }],
      };
      n.evidence['ovs-vsctl'] = 'cmp1/ovs-vsctl';
      mutate?.(n);
      return n;
    };
    const f = facts({
      firewallDriver: 'noop',
      instances: [{ id: '43c92dde-5d51-4753-a41c-e894f3159de1', host: 'cmp1', portId: PORT_ID, mac: MAC, ip: '10.0.0.211' }],
      ports: [{ id: PORT_ID, deviceOwner: 'compute:nova', networkId: 'n1', mac: MAC, fixedIps: ['10.0.0.211'] }],
    });
    it('healthy: pass', () => {
      expect(bad(run(ovsAntispoof, [cmp()], { facts: f }))).to.deep.equal([]);
    });
    it('the table 24 arp_spa flow removed: fail', () => {
      const n = cmp((x) => { x.flows['br-int'] = x.flows['br-int']!.filter((fl) => !(fl.table === 24 && fl.match['arp_spa'])); });
      expect(verdicts(run(ovsAntispoof, [n], { facts: f }))).to.include('fail');
    });
  });

  describe('ovs-dead-vlan (hustcat DVR network node, Liberty: every br-int port on 4095)', () => {
    const net = (): NodeSnapshot => realNode('network', ['network'], {
      'ovs-show': { file: 'hustcat-dvr2-network-ovs-vsctl-show.txt' },
      netns: { file: 'hustcat-dvr2-network-snat-qrouter-qdhcp.txt' },
    });
    it('router ports sg-/qr-/qg- must carry traffic: fail; the DHCP tap is reported, not critical', () => {
      const got = run(ovsDeadVlan, [net()], { profileId: 'neutron-dvr' });
      expect(got.map((f) => `${f.verdict} ${f.subject.device}`).sort()).to.deep.equal([
        'fail qg-7cac7e10-cc', 'fail qr-3e60aab4-57', 'fail sg-ee7fdd84-0e', 'warn tap8311fca4-65',
      ]);
    });
  });

  describe('release-unaware DVR (hustcat compute1, Liberty: FIP /32 on rfp-, DNAT without -i rfp-)', () => {
    const R = 'dd6481d3-c3c6-4cf8-877c-877c94b2edd3';
    const QR = `qrouter-${R}`;
    const FIPNS = 'fip-2f00f5f1-ad6f-4113-b550-df9f33afae49';
    const compute = (): NodeSnapshot => {
      const n = realNode('compute1', ['compute'], {
        netns: { file: 'hustcat-dvr-compute1-fip-qrouter.txt' },
        [`addr:${QR}`]: { file: 'hustcat-dvr-compute1-qrouter-ip-a-with-rfp.txt' },
        [`route:${QR}`]: { file: 'hustcat-dvr-compute1-qrouter-ip-route-with-fip.txt' },
        [`rule:${QR}`]: { file: 'hustcat-dvr-compute1-qrouter-ip-rule-with-fip.txt' },
        [`addr:${FIPNS}`]: { file: 'hustcat-dvr-compute1-fip-ns-ip-a.txt' },
        [`route:${FIPNS}`]: { file: 'hustcat-dvr-compute1-fip-ns-ip-route-with-fip.txt' },
      });
      // the post shows `iptables -t nat -S`, not iptables-save: parsed by its own parser
      n.namespaces.find((x) => x.name === QR)!.iptables = parseIptablesS(readReal('hustcat-dvr-compute1-qrouter-iptables-t-nat-S-with-fip.txt'), 'nat').value;
      n.evidence[`iptables:${QR}`] = `compute1/iptables:${QR}`;
      return n;
    };
    const dvr = (release?: string): Record<string, unknown> => ({ haMode: 'dvr', ...(release ? { release } : {}) });
    for (const release of ['liberty', 'kilo']) {
      it(`release ${release}: fip-placement and nat-rules find nothing wrong`, () => {
        expect(bad(run(fipPlacement, [compute()], { params: dvr(release), profileId: 'neutron-dvr' }))).to.deep.equal([]);
        expect(bad(run(natRules, [compute()], { params: dvr(release), profileId: 'neutron-dvr' }))).to.deep.equal([]);
        expect(run(natRules, [compute()], { params: dvr(release) }).filter((f) => f.verdict === 'warn')).to.deep.equal([]);
      });
    }
    it('with facts (release liberty, FIP bound to compute1): the facts release wins over the profile default pike+', () => {
      // facts derived from the post's l3-agent-list-hosting-router, floatingip-create and nova list
      const f = facts({
        release: 'liberty',
        routers: [{ id: R, mode: 'dvr', hosts: ['compute1'], externalNetworkId: '2f00f5f1-ad6f-4113-b550-df9f33afae49', subnets: [{ networkId: 'demo-net', cidr: '192.168.10.0/24', gatewayIp: '192.168.10.1' }] }],
        floatingIps: [{ floatingIp: '203.0.113.11', fixedIp: '192.168.10.4', portId: 'vm1-port', routerId: R, host: 'compute1' }],
      });
      for (const c of [fipPlacement, natRules]) {
        const got = run(c, [compute()], { params: dvr('pike+'), facts: f });
        expect(bad(got), c.id).to.deep.equal([]);
        expect(run(c, [compute()], { params: dvr('pike+'), facts: { ...f, release: 'pike' } }).filter((x) => x.verdict === 'fail').length, `${c.id} on pike`).to.be.greaterThan(0);
      }
    });
    it('release unknown (or mitaka, both forms real): warns that say why, no fail', () => {
      for (const release of [undefined, 'mitaka']) {
        const got = [...run(fipPlacement, [compute()], { params: dvr(release) }), ...run(natRules, [compute()], { params: dvr(release) })];
        expect(bad(got)).to.deep.equal([]);
        expect(got.filter((f) => f.verdict === 'warn').length).to.be.greaterThan(0);
      }
    });
    it('release liberty: no check of the neutron-dvr profile fails the real compute1', () => {
      const got = CHECKS.flatMap((c) => run(c, [compute()], { params: dvr('liberty'), profileId: 'neutron-dvr' }));
      expect(bad(got)).to.deep.equal([]);
    });
    it('release newton: the same data plane is a bug (lp#1462154) and fails', () => {
      const got = [...run(fipPlacement, [compute()], { params: dvr('newton') }), ...run(natRules, [compute()], { params: dvr('newton') })];
      expect(got.filter((f) => f.verdict === 'fail').map((f) => f.checkId).sort()).to.deep.equal(['fip-placement', 'nat-rules']);
    });
  });

  describe('release-unaware L3 HA (Juno keepalived.conf from Assaf Muller: primary VIP = gateway address on qg-)', () => {
    // the post shows only keepalived.conf; the two replicas' `ip addr` is spec-derived from it
    // (primary: the VIPs on qg-/qr-, backup: only its own ha- address; Juno writes no state file)
    const R = '6f2d4a1e-0a6b-4b27-9c55-2f0c6f7b5a11';
    const QR = `qrouter-${R}`;
    const ipA = (primary: boolean, ha: string): string => [
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN ',
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
      '    inet 127.0.0.1/8 scope host lo',
      '2: ha-45249562-ec: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN ',
      '    link/ether fa:16:3e:00:00:01 brd ff:ff:ff:ff:ff:ff',
      `    inet ${ha}/18 brd 169.254.255.255 scope global ha-45249562-ec`,
      '3: qr-dc9d93c6-e2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN ',
      '    link/ether fa:16:3e:00:00:02 brd ff:ff:ff:ff:ff:ff',
      ...(primary ? ['    inet 10.0.0.1/24 scope global qr-dc9d93c6-e2'] : []),
      '4: qg-843de7e6-8f: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN ',
      '    link/ether fa:16:3e:00:00:03 brd ff:ff:ff:ff:ff:ff',
      ...(primary ? ['    inet 19.4.4.4/24 scope global qg-843de7e6-8f'] : []),
      '',
    ].join('\n');
    const node = (name: string, primary: boolean, ha: string, conf = 'assafmuller-blog-keepalived-conf-juno.txt'): NodeSnapshot =>
      realNode(name, ['network'], { netns: { text: `${QR}\n` }, [`addr:${QR}`]: { text: ipA(primary, ha) }, [`keepalived-conf:${R}`]: { file: conf } });
    const pair = (): NodeSnapshot[] => [node('net1', true, '169.254.192.1'), node('net2', false, '169.254.192.2')];
    const ha = (release?: string): Record<string, unknown> => ({ haMode: 'ha', ...(release ? { release } : {}) });

    it('release juno: l3ha-single-primary and keepalived-config find nothing wrong', () => {
      expect(run(l3haSinglePrimary, pair(), { params: ha('juno') }).map((f) => f.message)).to.deep.equal([]);
      expect(run(keepalivedConfig, pair(), { params: ha('juno') }).map((f) => f.message)).to.deep.equal([]);
    });
    it('release unknown: the primary is still found (from keepalived.conf); keepalived-config warns, never fails', () => {
      expect(bad(run(l3haSinglePrimary, pair(), { params: ha() }))).to.deep.equal([]);
      const got = run(keepalivedConfig, pair(), { params: ha() });
      expect(bad(got)).to.deep.equal([]);
      expect(got.map((f) => f.verdict)).to.include('warn');
    });
    it('release pike: the Juno template is a misconfiguration (no 169.254.0.<vrid> on ha-, no garp_master_delay)', () => {
      expect(run(keepalivedConfig, pair(), { params: ha('pike') }).filter((f) => f.verdict === 'fail').length).to.be.greaterThan(0);
    });
    it('both replicas holding the gateway address is still a split brain', () => {
      const got = run(l3haSinglePrimary, [node('net1', true, '169.254.192.1'), node('net2', true, '169.254.192.2')], { params: ha('juno') });
      expect(got.map((f) => `${f.verdict} ${f.severity}`)).to.include('fail critical');
    });
    it('release liberty: garp_master_repeat/refresh is that release\'s template, a note about lp#1520517 (spec-derived Liberty lines)', () => {
      // the Juno conf with the two lines Liberty 7.0.0 added (ground-truth §2e/2f; no published Liberty conf in the corpus)
      const n = pair();
      for (const x of n) {
        const inst = x.haRouters[0]!.config!.instances[0]!;
        inst.garpMasterRepeat = 5;
        inst.garpMasterRefresh = 10;
        inst.virtualIpaddress = [{ address: '169.254.0.1', prefixLen: 24, dev: 'ha-45249562-ec' }];
        inst.virtualIpaddressExcluded.push({ address: '19.4.4.4', prefixLen: 24, dev: 'qg-843de7e6-8f' });
      }
      const got = run(keepalivedConfig, n, { params: ha('liberty') });
      expect(got.map((f) => `${f.verdict} ${f.severity}`)).to.deep.equal(['pass info', 'pass info']);
      expect(got[0]!.message).to.match(/1520517/);
      expect(run(keepalivedConfig, n, { params: ha('mitaka') }).filter((f) => f.verdict === 'fail').length).to.equal(2);
    });
  });
});

describe('issue 15: dvr_no_external computes (spec-derived: no published output)', () => {
  it('every check passes the healthy dvr_no_external cloud with facts giving the instance host', () => {
    const c = buildDvrNoExternal();
    const got = CHECKS.flatMap((chk) => chk.evaluate({ snapshot: c.snapshot, facts: c.facts, params: { haMode: 'dvr', release: 'pike+' }, profileId: 'neutron-dvr' }).findings);
    expect(got.filter((f) => f.verdict !== 'pass').map((f) => `${f.checkId} ${f.verdict} ${JSON.stringify(f.subject)} ${f.message}`)).to.deep.equal([]);
  });
  it('and without facts', () => {
    const c = buildDvrNoExternal();
    const got = CHECKS.flatMap((chk) => chk.evaluate({ snapshot: c.snapshot, params: { haMode: 'dvr', release: 'pike+' }, profileId: 'neutron-dvr' }).findings);
    expect(got.filter((f) => f.verdict !== 'pass').map((f) => `${f.checkId} ${f.verdict} ${JSON.stringify(f.subject)} ${f.message}`)).to.deep.equal([]);
  });
});

describe('issue 15: no facts, L3 HA routers scheduled on computes (kaplonski devstack, ~Yoga)', () => {
  it('namespace-placement with the neutron-l3ha profile does not forbid a qrouter replica on a compute', () => {
    // the real output: router1 is active on the controller and standby on compute-1 and compute-2;
    // each hosting node's `ip netns` and `ip addr` are spec-derived from it (one qrouter-<id> with an ha- port per hosting node)
    const table = readReal('kaplonski-l3-agent-list-hosting-router-active-standby.txt');
    const hosts = [...table.matchAll(/\| (devstack-ubuntu-[\w-]+)\s+\|/g)].map((m) => m[1]!);
    expect(hosts).to.deep.equal(['devstack-ubuntu-controller', 'devstack-ubuntu-compute-2', 'devstack-ubuntu-compute-1']);
    const R = '5f0c1b7e-3d2a-4c51-9e0b-7a3f4e2d1c00';
    const ipA = (i: number): string => [
      `2: ha-0a1b2c3d-0${i}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000`,
      `    link/ether fa:16:3e:00:00:0${i} brd ff:ff:ff:ff:ff:ff`,
      `    inet 169.254.192.${i}/18 brd 169.254.255.255 scope global ha-0a1b2c3d-0${i}`,
      ...(i === 0 ? ['    inet 169.254.0.1/24 scope global ha-0a1b2c3d-00'] : []),
      '',
    ].join('\n');
    const nodes = hosts.map((h, i) => realNode(h, [h.includes('compute') ? 'compute' : 'controller'], { netns: { text: `qrouter-${R}\n` }, [`addr:qrouter-${R}`]: { text: ipA(i) } }));
    const profile = loadProfile('neutron-l3ha');
    const params = profile.checks.find((c) => c.id === 'namespace-placement')!.params;
    expect(bad(run(namespacePlacement, nodes, { params, profileId: profile.id }))).to.deep.equal([]);
  });
});
