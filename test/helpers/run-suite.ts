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

/** lines of mocha's failing block kept; each failure is then shown in at most FAILURE_LINES_SHOWN lines */
const FAILURE_LINES_KEPT = 5000;
const FAILURE_LINES_SHOWN = 14;

/**
 * Keeps mocha's "N failing" block of one lane, so that the runner can print it again at the very end.
 * The lanes' lines interleave and the lane that ends first has its failures printed long before the
 * last line; a CI log that keeps only its tail would show the other lane's tests and no failure.
 * Shown short: each failure's title, the first lines of its message and chai's expected/actual
 * (a failure whose message carries a whole JSON report would fill the tail alone: run 24).
 */
export class FailureBlock {
  private readonly lines: string[] = [];
  private inBlock = false;

  see(line: string): void {
    if (/^\s+\d+ failing\s*$/.test(line)) this.inBlock = true;
    else if (/^\s+Time per test file/.test(line)) this.inBlock = false;
    if (this.inBlock && this.lines.length < FAILURE_LINES_KEPT) this.lines.push(line);
  }

  text(tag: string): string {
    if (this.lines.length === 0) return '';
    const out: string[] = [this.lines[0].trim()];
    for (const failure of splitFailures(this.lines.slice(1))) out.push(...shortFailure(failure));
    return out.map((line) => `${tag}│ ${line}\n`).join('');
  }
}

/** mocha's failing block cut at each "  N) " title line */
function splitFailures(lines: string[]): string[][] {
  const failures: string[][] = [];
  for (const line of lines) {
    if (/^\s{1,4}\d+\) /.test(line)) failures.push([line]);
    else if (failures.length > 0) failures[failures.length - 1].push(line);
  }
  return failures;
}

/** a failure's title lines, the first lines of its message, chai's "expected … to …" line and diff */
function shortFailure(failure: string[]): string[] {
  const blank = failure.findIndex((l) => l.trim() === '');
  const title = failure.slice(0, blank < 0 ? failure.length : blank);
  const body = blank < 0 ? [] : failure.slice(blank + 1).filter((l) => !/^\s+at /.test(l));
  const diffAt = body.findIndex((l) => /\+ expected - actual/.test(l));
  const beforeDiff = diffAt < 0 ? body : body.slice(0, diffAt);
  const message = beforeDiff.filter((l) => l.trim() !== '').slice(0, 4);
  const expectLine = beforeDiff.find((l) => /expected .+ to /.test(l) && !message.includes(l));
  const diff = diffAt < 0 ? [] : body.slice(diffAt, diffAt + 6).filter((l) => l.trim() !== '');
  const shown = [...title, ...message.map((l) => `    ${l.trim().slice(0, 300)}`), ...(expectLine ? ['    …', `    ${expectLine.trim().slice(0, 300)}`] : []), ...diff.map((l) => `    ${l.trim().slice(0, 300)}`)];
  return [...shown.slice(0, FAILURE_LINES_SHOWN), ''];
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
