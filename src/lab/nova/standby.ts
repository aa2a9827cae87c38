import { HaprobeError } from '../../errors';
import { waitFor } from '../ha-state';
import { labPaths, resolveStateDir } from '../paths';
import { requireLabUp } from '../state';
import { nodeArgv, nodeScript, runArgv } from '../shell';
import type { LabState } from '../types';
import { NOVA_CONF, networkHosts, type NovaLabPlan } from './plan';
import { HA_DIR, keepalivedStartLine, KEEPALIVED_PID } from './render-standby';

/**
 * Operations on the keepalived pair of nova-hot-standby (lab side; the drill and the faults use
 * them). "Holds the role" = the dhcp_server is on br100 (what nova-hot-standby reads too).
 */
function holderOf(state: LabState, node: string): number {
  const pid = state.nodes[node]?.holderPid;
  if (!pid) throw new HaprobeError('usage', `unknown lab node ${node}`);
  return pid;
}

export async function holdsRole(plan: NovaLabPlan, state: LabState, node: string): Promise<boolean> {
  const h = plan.hosts.find((x) => x.name === node)!;
  const r = await runArgv(nodeArgv(holderOf(state, node), ['ip', '-o', '-4', 'addr', 'show', 'dev', NOVA_CONF.bridge]), '', 5_000);
  return r.code === 0 && r.stdout.includes(` ${h.dhcpServer}/`);
}

/** the members holding the role now */
export async function activeMembers(plan: NovaLabPlan, state: LabState): Promise<string[]> {
  const hosts = networkHosts(plan).map((h) => h.name);
  const held = await Promise.all(hosts.map((n) => holdsRole(plan, state, n)));
  return hosts.filter((_, i) => held[i]);
}

/** the one member holding the role (refuses none or two: the lab is not in a state a fault can start from) */
export async function activeMember(plan: NovaLabPlan, state: LabState): Promise<string> {
  const a = await activeMembers(plan, state);
  if (a.length !== 1) throw new HaprobeError('lab', `the hot standby pair has ${a.length} active network hosts (${a.join(', ') || 'none'})`, { hint: 'haprobe lab heal, or lab down / up' });
  return a[0]!;
}

export async function startKeepalived(state: LabState, node: string): Promise<void> {
  await nodeScript(holderOf(state, node), `${keepalivedStartLine()} </dev/null >/dev/null 2>&1\n`, `keepalived on ${node}`);
}

/** SIGTERM (keepalived runs notify_stop: the role is released) or SIGKILL (a crash: nothing released) */
export async function killKeepalived(state: LabState, node: string, signal: 'TERM' | 'KILL' = 'TERM'): Promise<void> {
  await nodeScript(holderOf(state, node),
    // done when no keepalived is left in the node: after SIGKILL of the parent its VRRP child lives on
    // until it notices (the collector would still see a cluster manager running)
    `p=$(cat ${KEEPALIVED_PID}) || exit 1\nkill -${signal} "$p"\nfor i in $(seq 50); do kill -0 "$p" 2>/dev/null || pgrep -x keepalived >/dev/null || exit 0; sleep 0.1; done; exit 1\n`, `kill keepalived on ${node}`);
}

export async function keepalivedRunning(state: LabState, node: string): Promise<boolean> {
  const r = await runArgv(nodeArgv(holderOf(state, node), ['sh', '-c', `kill -0 "$(cat ${KEEPALIVED_PID} 2>/dev/null)" 2>/dev/null`]), '', 5_000);
  return r.code === 0;
}

/**
 * keepalived on the first member, wait until it holds the role (VRRP master after 3 adverts
 * missed, ≈ 3.4 s), then on the others (they hear it and stay BACKUP: nopreempt).
 */
export async function startStandbyPair(plan: NovaLabPlan, state: LabState): Promise<void> {
  const [first, ...rest] = networkHosts(plan).map((h) => h.name);
  await startKeepalived(state, first!);
  if (!(await waitFor(() => holdsRole(plan, state, first!), 15_000, 200))) throw new HaprobeError('lab', `${first} did not take the network host role within 15 s of keepalived's start (see ${HA_DIR})`);
  for (const n of rest) await startKeepalived(state, n);
  // a standby that started BACKUP ran release.sh once; it must not hold the role
  await new Promise((r) => setTimeout(r, 1500));
  const active = await activeMembers(plan, state);
  if (active.length !== 1) throw new HaprobeError('lab', `after keepalived started on every member, ${active.length} hold the role (${active.join(', ')})`);
}

/** bring a member back as a rebooted node would: nothing of the role, links up, keepalived (it joins as BACKUP) */
export async function restartMember(state: LabState, node: string): Promise<void> {
  await nodeScript(holderOf(state, node), [
    `p=$(cat ${KEEPALIVED_PID} 2>/dev/null) && kill -KILL "$p" 2>/dev/null`,
    `${HA_DIR}/release.sh`,
    `ip link set ${NOVA_CONF.publicInterface} up`, `ip link set ${NOVA_CONF.flatInterface} up`,
    'sleep 0.2',
    `${keepalivedStartLine()} </dev/null >/dev/null 2>&1`,
  ].join('\n') + '\n', `restart ${node}`);
}

/** `drill failover --via lab` on nova-hot-standby: bring the failed member back (NovaLabDrillApi) */
export async function restoreNovaMember(o: { stateDir?: string; node: string; fault: string }): Promise<void> {
  const state = requireLabUp(labPaths(resolveStateDir(o.stateDir)));
  if (o.fault === 'stop-node') await restartMember(state, o.node);
  else if (!(await keepalivedRunning(state, o.node))) await startKeepalived(state, o.node);
}
