import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LabPaths, LabProcess, LabState } from './types';

/** every pid file the lab's daemons write, relative to a node dir */
function pidFilesOf(dir: string): { what: string; file: string }[] {
  const out: { what: string; file: string }[] = [{ what: 'sshd', file: path.join(dir, 'sshd.pid') }];
  for (const sub of ['ovs-run', 'neutron/ha_confs']) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(path.join(dir, sub));
    } catch {
      continue;
    }
    for (const n of names) if (/\.pid/.test(n)) out.push({ what: n.replace(/^[0-9a-f-]{36}\./, ''), file: path.join(dir, sub, n) });
  }
  return out;
}

export function readPid(file: string): number | undefined {
  try {
    const n = parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(n) && n > 1 ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Host pid of a process a node's daemon wrote in its pid file. Each node runs in its own PID
 * namespace, so pid files hold the node's view (keepalived writes 23, the host knows 48211):
 * match the innermost NSpid of every process of that namespace. A holder without its own PID
 * namespace (a lab from before) reads the pid as it is.
 */
export function hostPidOf(nsPid: number, holderPid: number): number | undefined {
  const ns = pidnsInodeOf(holderPid);
  if (ns === undefined || ns === pidnsInodeOf('self')) return nsPid;
  for (const p of allPids()) {
    if (pidnsInodeOf(p) !== ns) continue;
    try {
      const m = /^NSpid:\s+(.*)$/m.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      const ids = m ? m[1].trim().split(/\s+/).map(Number) : [];
      if (ids[ids.length - 1] === nsPid) return p;
    } catch {
      /* gone */
    }
  }
  return undefined;
}

/** read a node's pid file and translate it to a host pid (undefined: no file or no such process) */
export function readNodePid(file: string, holderPid: number | undefined): number | undefined {
  const pid = readPid(file);
  if (pid === undefined || holderPid === undefined) return pid;
  return hostPidOf(pid, holderPid);
}

export function pidnsInodeOf(pid: number | 'self'): number | undefined {
  try {
    const m = /\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${pid}/ns/pid`));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** alive and not a zombie (a zombie still answers kill -0, so isAlive counts it) */
export function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX] /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** daemons currently alive per their pid files (sshd, ovsdb-server, ovs-vswitchd, keepalived, state monitor) */
export function collectProcesses(paths: LabPaths, state: LabState): LabProcess[] {
  const out: LabProcess[] = [];
  for (const node of Object.keys(state.nodes)) {
    for (const { what, file } of pidFilesOf(paths.nodeDir(node))) {
      const pid = readNodePid(file, state.nodes[node].holderPid);
      if (pid !== undefined && isAlive(pid)) out.push({ node, what, pid, pidFile: file });
    }
  }
  return out;
}

/** net namespace inode of a process ("net:[4026532183]" → 4026532183) */
export function netnsInodeOf(pid: number | 'self'): number | undefined {
  try {
    const m = /\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${pid}/ns/net`));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function mntnsInodeOf(pid: number): number | undefined {
  try {
    const m = /\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${pid}/ns/mnt`));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function allPids(): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}
