import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HaprobeError } from '../errors';
import { waitFor } from './ha-state';
import { recordHostDir } from './owner';
import { HOLDER_MARK, holderArgv } from './render-host';
import { runArgv } from './shell';
import type { LabPaths, LabPlan, LabState } from './types';

/**
 * What every lab's up (up.ts, nova/up.ts) does first for its nodes: the dirs and SSH keys they
 * bind, then one holder process per node that keeps its namespaces.
 */

/** dirs the holders bind over; created on the host only when missing (and removed at down if empty) */
const HOST_MOUNT_POINTS = ['/var/lib/neutron'];

export async function prepareDirs(plan: Pick<LabPlan, 'nodes'>, paths: LabPaths, state: LabState): Promise<void> {
  for (const d of HOST_MOUNT_POINTS) {
    if (!fs.existsSync(d)) {
      fs.mkdirSync(d, { recursive: true });
      state.createdHostDirs.push(d);
      recordHostDir(d);
    }
  }
  const keygens: Promise<unknown>[] = [
    runArgv(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'haprobe-lab', '-f', paths.key], ''),
  ];
  for (const n of plan.nodes) {
    const dir = paths.nodeDir(n.name);
    for (const sub of ['neutron', 'ovs-run', 'ovs', 'log']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
    keygens.push(runArgv(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `haprobe-lab-${n.name}`, '-f', path.join(dir, 'ssh_host_ed25519_key')], ''));
  }
  await Promise.all(keygens);
  fs.copyFileSync(`${paths.key}.pub`, paths.authorizedKeys);
}

function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Start a node's holder (argv: `ip netns exec … unshare …`, detached) and return the host pid of
 * its init, the child whose command line carries `mark` (`ip netns exec` execs unshare in place;
 * unshare forks the init, which runs the mounts then execs the reaper loop that carries the mark).
 * Shared by both engines; each passes its own argv, mark and how long to wait.
 */
export async function startMarkedHolder(node: string, argv: string[], mark: string, timeoutMs: number, pollMs: number): Promise<number> {
  const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: 'ignore' });
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new HaprobeError('lab', `could not start the holder of node ${node}`);
  let init: number | undefined;
  const ok = await waitFor(() => {
    init = childrenOf(pid).find((c) => {
      try {
        return fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').includes(mark);
      } catch {
        return false;
      }
    });
    return init !== undefined;
  }, timeoutMs, pollMs);
  if (!ok || init === undefined) throw new HaprobeError('lab', `holder of node ${node} did not come up (pid ${pid})`);
  return init;
}

/** start a node's holder; returns the host pid of its init (PID 1 of the node) */
export function startHolder(node: string, dir: string): Promise<number> {
  return startMarkedHolder(node, holderArgv(node, dir), `${HOLDER_MARK}-${node}`, 5000, 20);
}
