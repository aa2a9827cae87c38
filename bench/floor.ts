import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client, type ConnectConfig } from 'ssh2';
import { labDown, labUp, labPaths, readLabState } from '../src/lab';
import { nodeArgv, runArgv } from '../src/lab/shell';
import { loadInventory } from '../src/inventory';
import type { InventoryNode } from '../src/inventory/types';
import { TransportPool } from '../src/transport';
import { collectNodes, readScriptOutput } from '../src/collect/collect';
import { buildSnapshotScript } from '../src/collect/script';
import { buildSnapshotScriptV1 } from '../test/collect/frozen/script-v1';
import { loadProfile } from '../src/profile';
import { planChecks } from '../src/plan';
import { loadFacts } from '../src/model/load-facts';
import { evaluateChecks } from '../src/engine/evaluate';

/**
 * The floor of collection (issue 10): the SAME snapshot script run directly inside every lab node
 * (nsenter into the node's mount, net, UTS and PID namespaces — what sshd's session would see),
 * with the same parallelism as haprobe and no SSH at all. haprobe's collection is printed as a
 * multiple of it, and the rest is broken down phase by phase on the same lab in the same run.
 */

export interface FloorReport {
  nodes: number;
  concurrency: number;
  /** best-of-rounds wall times, ms */
  floorMs: number;
  /** the floor started through the login shell as sshd does (bash -c, ~/.bashrc sourced), ms */
  floorLoginMs: number;
  /** the same with HOME=/root: this host's ~/.bashrc, as before the lab gave its nodes their own HOME, ms */
  floorHostRcMs?: number;
  haprobeCollectMs: number;
  /** `haprobe run` as a process (start, collect, checks, render), ms */
  haprobeRunMs: number;
  /** a bare ssh2 client process (bench/bare-ssh2-client.ts: connect, exec the script, exit), ms */
  bareMs?: number;
  /** medians over the interleaved rounds of collection ÷ floor, run − floor and run − bare client (same round) */
  paired?: { collectOverFloor: number; runMinusFloorMs: number; rounds: number; bareMinusFloorMs?: number; runMinusBareMs?: number };
  /** haprobe's collection split into its parts (each measured alone, ms) */
  phases: Record<string, number>;
  /** connect wall with the ssh2 defaults vs a short list of fast, secure algorithms, ms */
  kex: Record<string, number>;
  /** other tools, same script, same nodes (wall ms) */
  others: Record<string, number>;
  /** network node alone, v1 (frozen) vs v2 script, best of rounds, ms */
  networkNode?: { v1Ms: number; v2Ms: number };
}

type Run = { code: number; stdout: string; stderr: string };

function run(argv: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(argv[0], argv.slice(1), { maxBuffer: 512 * 1024 * 1024, env: opts.env ?? process.env, timeout: 600_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

async function bestOf<T>(rounds: number, fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  let best: { ms: number; value: T } | undefined;
  for (let i = 0; i < rounds; i++) {
    const r = await timed(fn);
    if (!best || r.ms < best.ms) best = r;
  }
  return best!;
}

/**
 * The headline figures, interleaved: round i runs each of `fns` once, in turn, so a load that
 * drifts during the bench (two shared cores) lands on all of them alike. Best of each, and per
 * round the samples themselves (the paired differences the report prints).
 */
async function interleaved<K extends string>(rounds: number, fns: Record<K, () => Promise<unknown>>): Promise<{ best: Record<K, { ms: number; value: unknown }>; samples: Record<K, number>[] }> {
  const best = {} as Record<K, { ms: number; value: unknown }>;
  const samples: Record<K, number>[] = [];
  for (let i = 0; i < rounds; i++) {
    const round = {} as Record<K, number>;
    for (const k of Object.keys(fns) as K[]) {
      const r = await timed(fns[k]);
      round[k] = r.ms;
      if (!best[k] || r.ms < best[k].ms) best[k] = r;
    }
    samples.push(round);
  }
  return { best, samples };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** items through `fn` with at most `limit` at once (the same pool shape as collectNodes) */
async function eachLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const isRootOnly = (n: InventoryNode): boolean => n.roles.length > 0 && n.roles.every((r) => r === 'gateway');

/** ssh2 connect + auth only (no exec), all nodes at once bounded by `limit`; wall ms */
async function connectWall(nodes: InventoryNode[], key: Buffer, limit: number, algorithms?: ConnectConfig['algorithms']): Promise<number> {
  const { ms } = await timed(() =>
    eachLimited(nodes, limit, (n) =>
      new Promise<void>((resolve, reject) => {
        const c = new Client();
        c.on('ready', () => {
          c.end();
          resolve();
        });
        c.on('error', reject);
        c.connect({ host: n.address, port: n.port, username: n.user, privateKey: key, algorithms, readyTimeout: 20_000 });
      }),
    ),
  );
  return ms;
}

/**
 * One lab (neutron-dvr with `computes` computes), everything measured on it in one go.
 * Needs root and the lab lock (npm run bench takes it the way COMMON.md says).
 */
export async function benchFloor(opts: { computes: number; stateDir?: string; rounds?: number; concurrency?: number; others?: boolean }): Promise<FloorReport> {
  const stateDir = opts.stateDir ?? '/var/tmp/haprobe-bench-floor';
  const rounds = opts.rounds ?? 3;
  const concurrency = opts.concurrency ?? 16;
  await labDown({ stateDir }).catch(() => undefined);
  const up = await labUp({ profile: 'neutron-dvr', computes: opts.computes, stateDir, renderer: 'silent' });
  const work = mkdtempSync(path.join(tmpdir(), 'haprobe-floor-'));
  try {
    const paths = labPaths(stateDir);
    const state = readLabState(paths)!;
    const inventory = loadInventory(up.inventory);
    const nodes = inventory.nodes;
    const holder = (n: InventoryNode): number => state.nodes[n.name]!.holderPid!;
    const scriptOf = (n: InventoryNode): string => buildSnapshotScript({ rootOnly: isRootOnly(n) });

    // the floor: no SSH, same script, same parallelism
    const floorRun = (build: (n: InventoryNode) => string) => (): Promise<string[]> =>
      eachLimited(nodes, concurrency, async (n) => (await runArgv(nodeArgv(holder(n), ['sh', '-s']), build(n))).stdout);
    // the same, started the way sshd starts a command: the login shell (bash, which sources
    // ~/.bashrc when SSH_CLIENT is set) runs `sh -s` — what every SSH tool pays on this node
    // HOME as the lab's sshd sets it (SetEnv HOME=<node dir>, no dotfiles: issue 10), and as a
    // plain sshd would (/root, this host's ~/.bashrc) for comparison
    const nodeHome = (n: InventoryNode): string => (/^[\w./-]+$/.test(paths.nodeDir(n.name)) ? paths.nodeDir(n.name) : '/root');
    const viaLogin = (argv: string[], home = '/root'): string[] =>
      ['env', '-i', `HOME=${home}`, 'USER=root', 'SHELL=/bin/bash', 'SSH_CLIENT=198.18.0.1 40000 22', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '/bin/bash', '-c', argv.join(' ')];
    const floorLogin = await bestOf(rounds, () =>
      eachLimited(nodes, concurrency, async (n) => (await runArgv(nodeArgv(holder(n), viaLogin(['sh', '-s'], nodeHome(n))), scriptOf(n))).stdout),
    );
    const floorHostRc = await bestOf(rounds, () =>
      eachLimited(nodes, concurrency, async (n) => (await runArgv(nodeArgv(holder(n), viaLogin(['sh', '-s'])), scriptOf(n))).stdout),
    );

    const collect = async (): Promise<number> => {
      const pool = new TransportPool(inventory, { concurrency });
      try {
        const results = await collectNodes(nodes, (n) => pool.get(n), { concurrency });
        return results.filter((r) => r.snapshot).length;
      } finally {
        await pool.closeAll();
      }
    };
    const cli = path.resolve(__dirname, '../src/cli/bin.js');
    const runArgs = [process.execPath, cli, 'run', '-q', '--format', 'json', '-i', up.inventory, '-f', path.join(stateDir, 'facts.json'), '-p', 'neutron-dvr', '--concurrency', String(concurrency)];
    // floor, collection and whole run interleaved round by round (issue 10: blocks of each drifted
    // with the load — the 4-node floor read 1189, 1539 and 2048 ms in three runs of one day)
    // the least a Node.js + ssh2 process pays for the same collection (no host key check, parse, checks, report)
    const bareJob = path.join(work, 'bare-job.json');
    writeFileSync(bareJob, JSON.stringify({ key: paths.key, nodes: nodes.map((n) => ({ host: n.address, port: n.port, user: n.user, script: scriptOf(n) })) }));
    const bare = (): Promise<Run> => run([process.execPath, path.resolve(__dirname, 'bare-ssh2-client.js'), bareJob]);
    const head = await interleaved(Math.max(rounds, 5), { floor: floorRun(scriptOf), collect, run: () => run(runArgs), bare });
    const floor = head.best.floor as { ms: number; value: string[] };
    const haprobe = head.best.collect as { ms: number; value: number };
    const whole = head.best.run;
    if (haprobe.value !== nodes.length) throw new Error(`haprobe read ${haprobe.value}/${nodes.length} nodes`);
    const paired = {
      collectOverFloor: median(head.samples.map((x) => x.collect / x.floor)),
      runMinusFloorMs: median(head.samples.map((x) => x.run - x.floor)),
      rounds: head.samples.length,
      bareMinusFloorMs: median(head.samples.map((x) => x.bare - x.floor)),
      runMinusBareMs: median(head.samples.map((x) => x.run - x.bare)),
    };

    // phases, each alone: connect (TCP + kex + host key + auth), exec of the script on open
    // connections, close, then the pure parts on the floor's outputs
    const phases: Record<string, number> = {};
    {
      const pool = new TransportPool(inventory, { concurrency });
      const c = await timed(() => pool.connectAll(nodes));
      phases['connect (tcp+kex+hostkey+auth)'] = c.ms;
      const t = await timed(() => eachLimited(nodes, concurrency, (n) => pool.get(n).exec('true')));
      phases['exec `true` on open connection (session+login shell)'] = t.ms;
      const e = await timed(() => eachLimited(nodes, concurrency, (n) => pool.get(n).exec('sh -s', { stdin: scriptOf(n), timeoutMs: 120_000 })));
      phases['exec script on open connection'] = e.ms;
      const cl = await timed(() => pool.closeAll());
      phases['close'] = cl.ms;
    }
    const outputs = floor.value;
    const parse = await timed(async () => nodes.map((n, i) => readScriptOutput(n.name, n.roles, outputs[i])));
    phases['parse (split+redact+parsers)'] = parse.ms;
    const profile = loadProfile('neutron-dvr');
    const planned = planChecks(profile);
    const checks = planned.map((c) => c.check);
    const facts = loadFacts(path.join(stateDir, 'facts.json')).facts;
    const snapshot = { nodes: parse.value.map((p) => p.snapshot), unreachable: [] };
    const params = new Map(planned.map((c) => [c.check.id, c.params]));
    const ev = await timed(async () => evaluateChecks(checks, (c) => ({ snapshot, facts, params: params.get(c.id) ?? {}, profileId: profile.id }), new Set()));
    phases[`checks (${checks.length})`] = ev.ms;
    phases['node start + load cli (--version)'] = (await bestOf(rounds, () => run([process.execPath, cli, '--version']))).ms;

    // best of the same number of rounds as the -q run: one sample against a best-of-3 read as a cost of its own
    const withProgress = await bestOf(rounds, () => run(runArgs.filter((a) => a !== '-q'), { env: { ...process.env, CI: '1' } }));
    phases['listr2 progress (run without -q, minus -q)'] = withProgress.ms - whole.ms;

    // key exchange / cipher: ssh2's default offer vs a short list of fast, secure algorithms
    const key = require('node:fs').readFileSync(paths.key) as Buffer;
    const kex: Record<string, number> = {};
    const fast: ConnectConfig['algorithms'] = {
      kex: ['curve25519-sha256', 'curve25519-sha256@libssh.org'],
      cipher: ['aes128-gcm@openssh.com', 'chacha20-poly1305@openssh.com'],
      serverHostKey: ['ssh-ed25519'],
      hmac: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-256'],
      compress: ['none'],
    };
    for (let i = 0; i < rounds; i++) {
      for (const [name, algos] of [['ssh2 defaults', undefined], ['curve25519 + aes128-gcm + ed25519', fast]] as const) {
        const ms = await connectWall(nodes, key, concurrency, algos);
        kex[name] = Math.min(kex[name] ?? Infinity, ms);
      }
    }

    const others: Record<string, number> = {};
    if (opts.others !== false) {
      const ini = ['[all]', ...nodes.map((n) => `${n.name} ansible_host=${n.address} ansible_user=root ansible_ssh_private_key_file=${paths.key}`)].join('\n') + '\n';
      writeFileSync(path.join(work, 'hosts.ini'), ini);
      const sshOpts = ['-o', `UserKnownHostsFile=${paths.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes'];
      const env = { ...process.env, ANSIBLE_SSH_ARGS: `-o ControlMaster=no ${sshOpts.join(' ')}`, ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_LOCAL_TEMP: path.join(work, 'ansible-tmp'), ANSIBLE_STDOUT_CALLBACK: 'minimal' };
      const script = buildSnapshotScript();
      // ansible templates `-a` with Jinja: the script's `{{.Names}}` (a docker/podman --format) is a Jinja expression and
      // every host FAILED with rc=-1 before anything ran; raw/endraw passes it verbatim
      const a = await timed(() => run(['ansible', 'all', '-i', path.join(work, 'hosts.ini'), '-m', 'raw', '-f', String(concurrency), '-a', `{% raw %}${script}{% endraw %}`], { env }));
      // a failed host returns fast: the figure only counts when every host ran the script
      const ok = (a.value.stdout.match(/\| CHANGED \| rc=0/g) ?? []).length;
      others[`ansible -m raw -f ${concurrency} (${ok}/${nodes.length} ok)`] = a.ms;
      // why a host did not count (the 19:30 run read 0/4 ok): its first line, for the bench's reader
      if (ok < nodes.length) {
        const first = (a.value.stdout + a.value.stderr).split('\n').find((l) => /\| (FAILED|UNREACHABLE|CHANGED)/.test(l) && !/\| CHANGED \| rc=0/.test(l));
        process.stderr.write(`bench: ansible: ${ok}/${nodes.length} ok, exit ${a.value.code}; first other line: ${(first ?? (a.value.stderr || a.value.stdout).slice(0, 300)).slice(0, 300)}\n`);
      }
      // OpenSSH's own client at haprobe's parallelism: the same script, and `true` alone (what a
      // handshake + session costs any SSH client against these sshds: the part of "run − floor"
      // no client can remove)
      const ssh = (n: InventoryNode, command: string, input?: string): Promise<Run> => run(['ssh', '-i', paths.key, ...sshOpts, `root@${n.address}`, command], input === undefined ? {} : { input });
      others['OpenSSH ssh, same parallelism'] = (await bestOf(rounds, () => eachLimited(nodes, concurrency, (n) => ssh(n, 'sh -s', scriptOf(n))))).ms;
      others['OpenSSH ssh `true`, same parallelism'] = (await bestOf(rounds, () => eachLimited(nodes, concurrency, (n) => ssh(n, 'true')))).ms;
      others['ssh loop (sequential)'] = (await timed(async () => {
        for (const n of nodes) await run(['ssh', '-i', paths.key, ...sshOpts, `root@${n.address}`, 'sh -s'], { input: scriptOf(n) });
      })).ms;
    }

    // the network node alone: frozen v1 vs v2, interleaved rounds, best of each
    const net = nodes.find((n) => n.roles.includes('network'));
    let networkNode: FloorReport['networkNode'];
    if (net) {
      let v1Ms = Infinity;
      let v2Ms = Infinity;
      for (let i = 0; i < Math.max(rounds, 5); i++) {
        v1Ms = Math.min(v1Ms, (await timed(() => runArgv(nodeArgv(holder(net), ['sh', '-s']), buildSnapshotScriptV1()))).ms);
        v2Ms = Math.min(v2Ms, (await timed(() => runArgv(nodeArgv(holder(net), ['sh', '-s']), buildSnapshotScript()))).ms);
      }
      networkNode = { v1Ms, v2Ms };
    }
    return { nodes: nodes.length, concurrency, floorMs: floor.ms, floorLoginMs: floorLogin.ms, floorHostRcMs: floorHostRc.ms, haprobeCollectMs: haprobe.ms, haprobeRunMs: whole.ms, bareMs: head.best.bare.ms, paired, phases, kex, others, networkNode };
  } finally {
    rmSync(work, { recursive: true, force: true });
    await labDown({ stateDir });
  }
}

/** the lines `npm run bench` prints for one FloorReport */
export function formatFloor(r: FloorReport): string[] {
  const f = (ms: number): string => `${Math.round(ms)} ms`.padStart(8);
  const lines = [
    `${r.nodes} nodes, ${r.concurrency} at once (best of rounds)`,
    `  floor (same script via nsenter, no SSH)   ${f(r.floorMs)}`,
    `  floor started by the login shell (bash -c)  ${f(r.floorLoginMs)}  ×${(r.floorLoginMs / r.floorMs).toFixed(2)} of floor (node's own HOME, as the lab's sshd starts it)`,
    ...(r.floorHostRcMs !== undefined ? [`  … with this host's ~/.bashrc (HOME=/root)  ${f(r.floorHostRcMs)}  ×${(r.floorHostRcMs / r.floorMs).toFixed(2)} of floor (what the lab measured before it set HOME)`] : []),
    `  haprobe collection                         ${f(r.haprobeCollectMs)}  ×${(r.haprobeCollectMs / r.floorMs).toFixed(2)} of floor (target ≤ 1.25), ×${(r.haprobeCollectMs / r.floorLoginMs).toFixed(2)} of floor via login shell`,
    `  haprobe run (process: start..render)       ${f(r.haprobeRunMs)}  floor + ${((r.haprobeRunMs - r.floorMs) / 1000).toFixed(2)} s (target ≤ +0.40 s at 4 nodes)`,
    ...(r.bareMs !== undefined ? [`  bare ssh2 client (connect, script, exit)   ${f(r.bareMs)}  floor + ${((r.bareMs - r.floorMs) / 1000).toFixed(2)} s: the least a Node.js SSH tool pays here`] : []),
    ...(r.paired ? [`  paired, median of ${r.paired.rounds} interleaved rounds: collection ×${r.paired.collectOverFloor.toFixed(2)} of floor, run = floor + ${(r.paired.runMinusFloorMs / 1000).toFixed(2)} s`] : []),
    ...(r.paired?.runMinusBareMs !== undefined ? [`    bare client = floor + ${(r.paired.bareMinusFloorMs! / 1000).toFixed(2)} s; haprobe run = bare client + ${(r.paired.runMinusBareMs / 1000).toFixed(2)} s (haprobe's own: inventory, host keys, profile, parse, checks, report)`] : []),
    '  where the time goes (each phase alone):',
    ...Object.entries(r.phases).map(([k, v]) => `    ${k.padEnd(44)} ${v < 0 ? '  ≈0 ms (within noise)' : f(v)}`),
    '  connect wall, key exchange / cipher offer:',
    ...Object.entries(r.kex).map(([k, v]) => `    ${k.padEnd(44)} ${f(v)}`),
    ...Object.entries(r.others).map(([k, v]) => {
      if (!k.includes('`true`')) return `  ${k.padEnd(42)} ${f(v)}  ×${(v / r.haprobeCollectMs).toFixed(2)} of haprobe collection`;
      const ours = (r.phases['connect (tcp+kex+hostkey+auth)'] ?? 0) + (r.phases['exec `true` on open connection (session+login shell)'] ?? 0);
      return `  ${k.padEnd(42)} ${f(v)}  (haprobe's connect + session: ${Math.round(ours)} ms)`;
    }),
  ];
  if (r.networkNode) {
    const { v1Ms, v2Ms } = r.networkNode;
    lines.push(`  network node floor: script v1 (frozen) ${f(v1Ms)} → v2 ${f(v2Ms)}  (×${(v2Ms / v1Ms).toFixed(2)}; target ≤ 0.50)`);
  }
  return lines;
}

if (require.main === module) {
  const computes = Number(process.argv[2] ?? 2);
  void benchFloor({ computes, others: !process.argv.includes('--no-others') }).then((r) => {
    for (const l of formatFloor(r)) console.log(l);
  });
}
