import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LEFTOVERS_REMOVED_ENV, removeLeftoverTestLabs } from './leftover-labs';

/**
 * The README test command's runner (`npm test`): the whole suite as two mocha processes side by side.
 *
 * One process runs the hand-built lab's files, one after another (that engine allows one lab per
 * machine). The other runs the unit tests and then the real-engine files (real Neutron and OVN:
 * their own lock, owner file, namespace names and addresses, so they never meet the hand-built
 * lab). Run one after the other the suite took 71 minutes on this 2-core machine, over its 60; the
 * real-engine files alone are 28 of them and mostly wait on the agents.
 *
 * Each line is prefixed with its process's tag; each process prints its own per-file time table.
 * HAPROBE_SUITE_SERIAL=1 runs everything in one mocha, in file order, as before. Extra arguments
 * are passed to both mochas (e.g. `--grep X`).
 */

const REAL_ENGINE_FILE = /\/lab\/(neutron|ovn)-engine\.lab\.test\.js$/;
const HAND_BUILT_LAB_FILE = /\.lab\.test\.js$/;

interface Lane {
  tag: string;
  files: string[];
}

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(full));
    else if (entry.name.endsWith('.test.js')) out.push(full);
  }
  return out.sort();
}

/** Split the files into the two lanes: hand-built labs | unit tests then the real engines. */
export function splitIntoLanes(files: string[]): Lane[] {
  const realEngine = files.filter((f) => REAL_ENGINE_FILE.test(f));
  const handBuilt = files.filter((f) => !REAL_ENGINE_FILE.test(f) && HAND_BUILT_LAB_FILE.test(f));
  const unit = files.filter((f) => !HAND_BUILT_LAB_FILE.test(f));
  return [
    { tag: 'hand-built', files: handBuilt },
    { tag: 'unit+real ', files: [...unit, ...realEngine] },
  ];
}

function prefixLines(tag: string, out: NodeJS.WriteStream, seen?: (line: string) => void): (chunk: Buffer) => void {
  let partial = '';
  return (chunk) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    if (lines.length > 0) out.write(lines.map((line) => `${tag}│ ${line}\n`).join(''));
    if (seen) for (const line of lines) seen(line);
  };
}

const FAILURE_LINES_KEPT = 120;

/**
 * Keeps mocha's "N failing" block of one lane, so that the runner can print it again at the very end.
 * The lanes' lines interleave and the lane that ends first has its failures printed long before the
 * last line; a CI log that keeps only its tail would show the other lane's tests and no failure.
 */
export class FailureBlock {
  private readonly lines: string[] = [];
  private inBlock = false;
  private dropped = 0;

  see(line: string): void {
    if (/^\s+\d+ failing\s*$/.test(line)) this.inBlock = true;
    else if (/^\s+Time per test file/.test(line)) this.inBlock = false;
    if (!this.inBlock) return;
    if (this.lines.length < FAILURE_LINES_KEPT) this.lines.push(line);
    else this.dropped += 1;
  }

  text(tag: string): string {
    if (this.lines.length === 0) return '';
    const more = this.dropped > 0 ? [`  … ${this.dropped} more line(s): see this lane's output above`] : [];
    return [...this.lines, ...more].map((line) => `${tag}│ ${line}\n`).join('');
  }
}

interface LaneResult {
  tag: string;
  code: number;
  seconds: number;
  failures: FailureBlock;
}

function runLane(lane: Lane, extraArgs: string[]): Promise<LaneResult> {
  const mocha = require.resolve('mocha/bin/mocha.js');
  const started = Date.now();
  const child = spawn(process.execPath, [mocha, ...extraArgs, ...lane.files], {
    env: { ...process.env, [LEFTOVERS_REMOVED_ENV]: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const failures = new FailureBlock();
  child.stdout.on('data', prefixLines(lane.tag, process.stdout, (line) => failures.see(line)));
  child.stderr.on('data', prefixLines(lane.tag, process.stderr));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on('close', (code, signal) =>
      resolve({
        tag: lane.tag,
        code: code ?? (signal ? 128 : 1),
        seconds: Math.round((Date.now() - started) / 1000),
        failures,
      }));
  });
}

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..');
  const files = testFiles(root);
  const extraArgs = process.argv.slice(2);
  if (process.getuid?.() === 0) await removeLeftoverTestLabs();
  const lanes = process.env.HAPROBE_SUITE_SERIAL === '1' ? [{ tag: 'all       ', files }] : splitIntoLanes(files);
  process.stdout.write(lanes.map((l) => `${l.tag}│ ${l.files.length} test files\n`).join(''));
  const results = await Promise.all(lanes.map((lane) => runLane(lane, extraArgs)));
  process.stdout.write('\n');
  for (const r of results) {
    const failed = r.failures.text(r.tag);
    if (failed) process.stdout.write(`${r.tag}│ again, this lane's failures:\n${failed}\n`);
  }
  for (const r of results) process.stdout.write(`${r.tag}│ mocha exited ${r.code} after ${r.seconds} s\n`);
  return results.some((r) => r.code !== 0) ? 1 : 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code), (err: unknown) => {
    process.stderr.write(`run-suite: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(2);
  });
}
