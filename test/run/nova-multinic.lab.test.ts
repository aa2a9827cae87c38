import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runDrillFailover } from '../../src/cli/commands/drill';
import { readRunFile } from '../../src/report';
import { labPaths, readLabState } from '../../src/lab';
import { nodeArgv, runArgv } from '../../src/lab/shell';
import { describeNovaLab } from './nova-lab-suite';

/**
 * nova-multinic (issue 9, seed 000 multi-NIC): healthy run, the two faults caught by
 * nova-multinic-paths, and the data plane itself: each of vm1's FIPs answers the upstream through
 * its own network host, and with net1's public side down the FIP on net2 still answers;
 * `drill failover` cuts one network host (link-down: its flat_interface; stop-node: every
 * interface) and measures from the upstream that the FIP on the other network keeps answering
 * while the cut one stays down (no takeover in this design), with --repeat and --output.
 */
describeNovaLab('nova-multinic', ['nova-multinic-same-host', 'nova-multinic-fip-missing'], {
  extra: (lab) => {
    it('vm1 answers on both FIPs; with net1 cut off the upstream still reaches it through net2', async () => {
      const state = readLabState(labPaths(lab()))!;
      const up = state.nodes['upstream']!.holderPid!;
      const ping = async (ip: string): Promise<number | null> => (await runArgv(nodeArgv(up, ['ping', '-c', '1', '-W', '1', ip]), '', 10_000)).code;
      expect(await ping('203.0.113.101')).to.equal(0);
      expect(await ping('203.0.113.103')).to.equal(0);
      const net1 = state.nodes['net1']!.holderPid!;
      await runArgv(nodeArgv(net1, ['ip', 'link', 'set', 'eth0', 'down']), '', 5_000);
      try {
        expect(await ping('203.0.113.101')).to.not.equal(0);
        expect(await ping('203.0.113.103')).to.equal(0);
      } finally {
        await runArgv(nodeArgv(net1, ['sh', '-c', 'ip link set eth0 up && ip route replace default via 203.0.113.1 dev eth0']), '', 5_000);
      }
    });

    const drill = async (fault: 'link-down' | 'stop-node', extra: { repeat?: string; output?: string; fip?: string } = {}): Promise<Awaited<ReturnType<typeof runDrillFailover>> & { text: string }> => {
      const dir = lab();
      let text = '';
      const o = await runDrillFailover({ inventory: path.join(dir, 'inventory.yaml'), facts: path.join(dir, 'facts.json'), profile: 'nova-multinic', fault, yesIMeanIt: true, format: 'table', ...extra }, (t) => (text += t), () => undefined);
      console.log(`      ${fault}: ${text.split('\n').filter((l) => /path|drill\(s\)|^\s+\d|verdict/.test(l)).join('\n      ')}`);
      return Object.assign(o, { text });
    };

    it('drill failover --fault link-down (net1\'s flat_interface): vm1\'s FIP on private2 keeps answering, the one on private stays down, nothing announces', async function () {
      this.timeout(120_000);
      const o = await drill('link-down');
      const d = o.drill;
      expect(d.verdict, o.text).to.equal('pass');
      expect(d.paths, o.text).to.deep.equal([
        { role: 'cut', target: '203.0.113.101', host: 'net1', network: 'private', outageMs: null },
        { role: 'surviving', target: '203.0.113.103', host: 'net2', network: 'private2', outageMs: 0 },
      ]);
      expect(d.newPrimaryMs).to.equal(null);
      expect(o.garps, o.text).to.deep.equal([]);
      expect(o.text).to.include('no takeover in this design');
      expect(d.message).to.include('down for the whole fault, as designed');
      expect(o.primariesAfterRestore, 'the cut FIP answers again after the restore').to.deep.equal(['net1']);
    });

    it('drill failover --fault stop-node --repeat 3 --output: every run PASS, the distribution printed, the run file holds 3 drills', async function () {
      this.timeout(300_000);
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'haprobe-novamn-drill-'));
      try {
        const o = await drill('stop-node', { repeat: '3', output: out });
        expect(o.runs!.map((r) => r.drill.verdict), o.text).to.deep.equal(['pass', 'pass', 'pass']);
        expect(o.text).to.include('3 drill(s), no takeover in this design').and.include('surviving path outage: min');
        for (const r of o.runs!) {
          expect(r.drill.paths![0]!.outageMs, o.text).to.equal(null);
          expect(r.drill.paths![1]!.outageMs, o.text).to.be.a('number').and.at.most(1000);
          expect(r.drill.events.some((e) => e.kind === 'restored' && /default route via 203\.0\.113\.1 dev eth0 again/.test(e.detail ?? '')), o.text).to.equal(true);
        }
        const files = fs.readdirSync(out).filter((f) => f.endsWith('.json'));
        expect(files).to.have.length(1);
        expect(readRunFile(path.join(out, files[0]!)).drills!.map((x) => x.fault)).to.deep.equal(['stop-node net1', 'stop-node net1', 'stop-node net1']);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });

    it('drill failover --fip 203.0.113.104 cuts vm2\'s private2 path on net2; kill-keepalived is refused (no cluster manager)', async function () {
      this.timeout(120_000);
      const o = await drill('link-down', { fip: '203.0.113.104' });
      expect(o.drill.paths!.map((p) => `${p.role} ${p.target} ${p.host}`), o.text).to.deep.equal(['cut 203.0.113.104 net2', 'surviving 203.0.113.102 net1']);
      expect(o.drill.verdict, o.text).to.equal('pass');
      const dir = lab();
      let err: unknown;
      await runDrillFailover({ inventory: path.join(dir, 'inventory.yaml'), facts: path.join(dir, 'facts.json'), profile: 'nova-multinic', fault: 'kill-keepalived', yesIMeanIt: true, format: 'table' }, () => undefined, () => undefined).catch((e) => (err = e));
      expect(String((err as Error)?.message)).to.include('runs no cluster manager');
    });
  },
});
