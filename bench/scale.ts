import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { labDown, labUp } from '../src/lab';

/**
 * The scale run (issue 10): ONE light lab (neutron-l3ha: upstream, net1..net3, light computes —
 * sshd, namespaces, OVS with the compute's ports, one instance in the lab), then `haprobe run` as
 * a process over the first 25, 50, 100 and 200 of its nodes. Per size: wall time, peak RSS
 * (getrusage of the child: ru_maxrss), peak open fds (sampled from /proc every 50 ms) under
 * `ulimit -n 1024`, nodes read, progress lines (plain renderer, CI=1). The fit is least squares
 * of wall over nodes.
 */

export interface ScalePoint {
  nodes: number;
  wallMs: number;
  peakRssMb: number;
  peakFds: number;
  reachable: number;
  verdict: string;
  exitCode: number;
  progressLines: number;
}

export interface ScaleReport {
  upMs: number;
  downMs: number;
  points: ScalePoint[];
  /** least squares wall = intercept + slope × nodes */
  fit: { msPerNode: number; interceptMs: number; r2: number };
  fdLimit: number;
  concurrency: number;
}

/** least squares line through (x, y) (pure) */
export function fitLine(points: { x: number; y: number }[]): { slope: number; intercept: number; r2: number } {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = my - slope * mx;
  const ssTot = points.reduce((s, p) => s + (p.y - my) ** 2, 0);
  const ssRes = points.reduce((s, p) => s + (p.y - (intercept + slope * p.x)) ** 2, 0);
  return { slope, intercept, r2: ssTot === 0 ? 1 : 1 - ssRes / ssTot };
}

function countFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** `haprobe run` in a child under `ulimit -n`, with its peak RSS (ru_maxrss) and sampled peak fds */
function runMeasured(argv: string[], fdLimit: number): Promise<{ code: number; stdout: string; stderr: string; wallMs: number; peakFds: number }> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    // the shell sets the limit, then execs /usr/bin/time (peak RSS: %M), whose child is haprobe
    const child = spawn('sh', ['-c', `ulimit -n ${fdLimit} && exec "$@"`, 'sh', ...argv], { env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakFds = 0;
    const sampler = setInterval(() => {
      for (const pid of childrenOf(child.pid!)) peakFds = Math.max(peakFds, countFds(pid));
    }, 50);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => {
      clearInterval(sampler);
      resolve({ code: code ?? 1, stdout, stderr, wallMs: Number(process.hrtime.bigint() - t0) / 1e6, peakFds });
    });
  });
}

export async function benchScale(opts: { sizes?: number[]; stateDir?: string; fdLimit?: number; concurrency?: number } = {}): Promise<ScaleReport> {
  const sizes = opts.sizes ?? [25, 50, 100, 200];
  const total = Math.max(...sizes);
  const stateDir = opts.stateDir ?? '/var/tmp/haprobe-bench-scale';
  const fdLimit = opts.fdLimit ?? 1024;
  const concurrency = opts.concurrency ?? 16;
  await labDown({ stateDir }).catch(() => undefined);
  const t0 = Date.now();
  // upstream + net1..net3 + computes = total nodes
  const up = await labUp({ profile: 'neutron-l3ha', light: true, computes: total - 4, stateDir, renderer: 'silent' });
  const upMs = Date.now() - t0;
  const work = mkdtempSync(path.join(tmpdir(), 'haprobe-scale-'));
  const points: ScalePoint[] = [];
  try {
    const inv = parse(readFileSync(up.inventory, 'utf8')) as { nodes: unknown[] };
    const cli = path.resolve(__dirname, '../src/cli/bin.js');
    for (const size of sizes) {
      const file = path.join(work, `inventory-${size}.yaml`);
      writeFileSync(file, stringify({ ...inv, nodes: inv.nodes.slice(0, size) }));
      const r = await runMeasured(
        ['/usr/bin/time', '-f', 'maxrss_kb=%M', process.execPath, cli, 'run', '--format', 'json', '-i', file, '-f', up.facts, '-p', 'neutron-l3ha', '--concurrency', String(concurrency)],
        fdLimit,
      );
      const rss = /maxrss_kb=(\d+)/.exec(r.stderr);
      let reachable = 0;
      let verdict = 'unparsed';
      try {
        const result = JSON.parse(r.stdout) as { verdict: string; nodes: { reachable: boolean }[] };
        reachable = result.nodes.filter((n) => n.reachable).length;
        verdict = result.verdict;
      } catch {
        /* stays unparsed: the line says so */
      }
      points.push({
        nodes: size, wallMs: r.wallMs, peakRssMb: rss ? Number(rss[1]) / 1024 : NaN, peakFds: r.peakFds, reachable, verdict, exitCode: r.code,
        progressLines: r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('maxrss_kb=')).length,
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const d0 = Date.now();
  await labDown({ stateDir });
  const f = fitLine(points.map((p) => ({ x: p.nodes, y: p.wallMs })));
  return { upMs, downMs: Date.now() - d0, points, fit: { msPerNode: f.slope, interceptMs: f.intercept, r2: f.r2 }, fdLimit, concurrency };
}

/** the lines `npm run bench` prints for the scale run */
export function formatScale(r: ScaleReport): string[] {
  return [
    `light lab neutron-l3ha, ${Math.max(...r.points.map((p) => p.nodes))} nodes: up ${(r.upMs / 1000).toFixed(1)} s, down ${(r.downMs / 1000).toFixed(1)} s; haprobe run --concurrency ${r.concurrency} under ulimit -n ${r.fdLimit}`,
    '  nodes   wall      ms/node  peak RSS  peak fds  read      verdict  exit  progress lines (CI plain renderer)',
    ...r.points.map((p) =>
      `  ${String(p.nodes).padStart(5)}  ${(p.wallMs / 1000).toFixed(2).padStart(6)} s  ${(p.wallMs / p.nodes).toFixed(0).padStart(6)}  ${p.peakRssMb.toFixed(0).padStart(5)} MB  ${String(p.peakFds).padStart(8)}  ${`${p.reachable}/${p.nodes}`.padEnd(8)}  ${p.verdict.padEnd(7)}  ${String(p.exitCode).padStart(4)}  ${p.progressLines}`),
    `  fit (least squares): wall ≈ ${(r.fit.interceptMs / 1000).toFixed(2)} s + ${r.fit.msPerNode.toFixed(1)} ms × nodes (r² ${r.fit.r2.toFixed(3)}); targets: peak RSS < 400 MB, no fd exhaustion, linear`,
  ];
}

if (require.main === module) {
  const sizes = process.argv.slice(2).filter((a) => /^\d+$/.test(a)).map(Number);
  void benchScale(sizes.length > 0 ? { sizes } : {}).then((r) => {
    for (const l of formatScale(r)) console.log(l);
  });
}
