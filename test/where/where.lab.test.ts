import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { applyFault, healFaults, labDown, labUp } from '../../src/lab';
import type { WhereResult } from '../../src/where/find-places';
import { useLabSuite } from '../helpers/lab-suite';
import { CLI, runCli } from '../run/run-helpers';

/**
 * `where` live on the hand-built L3 HA lab (issue 14, "Where is this address?"): the FIP and its
 * MAC in the layers `where` reads only live (OVS FDB by ovs-appctl), the stale second owner after
 * the stale-namespace fault, and — with `--listen` running while the split-brain fault turns a
 * backup primary — the G-ARPs that backup sends, naming it as the second owner. (The offline side,
 * from the lab's real sosreports, is test/where/where.test.ts and test/analyze/analyze.lab.test.ts.)
 */
const PROFILE = 'neutron-l3ha';
const FIP = '203.0.113.101';

describe('haprobe where live on the L3 HA lab @lab', function () {
  this.timeout(600_000);
  const stateDir = '/var/tmp/haprobe-wheretest';
  const inv = (): string => path.join(stateDir, 'inventory.yaml');
  const facts = (): string => path.join(stateDir, 'facts.json');

  useLabSuite(
    async () => {
      await labDown({ stateDir }).catch(() => undefined);
      await labUp({ profile: PROFILE, stateDir, renderer: 'silent' });
      return stateDir;
    },
    async () => {
      await labDown({ stateDir });
    },
    { upMs: 240_000, downMs: 120_000 },
  );

  const where = async (args: string[]): Promise<{ code: number; r: WhereResult; stderr: string }> => {
    const c = await runCli(['where', ...args, '--format', 'json', '-i', inv(), '-f', facts()]);
    return { code: c.code, r: JSON.parse(c.stdout) as WhereResult, stderr: c.stderr };
  };

  it('healthy: the FIP on the primary, the backups\' namespaces, no disagreement; its MAC in the live OVS FDB', async () => {
    const { code, r } = await where([FIP]);
    expect(code).to.equal(0);
    expect(r.problems).to.deep.equal([]);
    const owner = r.places.filter((p) => p.layer === 'address');
    expect(owner).to.have.length(1);
    expect(r.places.filter((p) => p.layer === 'namespace').map((p) => p.node).sort()).to.have.length(2);
    const byMac = await where([owner[0].mac!]);
    const fdb = byMac.r.places.filter((p) => p.layer === 'fdb');
    expect(fdb.length, JSON.stringify(byMac.r.places)).to.be.greaterThan(0);
    for (const f of fdb) expect(f.source).to.match(/^ovs-appctl fdb\/show br-/);
    expect(byMac.r.problems).to.deep.equal([]);
  });

  it('stale-namespace: the router\'s namespace on a node that must not have it is named as the second owner', async () => {
    const rec = await applyFault({ stateDir, name: 'stale-namespace' });
    try {
      const { code, r } = await where([FIP]);
      expect(code).to.equal(1);
      const stale = r.problems.filter((p) => p.kind === 'stale-namespace');
      expect(stale, JSON.stringify(r.problems)).to.have.length(1);
      expect(stale[0].message).to.include(`${rec.node}/qrouter-`);
      expect(r.places.some((p) => p.layer === 'namespace' && p.node === rec.node)).to.equal(true);
    } finally {
      await healFaults({ stateDir, name: 'stale-namespace' });
    }
  });

  it('split-brain while --listen runs: the backup turned primary announces the FIP and is named', async () => {
    const child = spawn(process.execPath, [CLI, 'where', FIP, '--format', 'json', '-i', inv(), '-f', facts(), '--listen', '30'], { env: { ...process.env, CI: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const listening = new Promise<void>((resolve) =>
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (/listening for G-ARPs on \d+ device/.test(stderr)) resolve();
      }),
    );
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 99)));
    let rec;
    try {
      await Promise.race([listening, exited.then(() => Promise.reject(new Error(`where exited before listening: ${stderr}`)))]);
      rec = await applyFault({ stateDir, name: 'split-brain' });
      const code = await exited;
      const r = JSON.parse(stdout) as WhereResult;
      const [primary, other] = String(rec.node).split(',');
      // the snapshot (before the fault): the primary holds it; the capture: the other node announced it
      expect(r.places.filter((p) => p.layer === 'address').map((p) => p.node)).to.deep.equal([primary]);
      const sent = r.places.filter((p) => p.layer === 'garp' && p.direction === 'out');
      expect(sent.map((p) => p.node), stderr).to.include(other);
      for (const p of sent) expect(p.at).to.match(/^qg-/);
      const named = r.problems.find((p) => p.kind === 'garp-not-owner');
      expect(named?.message, JSON.stringify(r.problems)).to.include(`${other} announced ${FIP}`);
      expect(code).to.equal(1);
    } finally {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
      if (rec) await healFaults({ stateDir, name: 'split-brain' });
    }
  });
});
