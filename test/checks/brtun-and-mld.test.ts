import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Check, CheckContext, Finding } from '../../src/engine/types';
import type { Facts } from '../../src/model/facts';
import type { NodeSnapshot, Role } from '../../src/model/types';
import { buildNodeSnapshot } from '../../src/collect/snapshot';
import { expandSections, splitSections } from '../../src/collect/sections';
import { parseOvsOfctlDumpFlows } from '../../src/parse/parse-ovs-ofctl-dump-flows';
import { check as staleMac } from '../../checks/ovs-tunnel-stale-mac';
import { check as backupIpv6 } from '../../checks/l3ha-backup-ipv6';
import { effectiveUcastEntries, localTunnelIp, outputPortOf, tunnelPorts } from '../../checks/lib/tunnel-flows';
import { BRTUN_DIR } from './fixtures/brtun';
import { learnCookie, lvidOfSegment, staleFlowMatch, staleLearnedFlow } from '../../src/lab/neutron/faults-brtun';

/**
 * §7 rows 13 and 14 on REAL outputs of the real-Neutron engine (test/checks/fixtures/brtun/: the
 * snapshot script's raw output per node, with #source/#what headers), parsed by the real section
 * parsers: healthy (after a failover, br-tun followed), lp2123911 applied (cmp1 sends the qr- MAC to
 * the backup's tunnel), and a backup whose qg- got IPv6 live (lp#1859832's pre-Zed state).
 */
const DIR = BRTUN_DIR;
const ROUTER = '144c0e86-7306-4e36-af86-8ff98e6d7776';
const QR_MAC = 'fa:16:3e:16:c9:0f';
const ROLES: Record<string, Role[]> = { net1: ['network'], net2: ['network'], cmp1: ['compute'] };

function body(file: string): string {
  return fs.readFileSync(path.join(DIR, file), 'utf8').split('\n').filter((l) => !l.startsWith('#source:') && !l.startsWith('#what:')).join('\n');
}

function node(name: string, file: string): NodeSnapshot {
  const split = splitSections(body(file));
  const { sections } = expandSections(split.sections);
  const built = buildNodeSnapshot(name, ROLES[name]!, sections);
  expect(built.warnings, `parser warnings of ${file}`).to.deep.equal([]);
  return built.snapshot;
}

function facts(): Facts {
  const f = JSON.parse(fs.readFileSync(path.join(DIR, 'facts.json'), 'utf8')) as Facts & { '#source'?: string };
  delete f['#source'];
  return f;
}

function run(check: Check, nodes: NodeSnapshot[], withFacts = true): Finding[] {
  const ctx: CheckContext = { snapshot: { nodes, unreachable: [] }, params: {}, profileId: 'neutron-l3ha' };
  if (withFacts) ctx.facts = facts();
  return check.evaluate(ctx).findings;
}
const notPass = (fs: Finding[]): Finding[] => fs.filter((f) => f.verdict !== 'pass');

const healthy = (): NodeSnapshot[] => [node('net1', 'healthy-net1.txt'), node('net2', 'healthy-net2.txt'), node('cmp1', 'healthy-cmp1.txt')];
const stale = (): NodeSnapshot[] => [node('net1', 'stale-net1.txt'), node('net2', 'stale-net2.txt'), node('cmp1', 'stale-cmp1.txt')];

describe('br-tun tunnel reading (checks/lib/tunnel-flows.ts) on the real engine', () => {
  it('maps the vxlan ports of br-tun to their remote/local IPs and finds the learned qr- entry', () => {
    const cmp1 = node('cmp1', 'healthy-cmp1.txt');
    expect(tunnelPorts(cmp1).map((t) => `${t.name} ${t.ofport} ${t.remoteIp}`).sort()).to.deep.equal([
      'vxlan-c612090b 2 198.18.9.11', 'vxlan-c612090c 3 198.18.9.12',
    ]);
    expect(localTunnelIp(cmp1)).to.equal('198.18.9.21');
    const [e, ...rest] = effectiveUcastEntries(cmp1, new Set([QR_MAC]));
    expect(rest).to.deep.equal([]);
    expect(e!.learned).to.equal(true);
    expect(e!.vlan).to.equal('1');
    expect(e!.port?.name).to.equal('vxlan-c612090c');
  });

  it('reads output ports in every form ovs-ofctl prints', () => {
    expect(outputPortOf('load:0->NXM_OF_VLAN_TCI[],load:0x2d6->NXM_NX_TUN_ID[],output:3')).to.equal('3');
    expect(outputPortOf('strip_vlan,load:0x240->NXM_NX_TUN_ID[],output:"vxlan-c612090b"')).to.equal('vxlan-c612090b');
    expect(outputPortOf('strip_vlan,set_field:0x2d6->tun_id,output:vxlan-0a000002')).to.equal('vxlan-0a000002');
    expect(outputPortOf('resubmit(,22)')).to.equal(undefined);
  });

  it('the highest priority wins per VLAN and MAC (l2pop 2 over a learned 1)', () => {
    const n = node('cmp1', 'healthy-cmp1.txt');
    const l2pop = parseOvsOfctlDumpFlows(
      ' cookie=0x1, duration=1.0s, table=20, n_packets=0, n_bytes=0, idle_age=1, priority=2,dl_vlan=1,dl_dst=fa:16:3e:16:c9:0f actions=strip_vlan,load:0x2d6->NXM_NX_TUN_ID[],output:2\n',
    ).value;
    n.flows['br-tun'] = [...(n.flows['br-tun'] ?? []), ...l2pop];
    const [e] = effectiveUcastEntries(n, new Set([QR_MAC]));
    expect(e!.learned).to.equal(false);
    expect(e!.port?.name).to.equal('vxlan-c612090b');
  });
});

describe('ovs-tunnel-stale-mac (§7 row 14, lp#2123911) on the real engine', () => {
  it('healthy after a failover: cmp1 and the backup send the qr- MAC to the primary net2', () => {
    const fs_ = run(staleMac, healthy());
    expect(notPass(fs_)).to.deep.equal([]);
  });

  it('lp2123911 applied: fails on cmp1, naming the backup tunnel, the primary and the bug', () => {
    const bad = notPass(run(staleMac, stale()));
    expect(bad).to.have.length(1);
    const f = bad[0]!;
    expect(f.verdict).to.equal('fail');
    expect(f.checkId).to.equal('ovs-tunnel-stale-mac');
    expect(f.subject).to.deep.equal({ node: 'cmp1', router: ROUTER, device: 'vxlan-c612090b' });
    expect(f.message).to.contain('(remote_ip 198.18.9.11, net1)').and.contain('the primary is net2 (198.18.9.12)').and.contain('lp#2123911');
    expect(f.actual).to.contain('output:2');
    expect(staleMac.references.map((r) => r.ref)).to.include('lp#2123911');
  });

  it('without facts (routers observed on the data plane) the same verdicts', () => {
    expect(notPass(run(staleMac, healthy(), false))).to.deep.equal([]);
    expect(notPass(run(staleMac, stale(), false)).map((f) => `${f.verdict} ${f.subject.node}`)).to.deep.equal(['fail cmp1']);
  });

  it('never fails when the data is absent: entries aged out (a pass: br-tun floods), no tunnels (nothing), two primaries (skip)', () => {
    const aged = stale();
    for (const n of aged) n.flows['br-tun'] = (n.flows['br-tun'] ?? []).filter((f) => !(f.table === 20 && f.match.dl_dst));
    expect(notPass(run(staleMac, aged))).to.deep.equal([]);

    const noTun = stale();
    for (const n of noTun) if (n.ovs) n.ovs.bridges = n.ovs.bridges.filter((b) => b.name !== 'br-tun');
    // no tunnel anywhere: nothing judged, no finding (the engine shows the check's one skip row)
    expect(run(staleMac, noTun)).to.deep.equal([]);
    expect(staleMac.evaluate({ snapshot: { nodes: noTun, unreachable: [] }, params: {}, profileId: 'neutron-l3ha', facts: facts() }).subjects).to.deep.equal([]);

    const split = stale();
    split[0]!.haRouters.find((h) => h.routerId === ROUTER)!.state = 'primary';
    const fsSplit = run(staleMac, split);
    expect(fsSplit.map((f) => f.verdict)).to.deep.equal(['skip']);
    expect(fsSplit[0]!.message).to.contain('2 primaries');
  });
});

describe('lp2123911 fault plan (src/lab/neutron/faults-brtun.ts)', () => {
  it('reads the local VLAN and the learn cookie from real br-tun flows and writes the entry neutron would learn', () => {
    const cmp1 = body('healthy-cmp1.txt');
    const t4 = cmp1.split('\n').filter((l) => l.includes('table=4,')).join('\n');
    const t10 = cmp1.split('\n').filter((l) => l.includes('table=10,')).join('\n');
    expect(lvidOfSegment(t4, 0x2d6)).to.equal(1);
    expect(lvidOfSegment(t4, 0x240)).to.equal(undefined);
    expect(learnCookie(t10)).to.equal('0x7aa666c3f8884f4c');
    const plan = { mac: QR_MAC, lvid: 1, segId: 0x2d6, ofport: 2, cookie: '0x7aa666c3f8884f4c' };
    expect(staleLearnedFlow(plan)).to.equal(
      'table=20,priority=1,hard_timeout=300,cookie=0x7aa666c3f8884f4c,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:16:c9:0f,' +
        'actions=load:0->NXM_OF_VLAN_TCI[],load:0x2d6->NXM_NX_TUN_ID[],output:2',
    );
    expect(staleFlowMatch(plan)).to.equal('table=20,priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:16:c9:0f');
    // what the fault planted is what ovs-ofctl then prints in stale-cmp1.txt
    expect(body('stale-cmp1.txt')).to.match(/hard_timeout=300, idle_age=\d+, priority=1,vlan_tci=0x0001\/0x0fff,dl_dst=fa:16:3e:16:c9:0f actions=load:0->NXM_OF_VLAN_TCI\[\],load:0x2d6->NXM_NX_TUN_ID\[\],output:2/);
  });
});

describe('l3ha-backup-ipv6 (§7 row 13, lp#1859832) on the real engine', () => {
  it('healthy Zed: the backup\'s qg-/qr- have IPv6 on but addr_gen_mode=1 and no address: pass', () => {
    const nodes = healthy();
    const ns = nodes[0]!.namespaces.find((n) => n.name === `qrouter-${ROUTER}`)!;
    expect(ns.sysctls['net.ipv6.conf.qg-e262a036-16.addr_gen_mode']).to.equal('1');
    expect(ns.sysctls['net.ipv6.conf.qg-e262a036-16.disable_ipv6']).to.equal('0');
    const fs_ = run(backupIpv6, nodes);
    expect(notPass(fs_)).to.deep.equal([]);
    expect(fs_.length).to.equal(0);
    expect(backupIpv6.evaluate({ snapshot: { nodes, unreachable: [] }, params: {}, profileId: 'neutron-l3ha', facts: facts() }).subjects.map((s) => `${s.node} ${s.device}`).sort())
      .to.deep.equal(['net1 qg-e262a036-16', 'net1 qr-cf8bc073-41']);
  });

  it('a backup whose qg- made a link-local address: fail on that node and device with lp#1859832', () => {
    const nodes = [node('net1', 'v6leak-net1.txt'), node('net2', 'healthy-net2.txt'), node('cmp1', 'healthy-cmp1.txt')];
    const bad = notPass(run(backupIpv6, nodes));
    expect(bad.map((f) => `${f.verdict} ${f.subject.node} ${f.subject.device}`)).to.deep.equal(['fail net1 qg-e262a036-16']);
    expect(bad[0]!.message).to.contain('fe80::f816:3eff:fe65:6ca/64').and.contain('fa:16:3e:65:06:ca').and.contain('lp#1859832').and.contain('addr_gen_mode=0');
  });

  it('IPv6 on with addr_gen_mode=0 but no address yet: warn (the next link up announces the MAC)', () => {
    const nodes = [node('net1', 'v6leak-net1.txt'), node('net2', 'healthy-net2.txt')];
    const ns = nodes[0]!.namespaces.find((n) => n.name === `qrouter-${ROUTER}`)!;
    const qg = ns.devices.find((d) => d.name === 'qg-e262a036-16')!;
    qg.addresses = qg.addresses.filter((a) => a.family !== 'inet6');
    const bad = notPass(run(backupIpv6, nodes));
    expect(bad.map((f) => `${f.verdict} ${f.subject.device}`)).to.deep.equal(['warn qg-e262a036-16']);
    expect(bad[0]!.actual).to.equal('disable_ipv6=0 addr_gen_mode=0');
  });

  it('the primary is never judged (it owns the link-local VIP)', () => {
    const fs_ = run(backupIpv6, healthy());
    expect(fs_.some((f) => f.subject.node === 'net2')).to.equal(false);
  });
});
