import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyFault, healFaults, labDown, labUp } from '../../src/lab';
import { readRunFile } from '../../src/report';
import type { RunResult } from '../../src/report/result';
import { useLabSuite } from '../helpers/lab-suite';
import { runAgainstLab, runCli, failing } from './run-helpers';

/** a finding as the operator reads it: check, subject, verdict, message (no ids, times or counters) */
function findingKeys(r: RunResult): string[] {
  return r.findings.map((f) => `${f.checkId} ${JSON.stringify(f.subject)} ${f.verdict} ${f.message}`).sort();
}
function rowKeys(r: RunResult): string[] {
  return r.rows.map((x) => `${x.checkId} ${JSON.stringify(x.subject)} ${x.verdict}`);
}

/**
 * Issue 10, past one bastion: `run --shard K/N` on every shard, then `haprobe merge` of their run
 * files, must give the unsharded run's findings — on a faulted lab (split-brain: two primaries,
 * a cross-node finding no single shard can judge alone) so that there are findings to compare.
 */
describe('haprobe run --shard K/N + haprobe merge against the neutron-l3ha lab @lab', function () {
  this.timeout(240_000);
  const stateDir = '/var/tmp/haprobe-shardtest-l3ha';
  const profile = 'neutron-l3ha';
  let work: string;

  useLabSuite(
    async () => {
      await labDown({ stateDir }).catch(() => undefined);
      await labUp({ profile, stateDir, renderer: 'silent' });
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'haprobe-shard-'));
      return stateDir;
    },
    async () => {
      if (work) fs.rmSync(work, { recursive: true, force: true });
      await labDown({ stateDir });
    },
    { upMs: 240_000, downMs: 120_000 },
  );

  it('the merged result of 3 shards has the unsharded run\'s findings and rows (split-brain applied)', async () => {
    const rec = await applyFault({ stateDir, name: 'split-brain' });
    try {
      const whole = await runAgainstLab(stateDir, profile);
      expect(whole.code).to.equal(1);
      expect(failing(whole.result).some((f) => f.checkId === rec.check), 'the fault shows unsharded').to.equal(true);
      const files: string[] = [];
      for (let k = 1; k <= 3; k++) {
        const dir = path.join(work, `shard-${k}`);
        const r = await runAgainstLab(stateDir, profile, ['--shard', `${k}/3`, '--output', dir]);
        expect(r.result.shard).to.include({ index: k, count: 3 });
        const [file] = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
        files.push(path.join(dir, file));
        expect(readRunFile(files[files.length - 1]).shard?.snapshots.length).to.equal(r.result.nodes.filter((n) => n.reachable).length);
      }
      const sizes = files.map((f) => readRunFile(f).nodes.length);
      expect(sizes.reduce((a, b) => a + b, 0)).to.equal(whole.result.nodes.length);
      const merged = await runCli(['merge', '--format', 'json', '-p', profile, '-f', path.join(stateDir, 'facts.json'), '-o', path.join(work, 'merged'), ...files]);
      expect(merged.code, merged.stderr).to.equal(whole.code);
      const m = JSON.parse(merged.stdout) as RunResult;
      expect(findingKeys(m)).to.deep.equal(findingKeys(whole.result));
      expect(rowKeys(m)).to.deep.equal(rowKeys(whole.result));
      expect(m.nodes.map((n) => n.name)).to.deep.equal(whole.result.nodes.map((n) => n.name));
      expect(m.verdict).to.equal(whole.result.verdict);
      expect(m.summary).to.deep.equal(whole.result.summary);
      // the merged run file is a valid run file (readRunFile validates it against the schema)
      const [mf] = fs.readdirSync(path.join(work, 'merged'));
      expect(readRunFile(path.join(work, 'merged', mf)).findings.length).to.equal(whole.result.findings.length);
    } finally {
      await healFaults({ stateDir, name: 'split-brain' });
    }
  });

  it('merge refuses a missing shard, a shard twice, and --shard outside K/N', async () => {
    const dir = path.join(work, 'lone');
    await runAgainstLab(stateDir, profile, ['--shard', '1/2', '--output', dir]);
    const [file] = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    const f = path.join(dir, file);
    const missing = await runCli(['merge', '-p', profile, '-f', path.join(stateDir, 'facts.json'), f]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/shard\(s\) 2\/2 missing/);
    const twice = await runCli(['merge', '-p', profile, '-f', path.join(stateDir, 'facts.json'), f, f]);
    expect(twice.code).to.equal(2);
    expect(twice.stderr).to.match(/given twice/);
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1']) {
      const r = await runCli(['run', '-q', '-i', path.join(stateDir, 'inventory.yaml'), '-p', profile, '--shard', bad]);
      expect(r.code, bad).to.equal(2);
      expect(r.stderr, bad).to.match(/--shard/);
    }
  });
});
