import * as fs from 'node:fs';
import { GUARD_TAG } from '../../src/transport/wrap-command';

/**
 * haprobe's processes on the lab nodes, found precisely: the lab nodes share this machine's PID
 * namespace, so a read-only scan of /proc sees them. haprobe's guard wrapper carries
 * "haprobe-guard <haprobe pid>-<random>" in its command line; its descendants (tcpdump, ping,
 * arping …) are found through their parent pids. Processes are compared by pid AND start time, so
 * a reused pid never counts as "left behind". Never used to kill anything.
 */
export interface ProcInfo {
  pid: number;
  ppid: number;
  /** start time in clock ticks since boot (/proc/<pid>/stat field 22) */
  start: number;
  comm: string;
  args: string;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    if (f[0] === 'Z') return undefined;
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(f[1]), start: Number(f[19]), comm, args };
  } catch {
    return undefined;
  }
}

export function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const p = readProc(Number(e));
    if (p) out.push(p);
  }
  return out;
}

/** the guard wrappers started by the haprobe process `haprobePid`, and all their descendants */
export function remoteProcessesOf(haprobePid: number): ProcInfo[] {
  const all = listProcesses();
  const tag = `${GUARD_TAG} ${haprobePid}-`;
  const picked = new Map<number, ProcInfo>(all.filter((p) => p.args.includes(tag)).map((p) => [p.pid, p]));
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!picked.has(p.pid) && picked.has(p.ppid)) {
        picked.set(p.pid, p);
        grew = true;
      }
    }
  }
  return [...picked.values()];
}

/** those of `procs` still running (same pid, same start time) */
export function stillRunning(procs: ProcInfo[]): ProcInfo[] {
  return procs.filter((p) => {
    const now = readProc(p.pid);
    return now !== undefined && now.start === p.start;
  });
}

export async function waitFor(cond: () => boolean, ms: number, stepMs = 100): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return cond();
}

/** the network-namespace inode of a process ("net:[4026532001]" → 4026532001), undefined when gone */
function netnsInodeOf(pid: number): number | undefined {
  try {
    return Number(/\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${pid}/ns/net`))?.[1]);
  } catch {
    return undefined;
  }
}

/**
 * Does `p` run under a node of the OTHER lab engine (its node namespaces /run/netns/<prefix>*)?
 * `npm test` runs the hand-built lab suites beside the real-engine ones (test/helpers/run-suite.ts),
 * so a machine-wide scan for leftover captures also sees the real engine's live ones. Walks `p`
 * and its ancestors: one of them in such a node namespace (the node's sshd) proves it the other
 * engine's. A process it cannot place (an orphan reparented to init) still counts as this lab's —
 * a leak is never hidden, at worst the other engine's own leak is blamed here.
 */
export function underOtherEngine(p: ProcInfo, all: ProcInfo[], prefix = 'hq-'): boolean {
  let nodes: Set<number>;
  try {
    nodes = new Set(fs.readdirSync('/run/netns').filter((n) => n.startsWith(prefix)).map((n) => fs.statSync(`/run/netns/${n}`).ino));
  } catch {
    return false;
  }
  if (nodes.size === 0) return false;
  const byPid = new Map(all.map((x) => [x.pid, x]));
  for (let cur: ProcInfo | undefined = p, hops = 0; cur && cur.pid > 1 && hops < 64; cur = byPid.get(cur.ppid), hops++) {
    const ino = netnsInodeOf(cur.pid);
    if (ino !== undefined && nodes.has(ino)) return true;
  }
  return false;
}
