import { expect } from 'chai';
import * as path from 'node:path';
import { applyFault, healFaults } from '../../src/lab';
import { createTransport } from '../../src/transport';
import { labFipTrigger } from '../../src/garp/lab-adapter';
import { associateFip, disassociateFip, labPaths, readLabState } from '../../src/lab';
import { runGarpWatch } from '../../src/cli/commands/garp';
import type { GarpAnalysis } from '../../src/capture/analyze-capture';
import { drillFailover } from '../../src/garp/drill-failover';
import { labRouterFaultInjector } from '../../src/garp/lab-adapter';
import { diffSavedPcap, mkdir, useGarpLab } from './lab-session';

const PROFILE = 'neutron-l3ha';
const FIP = '203.0.113.101';

describe('garp verify and drill failover on neutron-l3ha @lab', function () {
  this.timeout(120_000);
  const lab = useGarpLab(PROFILE);

  it('FIP association on the primary: keepalived burst of 5 REQUESTs from the primary\'s qg- (PASS), upstream right', async () => {
    const off = { kind: 'disassociate' as const };
    const d = await lab().verify({ fip: FIP, action: off, trigger: labFipTrigger(lab().stateDir, FIP, off), deadlineMs: 3000 });
    expect(d.status, d.message).to.equal('PASS');
    const on = { kind: 'associate' as const, instance: 'vm1' };
    const r = await lab().verify({ fip: FIP, action: on, trigger: labFipTrigger(lab().stateDir, FIP, on) });
    expect(r.status, `${r.message} ${JSON.stringify(r.verdict.problems)}`).to.equal('PASS');
    // release pike+: keepalived plus (until Wallaby) the state-change daemon's arping, which the lab does not run
    expect(r.plan.pattern).to.equal('keepalived+arping-pike');
    const primary = r.haStates!.find((s) => s.state === 'primary')!.node;
    expect(r.plan.expected.node).to.equal(primary);
    expect(r.verdict.counted).to.be.at.least(5);
    // right, or without a MAC although the burst reached it: `up` pinged the FIP, so the upstream may still be probing
    // the entry the disassociation emptied, and Linux keeps probing when a G-ARP repeats the MAC (4 CI sightings)
    if (r.upstream?.status === 'unresolved') expect(r.upstream.message).to.match(/[1-9]\d* G-ARP\(s\) with \S+ reached it/);
    else expect(r.upstream?.status, r.upstream?.message).to.equal('ok');
  });

  it('garp watch on every replica\'s qg- (HA: one MAC on all): only the primary\'s sent frames count, the backups\' received copies are context', async () => {
    const facts = lab().facts();
    const router = facts.routers[0];
    const gw = facts.ports.find((p) => p.deviceOwner === 'network:router_gateway')!;
    const qg = `ns:qrouter-${router.id}:${('qg-' + gw.id).slice(0, 14)}`;
    if (readLabState(labPaths(lab().stateDir))!.fips[FIP] !== undefined) await disassociateFip({ stateDir: lab().stateDir, fip: FIP });
    const out: string[] = [];
    const err: string[] = [];
    const running = runGarpWatch(
      { inventory: labPaths(lab().stateDir).inventory, node: router.hosts, on: [qg], duration: '9s', format: 'json', pattern: 'keepalived', deadline: '10s', expectIp: FIP, expectMac: gw.mac },
      { write: (t) => out.push(t), warn: (t) => err.push(t) },
    );
    await new Promise((r) => setTimeout(r, 3000));
    await associateFip({ stateDir: lab().stateDir, fip: FIP, instance: 'vm1' });
    const code = await running;
    const a = JSON.parse(out.join('')) as GarpAnalysis;
    const v = a.verdict!;
    const counted = v.timeline.filter((e) => e.role === 'counted');
    const received = v.timeline.filter((e) => e.role === 'received');
    expect(counted.length, err.join('')).to.equal(5);
    expect(new Set(counted.map((e) => e.node)).size).to.equal(1);
    expect(received.length).to.equal(5 * (router.hosts.length - 1));
    expect(received.every((e) => e.node !== counted[0].node)).to.equal(true);
    expect(v.status, JSON.stringify(v.problems)).to.not.equal('FAIL');
    expect(code, err.join('')).to.equal(0);
  });

  it('§7 row 13: healthy backups send nothing on qg-; lp1859832 makes one backup\'s kernel send DAD and MLD there, each frame a finding with node, device, MAC and lp#1859832; heal silences it', async () => {
    const facts = lab().facts();
    const router = facts.routers[0];
    const gw = facts.ports.find((p) => p.deviceOwner === 'network:router_gateway')!;
    const dev = ('qg-' + gw.id).slice(0, 14);
    const qg = `ns:qrouter-${router.id}:${dev}`;
    const watch = async (duration: string, during?: () => Promise<void>, neutronStatePath?: string): Promise<{ a: GarpAnalysis; code: number; err: string }> => {
      const out: string[] = [];
      const err: string[] = [];
      const running = runGarpWatch(
        { inventory: labPaths(lab().stateDir).inventory, node: router.hosts, on: [qg], duration, format: 'json', pattern: 'any', deadline: '10s', ...(neutronStatePath ? { neutronStatePath } : {}) },
        { write: (t) => out.push(t), warn: (t) => err.push(t) },
      );
      if (during) {
        await new Promise((r) => setTimeout(r, 3000));
        await during();
      }
      const code = await running;
      return { a: JSON.parse(out.join('')) as GarpAnalysis, code, err: err.join('') };
    };
    const emissions = (a: GarpAnalysis): GarpAnalysis['anomalies'] => a.anomalies.filter((x) => x.kind === 'backup-ipv6-emission');

    const healthy = await watch('5s');
    expect(emissions(healthy.a), JSON.stringify(healthy.a.anomalies)).to.deep.equal([]);
    expect(healthy.a.unjudged, 'every replica\'s HA state was read').to.equal(undefined);
    expect(healthy.a.events.filter((e) => e.ip?.includes(':')), 'no ICMPv6 from any replica\'s qg-').to.deep.equal([]);

    let rec: Awaited<ReturnType<typeof applyFault>> | undefined;
    try {
      // the lab's nodes keep ha_confs where neutron does: --neutron-state-path given explicitly reads the same roles
      const faulted = await watch('10s', async () => void (rec = await applyFault({ stateDir: lab().stateDir, name: 'lp1859832' })), '/var/lib/neutron');
      const hits = emissions(faulted.a);
      expect(hits.length, `${faulted.err} ${JSON.stringify(faulted.a.anomalies)}`).to.be.at.least(2);
      expect(rec!.check).to.equal('l3ha-backup-ipv6');
      expect(rec!.also).to.contain('garp-watch:backup-ipv6-emission');
      expect(rec!.subject).to.equal(`node ${rec!.node} device ${dev}`);
      expect(new Set(hits.map((h) => h.node))).to.deep.equal(new Set([rec!.node]));
      expect(hits.every((h) => h.device === qg && h.mac === gw.mac && h.references?.[0] === 'lp#1859832'), JSON.stringify(hits)).to.equal(true);
      const kinds = new Set(hits.map((h) => h.frame!.split(' ')[0]));
      expect([...kinds], JSON.stringify(hits.map((h) => h.frame))).to.include.members(['MLDv2', 'DAD']);
      expect(faulted.code).to.equal(1);
      // eslint-disable-next-line no-console
      console.log(`      ${rec!.node} ${dev}: ${hits.length} frame(s): ${[...new Set(hits.map((h) => h.frame))].join(' | ')}`);
    } finally {
      if (rec) await healFaults({ stateDir: lab().stateDir, name: 'lp1859832' });
    }
    expect(await lab().ssh(rec!.node!, `ip -n qrouter-${router.id} -6 -o addr show dev ${dev}`)).to.equal('');
    await new Promise((r) => setTimeout(r, 3000)); // the leave reports of the heal itself (MLDv2 robustness 2 × 1 s)
    const healed = await watch('4s');
    expect(emissions(healed.a), JSON.stringify(healed.a.anomalies)).to.deep.equal([]);
    expect(healed.code, healed.err).to.equal(0);
  });

  it('drill kill-keepalived: new primary and its first G-ARP within the profile budget, ping outage measured, restore leaves one primary', async () => {
    const pcapDir = mkdir(path.join(lab().tmp, 'failover'));
    const o = await drillFailover(
      { inventory: lab().inventory, facts: lab().facts(), profile: lab().profile, fault: 'kill-keepalived', via: 'lab', stateDir: lab().stateDir, fip: FIP, pcapDir },
      { transportFor: (n) => createTransport(n, lab().inventory), injector: labRouterFaultInjector('kill-keepalived', lab().stateDir) },
    );
    const d = o.drill;
    // pass — or warn for the one thing a 3-replica router can show: both backups (same priority, same
    // timer) claim the VIPs for a moment and one yields, a real L2 flap that the drill names (seen in
    // about one clean-clone run in three; test/lab/zed-variant.lab.test.ts accepts the same)
    if (d.verdict === 'warn') expect(d.message, o.warnings.join('; ')).to.match(/other node\(s\) announced the router's addresses during the takeover/);
    else expect(d.verdict, `${d.message} ${o.warnings.join('; ')}`).to.equal('pass');
    expect(d.budgetMs).to.equal(10_000);
    expect(d.newPrimary).to.be.a('string').and.not.equal(d.oldPrimary);
    expect(d.newPrimaryMs).to.be.a('number').and.at.most(10_000);
    expect(d.firstGarpMs).to.be.a('number').and.at.most(10_000);
    expect(d.outageMs).to.be.a('number');
    expect(d.events.map((e) => e.kind)).to.include.members(['fault', 'new-primary', 'first-garp', 'restored']);
    expect(o.primariesAfterRestore).to.have.length(1);
    expect(o.restored.join()).to.match(/lab restore: 1 failover/);
    // eslint-disable-next-line no-console
    console.log(`      measured: new primary ${d.newPrimaryMs} ms, first G-ARP ${d.firstGarpMs} ms, ping outage ${d.outageMs} ms (${o.ping?.lost} lost)`);
    for (const f of o.sources.map((s) => path.join(pcapDir, `${s.node}_${s.device.replace(/[^A-Za-z0-9_.-]+/g, '_')}.pcap`))) {
      expect(diffSavedPcap(f).diffs, f).to.deep.equal([]);
    }
  });

  it('split brain: the second primary\'s G-ARPs come from the wrong node (FAIL wrong-node), two primaries in the state files; pcaps decode like tcpdump', async () => {
    const pcapDir = mkdir(path.join(lab().tmp, 'split'));
    try {
      const r = await lab().verify({
        fip: FIP, action: { kind: 'change', what: 'lab fault split-brain' }, pcapDir, deadlineMs: 8000,
        trigger: async () => ({ description: `split brain ${(await applyFault({ stateDir: lab().stateDir, name: 'split-brain' })).node}` }),
      });
      expect(r.status).to.equal('FAIL');
      expect(['wrong-node', 'ip-claimed-by-two-macs']).to.include(r.cause);
      const other = r.verdict.timeline.find((e) => e.role === 'wrong-node');
      expect(other?.node).to.be.a('string').and.not.equal(r.plan.expected.node);
      expect(r.message).to.include(other!.node!);
      const states = await Promise.all(lab().facts().routers[0].hosts.map((n) => lab().ssh(n, `cat /var/lib/neutron/ha_confs/${r.plan.routerId}/state`)));
      expect(states.map((s) => s.trim()).filter((s) => s === 'primary')).to.have.length(2);
      for (const f of r.pcapFiles) expect(diffSavedPcap(f).diffs, f).to.deep.equal([]);
    } finally {
      await healFaults({ stateDir: lab().stateDir });
    }
  });
});
