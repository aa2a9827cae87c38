import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { labDown, labUp, labPaths } from '../src/lab';
import { loadInventory } from '../src/inventory';
import { TransportPool } from '../src/transport';
import { collectNodes } from '../src/collect/collect';
import { buildSnapshotScript } from '../src/collect/script';

export interface CollectBenchRow {
  way: string;
  nodes: number;
  wallMs: number;
  /** wall time relative to haprobe (1.00 = haprobe) */
  ratio: number;
  ok: number;
}

function run(argv: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
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

/**
 * The same snapshot (the batched script) collected from every node of one lab, three ways, in one run:
 * haprobe (ssh2, one connection and one exec per node, 16 at once), `ansible all -m raw` with the same
 * script and the same parallelism (-f 16), and a sequential `ssh` loop.
 */
export async function benchCollect(opts: { computes?: number; stateDir?: string; rounds?: number } = {}): Promise<CollectBenchRow[]> {
  const stateDir = opts.stateDir ?? '/var/tmp/haprobe-bench-collect';
  const rounds = opts.rounds ?? 3;
  await labDown({ stateDir }).catch(() => undefined);
  const up = await labUp({ profile: 'neutron-dvr', computes: opts.computes ?? 8, stateDir, renderer: 'silent' });
  const work = mkdtempSync(path.join(tmpdir(), 'haprobe-bench-'));
  try {
    const paths = labPaths(stateDir);
    const inventory = loadInventory(up.inventory);
    const nodes = inventory.nodes;
    const script = buildSnapshotScript();
    const ini = ['[all]', ...nodes.map((n) => `${n.name} ansible_host=${n.address} ansible_user=root ansible_ssh_private_key_file=${paths.key}`)].join('\n') + '\n';
    writeFileSync(path.join(work, 'hosts.ini'), ini);
    const sshOpts = ['-o', `UserKnownHostsFile=${paths.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes'];
    const ansibleEnv = {
      ...process.env,
      ANSIBLE_SSH_ARGS: `-o ControlMaster=no ${sshOpts.join(' ')}`,
      ANSIBLE_HOST_KEY_CHECKING: 'True',
      ANSIBLE_LOCAL_TEMP: path.join(work, 'ansible-tmp'),
      ANSIBLE_STDOUT_CALLBACK: 'minimal',
    };

    const ways: Record<string, () => Promise<number>> = {
      haprobe: async () => {
        const pool = new TransportPool(inventory, { concurrency: 16 });
        try {
          const results = await collectNodes(nodes, (n) => pool.get(n), { concurrency: 16 });
          return results.filter((r) => r.snapshot).length;
        } finally {
          await pool.closeAll();
        }
      },
      'ansible -m raw -f 16': async () => {
        const r = await run(['ansible', 'all', '-i', path.join(work, 'hosts.ini'), '-m', 'raw', '-f', '16', '-a', `{% raw %}${script}{% endraw %}`], { env: ansibleEnv }); // verbatim: ansible templates -a with Jinja
        return (r.stdout.match(/\| CHANGED \| rc=0/g) ?? []).length;
      },
      'ssh loop (sequential)': async () => {
        let ok = 0;
        for (const n of nodes) {
          const r = await run(['ssh', '-i', paths.key, ...sshOpts, `root@${n.address}`, 'sh -s'], { input: script });
          if (r.code === 0 && r.stdout.includes('@@HP<versions')) ok += 1;
        }
        return ok;
      },
    };
    const best: Record<string, { ms: number; ok: number }> = {};
    for (let i = 0; i < rounds; i++) {
      for (const [way, fn] of Object.entries(ways)) {
        const { ms, value } = await timed(fn);
        if (!best[way] || ms < best[way].ms) best[way] = { ms, ok: value };
      }
    }
    const base = best.haprobe.ms;
    return Object.entries(best).map(([way, b]) => ({ way, nodes: nodes.length, wallMs: Math.round(b.ms), ratio: Math.round((b.ms / base) * 100) / 100, ok: b.ok }));
  } finally {
    rmSync(work, { recursive: true, force: true });
    await labDown({ stateDir });
  }
}

if (require.main === module) {
  void benchCollect().then((rows) => {
    for (const r of rows) console.log(`${r.way.padEnd(24)} ${r.nodes} nodes ${String(r.wallMs).padStart(7)} ms  ×${r.ratio.toFixed(2)}  ok=${r.ok}`);
  });
}

