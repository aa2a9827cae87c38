import { expect } from 'chai';
import { Command } from 'commander';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerDiffCommand, runDiff } from '../../src/cli/commands/diff';
import { registerReportCommand, runReport } from '../../src/cli/commands/report';
import { reportedExitCode, resetExitCode } from '../../src/cli/context';
import { HaprobeError } from '../../src/errors';
import { writeRunFile } from '../../src/report/write-run-file';
import { makeHistory, WAIVERS_YAML } from './fixtures';

async function invoke(args: string[]): Promise<{ stdout: string; code: number }> {
  const program = new Command('haprobe').exitOverride();
  registerReportCommand(program);
  registerDiffCommand(program);
  resetExitCode();
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    stdout += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'haprobe', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return { stdout, code: reportedExitCode() };
}

describe('report: haprobe report / haprobe diff commands', () => {
  let dir: string;
  let files: string[];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'haprobe-cli-'));
    files = makeHistory().map((r) => writeRunFile(join(dir, 'history'), r));
    writeFileSync(join(dir, 'waivers.yaml'), WAIVERS_YAML);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('diff exits 1 when a finding appeared, 0 when it was fixed', async () => {
    const worse = await invoke(['diff', files[0], files[1]]);
    expect(worse.code).to.equal(1);
    expect(worse.stdout).to.include('appeared').and.include('nat-fip-rules').and.include('1 appeared · 0 fixed · 0 changed · 0 unchanged · 1 regressed');
    const better = await invoke(['diff', files[1], files[2], '--format', 'json']);
    expect(better.code).to.equal(0);
    const json = JSON.parse(better.stdout);
    expect(json.counts).to.deep.equal({ appeared: 0, disappeared: 1, changed: 0, unchanged: 0, regressed: 0 });
    expect(json.disappeared[0].checkId).to.equal('nat-fip-rules');
  });

  it('diff with a waivers file does not count a waived finding as a regression', () => {
    const waivers = join(dir, 'waivers.yaml');
    expect(runDiff(files[2], files[3], { format: 'table' }).diff.counts.regressed).to.equal(1);
    const { diff } = runDiff(files[2], files[3], { format: 'table', waivers });
    expect(diff.counts).to.include({ appeared: 1, regressed: 0 });
    expect(diff.appeared[0].after!.verdict).to.equal('waived');
  });

  it('diff names an unreadable run file (usage error)', () => {
    try {
      runDiff(join(dir, 'nope.json'), files[0], { format: 'table' });
      expect.fail('should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(HaprobeError);
      expect((err as HaprobeError).where).to.equal(join(dir, 'nope.json'));
    }
  });

  it('report writes HTML or Markdown (from --out) and honours --last', async () => {
    const html = join(dir, 'out', 'report.html');
    const res = await invoke(['report', '--history', join(dir, 'history'), '--out', html, '--waivers', join(dir, 'waivers.yaml')]);
    expect(res.code).to.equal(0);
    expect(res.stdout).to.equal('');
    expect(readFileSync(html, 'utf8')).to.match(/^<!DOCTYPE html>/).and.include('W-1');
    const md = join(dir, 'out', 'report.md');
    await invoke(['report', '--history', join(dir, 'history'), '--out', md, '--last', '2']);
    const text = readFileSync(md, 'utf8');
    expect(text).to.match(/^# haprobe report/).and.include('## Trend (last 2 runs)');
    const stdout = await invoke(['report', '--history', join(dir, 'history'), '--format', 'md']);
    expect(stdout.stdout).to.include('## Trend (last 4 runs)');
  });

  it('report on an empty or missing history is a clear error', () => {
    const empty = join(dir, 'empty');
    require('node:fs').mkdirSync(empty);
    expect(() => runReport({ history: empty, last: 30 })).to.throw(HaprobeError, 'no readable run file');
    expect(() => runReport({ history: join(dir, 'missing'), last: 30 })).to.throw(HaprobeError, 'cannot list history directory');
  });
});
