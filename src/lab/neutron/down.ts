import * as fs from 'node:fs';
import { allPids, mntnsInodeOf, netnsInodeOf } from '../processes';
import { runArgv } from '../shell';
import { NEUTRON_OWNER_FILE, NHOLDER_MARK, NMGMT_BRIDGE, NPREFIX, neutronLabPaths, otherLiveNeutronLab, upNeutronStateDir } from './names';
import { DB_NAMES } from './render-config';
import { readNeutronState } from './state';
import { isRunning } from '../processes';
import { refuseOtherEngine } from '../engine-of-dir';
import { stopProcesses, type HostProcess } from './spawn';

export interface NeutronDownResult {
  stateDir: string;
  hadState: boolean;
  nodeProcessesKilled: number;
  controlProcessesKilled: number;
  netnsRemoved: string[];
  linksRemoved: string[];
  databasesDropped: string[];
  downMs: number;
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Whether `down` of this state dir may take the real engine's machine-wide names (hq-* namespaces,
 * hqm-* links, the holders in them): not while the owner file names another dir that still holds a
 * lab.json — that lab is up, and this dir's lab cannot be (the hand-built engine's maySweepPrefix).
 */
export function mayNeutronSweep(stateDir: string, ownerFile = NEUTRON_OWNER_FILE): boolean {
  return otherLiveNeutronLab(stateDir, ownerFile) === undefined;
}

function labNetns(): string[] {
  try {
    return fs.readdirSync('/run/netns').filter((n) => n.startsWith(NPREFIX));
  } catch {
    return [];
  }
}

const CONTROL_PROGRAMS: Record<string, string> = {
  // rabbitmq-server: the shell script that leads beam's process group (argv[1] under /bin/sh)
  mariadbd: 'mariadbd', uwsgi: 'keystone-uwsgi', 'neutron-server': 'neutron-server', 'beam.smp': 'rabbitmq-server', 'rabbitmq-server': 'rabbitmq-server', epmd: 'epmd',
};

/**
 * Control-plane daemons of this lab that lab.json does not list (it was unreadable, or `up` was
 * killed between starting one and recording it): a known program whose command line or
 * environment names the state dir (mariadbd --datadir, uwsgi --ini, neutron-server --config-file,
 * beam's RABBITMQ_MNESIA_BASE, epmd's HAPROBE_LAB_CONTROL). Only those programs, so the
 * shell or test runner that called `down` with the state dir in its own arguments is never hit;
 * and only group leaders (each daemon was started in its own group; down signals the group, so its
 * workers go with it).
 */
function unrecordedControl(stateDir: string, recorded: HostProcess[], pids: number[]): HostProcess[] {
  const known = new Set(recorded.map((c) => c.pid));
  const found: HostProcess[] = [];
  for (const pid of pids) {
    if (known.has(pid)) continue;
    const argv = cmdline(pid).split('\0');
    const what = CONTROL_PROGRAMS[(argv[0] ?? '').split('/').pop() ?? ''] ?? CONTROL_PROGRAMS[(argv[1] ?? '').split('/').pop() ?? ''];
    if (what === undefined || !leadsItsGroup(pid)) continue;
    if (argv.some((a) => a.includes(stateDir + '/')) || environ(pid).includes(`=${stateDir}/`)) found.push({ what, pid });
  }
  return found;
}

function leadsItsGroup(pid: number): boolean {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[2]) === pid;
  } catch {
    return false;
  }
}

function environ(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Remove everything the real engine made: every process in a node (found by the namespaces of
 * its holder and those registered inside the node: qrouter-, snat-, fip-, the instance), the
 * holders, the control plane (each recorded pid and its process group), the lab's databases
 * (DROP DATABASE, then the whole datadir goes with the state dir), hq-* namespaces, hq-mgmt and
 * its veths. Works from lab.json, and falls back to the hq- prefix and the holder mark without it.
 */
export async function neutronLabDown(opts: { stateDir?: string } = {}): Promise<NeutronDownResult> {
  const t0 = Date.now();
  const stateDir = upNeutronStateDir(opts.stateDir);
  refuseOtherEngine(stateDir, 'neutron');
  const p = neutronLabPaths(stateDir);
  let state;
  try {
    state = readNeutronState(p);
  } catch {
    state = undefined;
  }
  const self = process.pid;
  // another live real-engine lab owns the hq-* names: this dir's lab cannot have nodes then (claimNeutronOwner
  // refuses a second one), so only its own control plane (found by the state dir) and the dir itself go
  const sweep = mayNeutronSweep(stateDir);
  const netnsNames = sweep ? [...new Set([...(state?.netns ?? []), ...labNetns()])] : [];
  const inodes = new Set<number>();
  for (const ns of netnsNames) {
    try {
      inodes.add(fs.statSync(`/run/netns/${ns}`).ino);
    } catch {
      /* gone */
    }
  }
  if (sweep) for (const n of Object.values(state?.nodes ?? {})) if (n.netnsInode) inodes.add(n.netnsInode);
  const pids = allPids().filter((x) => x !== self);
  const holders = pids.filter((x) => cmdline(x).includes(`\0${NHOLDER_MARK}-`) && inodes.has(netnsInodeOf(x) ?? -1));
  const holderMnt = new Set(holders.map(mntnsInodeOf).filter((i): i is number => i !== undefined));
  await Promise.all(holders.map(async (h) => {
    const res = await runArgv(['nsenter', '-t', String(h), '-m', '--', 'sh', '-c',
      'for f in /run/netns/* /run/haprobe-vms/*; do [ -e "$f" ] && stat -L -c %i "$f"; done; true'], '', 10_000);
    for (const l of res.stdout.split('\n')) if (/^\d+$/.test(l.trim())) inodes.add(Number(l.trim()));
  }));
  const victims = pids.filter((x) => {
    if (holders.includes(x)) return false;
    const n = netnsInodeOf(x);
    const m = mntnsInodeOf(x);
    return (n !== undefined && inodes.has(n)) || (m !== undefined && holderMnt.has(m));
  });
  const nodeProcessesKilled = await stopProcesses(victims, false, 10_000);
  await stopProcesses(holders, false, 5_000);

  // API services first (neutron-server holds DB connections whose metadata locks would make
  // DROP DATABASE wait), then drop the lab's databases while MariaDB still runs, then the rest;
  // the datadir goes with the state dir in any case
  const order = ['neutron-server', 'keystone-uwsgi', 'rabbitmq-server', 'epmd', 'mariadbd'];
  const control = [...(state?.control ?? []), ...unrecordedControl(stateDir, state?.control ?? [], pids)].sort((a, b) => order.indexOf(a.what) - order.indexOf(b.what));
  let controlProcessesKilled = 0;
  const api = control.filter((c) => c.what === 'neutron-server' || c.what === 'keystone-uwsgi');
  for (const c of api) controlProcessesKilled += await stopProcesses([c.pid], true, 20_000);
  const databasesDropped: string[] = [];
  const maria = state?.control.find((c) => c.what === 'mariadbd');
  if (maria && isRunning(maria.pid) && fs.existsSync(p.mysqlSock)) {
    const sql = Object.values(DB_NAMES).map((d) => `DROP DATABASE IF EXISTS ${d};`).join('\n');
    const r = await runArgv(['mariadb', '--no-defaults', '-S', p.mysqlSock, '-uroot'], sql + '\n', 60_000);
    if (r.code === 0) databasesDropped.push(...Object.values(DB_NAMES));
  }
  for (const c of control.filter((x) => !api.includes(x))) controlProcessesKilled += await stopProcesses([c.pid], true, 20_000);

  const netnsRemoved: string[] = [];
  for (const ns of netnsNames) if ((await runArgv(['ip', 'netns', 'del', ns], '')).code === 0) netnsRemoved.push(ns);
  const links = new Set(sweep ? [...(state?.hostLinks ?? []), NMGMT_BRIDGE] : []);
  try {
    if (sweep) for (const l of fs.readdirSync('/sys/class/net')) if (l.startsWith('hqm-')) links.add(l);
  } catch {
    /* no sysfs */
  }
  const linksRemoved: string[] = [];
  for (const l of links) {
    if (!fs.existsSync(`/sys/class/net/${l}`)) continue;
    if ((await runArgv(['ip', 'link', 'del', l], '')).code === 0) linksRemoved.push(l);
  }
  if (fs.existsSync(stateDir) && (state || fs.existsSync(p.control) || fs.readdirSync(stateDir).length === 0)) fs.rmSync(stateDir, { recursive: true, force: true });
  try {
    if (fs.readFileSync(NEUTRON_OWNER_FILE, 'utf8').trim() === stateDir) fs.rmSync(NEUTRON_OWNER_FILE, { force: true });
  } catch {
    /* none */
  }
  return { stateDir, hadState: state !== undefined, nodeProcessesKilled, controlProcessesKilled, netnsRemoved, linksRemoved, databasesDropped, downMs: Date.now() - t0 };
}
