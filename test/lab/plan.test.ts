import { expect } from 'chai';
import { buildFacts, buildPlan, initialFips, PROFILES } from '../../src/lab';
import { FAULTS } from '../../src/lab/faults';
import { renderNsIptables } from '../../src/lab/render-iptables';
import { renderKeepalivedConf } from '../../src/lab/render-keepalived';
import { keepalivedConfFor } from '../../src/lab/render-node';
import { renderNodeDataplane } from '../../src/lab/render-dataplane';
import { isCentralizedFip, linkLocalOf } from '../../src/lab/plan';

describe('lab plan (pure)', () => {
  it('is deterministic per profile and differs between profiles', () => {
    const a = buildPlan('neutron-legacy');
    const b = buildPlan('neutron-legacy');
    const c = buildPlan('neutron-l3ha');
    expect(a).to.deep.equal(b);
    expect(a.router.id).to.not.equal(c.router.id);
  });

  for (const p of PROFILES) {
    it(`${p.id}: neutron names, MACs, facts complete`, () => {
      const plan = buildPlan(p.id);
      const facts = buildFacts(plan, initialFips(plan), plan.router.haHosts[0]);
      for (const port of facts.ports) {
        expect(port.mac).to.match(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
        expect(port.id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }
      expect(plan.router.qr.device).to.equal(`qr-${plan.router.qr.id.slice(0, 11)}`);
      expect(plan.router.qr.device).to.have.length(14);
      expect(facts.upstream).to.deep.equal({ node: 'upstream', ip: '203.0.113.1' });
      expect(facts.floatingIps.length).to.be.greaterThan(0);
      expect(facts.instances).to.have.length(p.computes);
      expect(facts.routers[0].mode).to.equal(p.routerMode);
      if (p.routerMode === 'ha' || p.routerMode === 'dvr-ha') {
        expect(facts.routers[0].haVrId).to.equal(1);
        expect(Object.values(facts.routers[0].haState ?? {}).filter((s) => s === 'active')).to.have.length(1);
      }
      if (p.routerMode.startsWith('dvr')) {
        expect(facts.ports.filter((x) => x.deviceOwner === 'network:floatingip_agent_gateway')).to.have.length(p.computes);
        expect(facts.routers[0].snatHosts).to.have.length(p.networkNodes);
      }
    });
  }

  it('--computes scales the compute nodes and instances', () => {
    const plan = buildPlan('neutron-dvr', { computes: 12 });
    expect(plan.nodes.filter((n) => n.kind === 'compute')).to.have.length(12);
    expect(new Set(plan.nodes.map((n) => n.mgmtIp)).size).to.equal(plan.nodes.length);
    expect(() => buildPlan('neutron-dvr', { computes: 0 })).to.throw(/computes/);
    expect(() => buildPlan('nope')).to.throw(/unknown lab profile/);
  });

  it('renders the legacy NAT template of ground-truth §1c', () => {
    const text = renderNsIptables({ kind: 'qrouter', qg: 'qg-x', gwIp: '203.0.113.10', fips: [{ ip: '203.0.113.101', fixed: '10.0.0.11' }] });
    expect(text).to.include('-A neutron-l3-agent-PREROUTING -d 203.0.113.101/32 -j DNAT --to-destination 10.0.0.11');
    expect(text).to.include('-A neutron-l3-agent-OUTPUT -d 203.0.113.101/32 -j DNAT --to-destination 10.0.0.11');
    expect(text).to.include('-A neutron-l3-agent-float-snat -s 10.0.0.11/32 -j SNAT --to-source 203.0.113.101 --random-fully');
    expect(text).to.include('-A neutron-l3-agent-POSTROUTING ! -o qg-x -m conntrack ! --ctstate DNAT -j ACCEPT');
    expect(text).to.include('--dport 80 -j REDIRECT --to-ports 9697');
  });

  it('renders DVR DNAT bound to -i rfp- and no OUTPUT DNAT (ground-truth §3c)', () => {
    const text = renderNsIptables({ kind: 'dvr-qrouter', rfp: 'rfp-1234567890', fips: [{ ip: '203.0.113.101', fixed: '10.0.0.11' }] });
    expect(text).to.include('-A neutron-l3-agent-PREROUTING -d 203.0.113.101/32 -i rfp-1234567890 -j DNAT --to-destination 10.0.0.11');
    expect(text).to.not.match(/-A neutron-l3-agent-OUTPUT .*DNAT/);
  });

  it('renders keepalived.conf as neutron does (ground-truth §2e/2f)', () => {
    const conf = renderKeepalivedConf({ vrid: 1, haDevice: 'ha-a', excluded: [{ cidr: '203.0.113.10/24', dev: 'qg-b' }, { cidr: '10.0.0.1/24', dev: 'qr-c' }],
      defaultGw: { via: '203.0.113.1', dev: 'qg-b' } });
    for (const l of ['state BACKUP', 'interface ha-a', 'virtual_router_id 1', 'priority 50', 'garp_master_delay 60', 'nopreempt', 'advert_int 2',
      '169.254.0.1/24 dev ha-a', '0.0.0.0/0 via 203.0.113.1 dev qg-b no_track protocol static']) {
      expect(conf).to.include(l);
    }
    expect(conf.indexOf('10.0.0.1/24 dev qr-c no_track')).to.be.lessThan(conf.indexOf('203.0.113.10/24 dev qg-b no_track'));
  });

  it('DVR node scripts rewrite the shared qr- MAC to the host DVR MAC on br-tun', () => {
    const plan = buildPlan('neutron-dvr');
    const cmp1 = plan.nodes.find((n) => n.name === 'cmp1')!;
    const script = renderNodeDataplane(plan, 'cmp1', initialFips(plan));
    expect(script).to.include(`dl_src=${plan.router.qr.mac},actions=mod_dl_src:${cmp1.dvrMac}`);
    expect(cmp1.dvrMac).to.match(/^fa:16:3f/);
  });

  it('fault table names the checks fixed by the lead', () => {
    const table = Object.fromEntries(FAULTS.map((f) => [f.name, f.check]));
    expect(table).to.deep.equal({
      'missing-garp': 'upstream-neighbour', 'wrong-sender-garp': 'upstream-neighbour', 'split-brain': 'l3ha-single-primary',
      'missing-dnat': 'nat-rules', 'stale-namespace': 'namespace-placement', 'missing-namespace': 'namespace-placement',
      'mac-mismatch': 'device-mac', 'missing-antispoof-flow': 'ovs-antispoof', 'node-unreachable': 'node-reachable',
      // issue 12: faults named after ground-truth §7 bugs
      lp1520517: 'keepalived-config', lp1823314: 'l3ha-vrid-unique', lp1818614: 'l3ha-single-primary', lp1874211: 'l3ha-single-primary',
      lp1870313: 'upstream-neighbour', lp1273386: 'upstream-neighbour', lp1453855: 'keepalived-config', lp1647432: 'l3ha-single-primary',
      lp1837635: 'l3ha-single-primary', 'dead-backup-keepalived': 'l3ha-single-primary', lp1692007: 'prerequisites', lp1834825: 'nat-rules',
      lp1814002: 'nat-rules', lp1816698: 'dvr-snat-placement', lp1462154: 'nat-rules', lp1675187: 'fip-placement',
      lp1776984: 'dvr-fip-namespace', lp1597561: 'dvr-fip-namespace', lp1566383: 'dvr-fip-namespace', lp1482521: 'namespace-placement',
      lp1891673: 'fip-placement', lp1778643: 'ovs-dead-vlan', lp1774459: 'device-mac', lp1920975: 'dvr-fip-namespace',
      lp1562110: 'dvr-fip-namespace', 'reused-pid-keepalived': 'l3ha-single-primary', 'stopped-backup-keepalived': 'l3ha-single-primary',
      // issue 12, HA redundancy itself
      'backup-keepalived-dead': 'l3ha-single-primary', 'vrrp-adverts-blocked': 'l3ha-single-primary',
      // §7 row 13: caught by `run` (and on the wire by `garp watch`)
      lp1859832: 'l3ha-backup-ipv6',
      // issue 9, neutron-multinic-aa (seed 001)
      'mn-same-node': 'multinic-anti-affinity', 'mn-no-policy-rule': 'multinic-policy-routing', 'mn-backend-down': 'multinic-balancer',
    });
  });
});

describe('lab plan: release, firewall driver, IPv6, agent mode, extras variants', () => {
  // pure renderings of the lab's own release table (src/lab/releases.ts, from ground-truth)
  it('juno: keepalived sync group with the gateway as primary VIP, no garp_master_delay; state word master', () => {
    const plan = buildPlan('neutron-l3ha', { release: 'juno' });
    const conf = keepalivedConfFor(plan, 'net1', initialFips(plan));
    expect(conf).to.match(/^vrrp_sync_group VG_1 \{/);
    expect(conf).to.include(`virtual_ipaddress {\n        203.0.113.10/24 dev ${plan.router.qg.device}\n    }`);
    expect(conf).to.not.match(/garp_master_delay|no_track|global_defs|169\.254\.0\./);
    expect(plan.rules.primaryWord).to.equal('master');
    expect(buildFacts(plan, initialFips(plan), 'net1').release).to.equal('juno');
  });

  it('default lab keeps its mixed era (facts release pike+, no_track, protocol static)', () => {
    const plan = buildPlan('neutron-l3ha');
    expect(plan.release).to.equal('pike+');
    const conf = keepalivedConfFor(plan, 'net1', initialFips(plan));
    expect(conf).to.include('garp_master_delay 60').and.include('no_track protocol static');
  });

  it('pre-Newton DVR: DNAT without -i rfp-, OUTPUT DNAT; Newton+: -i rfp-', () => {
    const fips = [{ ip: '203.0.113.101', fixed: '10.0.0.11' }];
    const juno = buildPlan('neutron-dvr', { release: 'juno' });
    const old = renderNsIptables({ era: juno.rules, kind: 'dvr-qrouter', rfp: 'rfp-x', fips });
    expect(old).to.include('-A neutron-l3-agent-PREROUTING -d 203.0.113.101/32 -j DNAT --to-destination 10.0.0.11');
    expect(old).to.include('-A neutron-l3-agent-OUTPUT -d 203.0.113.101/32 -j DNAT');
    expect(old).to.not.include('--random-fully');
    expect(juno.router.rfpIp).to.equal('169.254.31.28');
    const train = buildPlan('neutron-dvr', { release: 'train' });
    expect(renderNsIptables({ era: train.rules, kind: 'dvr-qrouter', rfp: 'rfp-x', fips })).to.include('-d 203.0.113.101/32 -i rfp-x -j DNAT');
  });

  it('dvr_no_external computes: no fg- port, FIPs centralized; facts carry agent modes and the firewall driver', () => {
    const plan = buildPlan('neutron-dvr', { computeAgentMode: 'dvr_no_external', firewallDriver: 'openvswitch' });
    expect(Object.keys(plan.router.fg)).to.deep.equal([]);
    expect(plan.instances.every((i) => isCentralizedFip(plan, i))).to.equal(true);
    const facts = buildFacts(plan, initialFips(plan));
    expect(facts.agentModes).to.deep.equal({ net1: 'dvr_snat', cmp1: 'dvr_no_external', cmp2: 'dvr_no_external' });
    expect(facts.firewallDriver).to.equal('openvswitch');
  });

  it('ipv6 + extras: dual-stack fixed IPs, a second HA router without gateway, an admin-down port', () => {
    const plan = buildPlan('neutron-l3ha', { ipv6: true, extras: true });
    const facts = buildFacts(plan, initialFips(plan), 'net1', 'net2');
    expect(facts.ports.find((p) => p.id === plan.router.qr.id)!.fixedIps).to.deep.equal(['10.0.0.1', 'fd00:10::1']);
    expect(facts.routers[1]).to.include({ haVrId: 2, mode: 'ha' });
    expect(facts.routers[1].externalNetworkId).to.equal(undefined);
    expect(facts.ports.filter((p) => p.adminStateUp === false)).to.have.length(1);
    expect(linkLocalOf('fa:16:3e:aa:bb:cc')).to.equal('fe80::f816:3eff:feaa:bbcc');
  });

  it('refuses unknown releases and variants that do not fit the profile', () => {
    expect(() => buildPlan('neutron-l3ha', { release: 'queens' as never })).to.throw(/unknown lab release/);
    expect(() => buildPlan('neutron-l3ha', { computeAgentMode: 'dvr_no_external' })).to.throw(/DVR profile/);
    expect(() => buildPlan('neutron-dvr', { extras: true })).to.throw(/neutron-l3ha/);
  });
});
