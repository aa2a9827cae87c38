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
      const pid = readPid(file);
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
