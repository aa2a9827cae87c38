import * as fs from 'node:fs';
import * as path from 'node:path';
import { sleep } from './ha-state';
import { maySweepPrefix, releaseOwner, takeRecordedHostDirs } from './owner';
import { labPaths, resolveStateDir } from './paths';
import { allPids, isRunning, mntnsInodeOf, netnsInodeOf } from './processes';
import { HOLDER_MARK, MGMT_BRIDGE } from './render-host';
import { runArgv } from './shell';
import { readLabState } from './state';
import { refuseOtherEngine } from './engine-of-dir';

export interface LabDownOptions {
  stateDir?: string;
  quiet?: boolean;
}

export interface LabDownResult {
  stateDir: string;
  hadState: boolean;
  holdersKilled: number;
  processesKilled: number;
  netnsRemoved: string[];
  linksRemoved: string[];
  downMs: number;
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

function hostHpNetns(): string[] {
  try {
    return fs.readdirSync('/run/netns').filter((n) => n.startsWith('hp-'));
  } catch {
    return [];
  }
}

function inodeOfNetns(name: string): number | undefined {
  try {
    return fs.statSync(`/run/netns/${name}`).ino;
  } catch {
    return undefined;
  }
}

async function killAll(pids: number[]): Promise<number> {
  const live = pids.filter(isRunning);
  for (const p of live) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  for (let i = 0; i < 20 && live.some(isRunning); i++) await sleep(100);
  for (const p of live.filter(isRunning)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (let i = 0; i < 20 && live.some(isRunning); i++) await sleep(50);
  return live.length;
}

/**
 * Remove everything the lab made: processes in any lab namespace (found by namespace inode,
 * so it also works after a half-failed `up` or without lab.json), holders, hp-* namespaces,
 * hp-mgmt and its veths, host mount points it created, the state dir.
 */
export async function labDown(opts: LabDownOptions = {}): Promise<LabDownResult> {
  const t0 = Date.now();
  const stateDir = resolveStateDir(opts.stateDir);
  refuseOtherEngine(stateDir, 'hand');
  const paths = labPaths(stateDir);
  let state;
  try {
    state = readLabState(paths);
  } catch {
    state = undefined;
  }
  const self = process.pid;
  // another live lab owns the hp-* names: touch nothing of it (this dir's lab cannot exist then)
  const sweep = maySweepPrefix(stateDir);
  if (!sweep) {
    if (state === undefined && fs.existsSync(stateDir) && fs.existsSync(path.join(stateDir, 'nodes'))) fs.rmSync(stateDir, { recursive: true, force: true });
    return { stateDir, hadState: state !== undefined, holdersKilled: 0, processesKilled: 0, netnsRemoved: [], linksRemoved: [], downMs: Date.now() - t0 };
  }
  const netnsNames = [...new Set([...(state?.netns ?? []), ...hostHpNetns()])];
  const hostInodes = new Set(netnsNames.map(inodeOfNetns).filter((i): i is number => i !== undefined));
  for (const n of Object.values(state?.nodes ?? {})) if (n.netnsInode) hostInodes.add(n.netnsInode);

  // holders: a node's init (or `sleep infinity` of a lab from before PID namespaces) in an
  // hp-* netns (recorded pids are only trusted when they match)
  const pids = allPids().filter((p) => p !== self);
  const isHolder = (p: number): boolean => {
    const c = cmdline(p);
    return c === 'sleep\0infinity\0' || c.includes(`\0${HOLDER_MARK}-`);
  };
  const holders = pids.filter((p) => isHolder(p) && hostInodes.has(netnsInodeOf(p) ?? -1));
  const labNet = new Set(hostInodes);
  const holderMnt = new Set(holders.map(mntnsInodeOf).filter((i): i is number => i !== undefined));
  // namespaces registered inside the nodes (qrouter-, snat-, fip-, instances)
  await Promise.all(holders.map(async (h) => {
    const res = await runArgv(['nsenter', '-t', String(h), '-m', '--', 'sh', '-c',
      'for f in /run/netns/* /run/haprobe-vms/*; do [ -e "$f" ] && stat -L -c %i "$f"; done; true'], '', 10_000);
    for (const l of res.stdout.split('\n')) if (/^\d+$/.test(l.trim())) labNet.add(Number(l.trim()));
  }));
  const victims = pids.filter((p) => {
    if (holders.includes(p)) return false;
    const n = netnsInodeOf(p);
    const m = mntnsInodeOf(p);
    return (n !== undefined && labNet.has(n)) || (m !== undefined && holderMnt.has(m));
  });
  for (const pr of state?.processes ?? []) {
    if (!victims.includes(pr.pid) && isRunning(pr.pid) && cmdline(pr.pid).includes(stateDir)) victims.push(pr.pid);
  }
  const processesKilled = await killAll(victims);
  // a holder often goes with its `unshare --kill-child` parent (a victim): count the nodes found
  await killAll(holders);
  const holdersKilled = holders.length;

  const netnsRemoved: string[] = [];
  for (const ns of netnsNames) {
    const res = await runArgv(['ip', 'netns', 'del', ns], '');
    if (res.code === 0) netnsRemoved.push(ns);
  }
  const links = [...new Set([...(state?.hostLinks ?? []), MGMT_BRIDGE])];
  try {
    for (const l of fs.readdirSync('/sys/class/net')) if (l.startsWith('hpm-')) links.push(l);
  } catch {
    /* no sysfs */
  }
  const linksRemoved: string[] = [];
  for (const l of [...new Set(links)]) {
    if (!fs.existsSync(`/sys/class/net/${l}`)) continue;
    const res = await runArgv(['ip', 'link', 'del', l], '');
    if (res.code === 0) linksRemoved.push(l);
  }
  const hostDirs = sweep ? takeRecordedHostDirs() : [];
  for (const d of new Set([...(state?.createdHostDirs ?? []), ...hostDirs])) {
    try {
      fs.rmdirSync(d);
    } catch {
      /* not empty or gone */
    }
  }
  // only remove a directory that looks like a lab state dir
  if (fs.existsSync(stateDir) && (state || fs.existsSync(path.join(stateDir, 'nodes')) || fs.readdirSync(stateDir).length === 0)) {
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
  releaseOwner(stateDir);
  return { stateDir, hadState: state !== undefined, holdersKilled, processesKilled, netnsRemoved, linksRemoved, downMs: Date.now() - t0 };
}
