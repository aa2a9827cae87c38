import * as path from 'node:path';
import { HaprobeError } from '../errors';
import { writeFacts } from './artifacts';
import { haPrimaryOf, readHaStates, waitFor } from './ha-state';
import { labPaths, resolveStateDir } from './paths';
import { planOfState } from './plan';
import { isAlive, readNodePid } from './processes';
import { haNamespace, HA_CONFS, renderKeepalivedCommand } from './render-node';
import { nodeScript } from './shell';
import { requireLabUp, writeLabState } from './state';
import type { FailoverRecord } from './types';

export interface FailoverOptions {
  stateDir?: string;
  /** router id (default: the lab's router) */
  router?: string;
  how?: FailoverRecord['how'];
  /** how long to wait for a new primary, ms (default 20 000) */
  waitMs?: number;
}

/**
 * Make the current primary lose the router: SIGTERM its keepalived (by pid, it withdraws
 * the VIPs and sends priority 0) or set its ha- device down (track_interface → FAULT).
 * Waits for another node to become primary and returns the timeline.
 */
export async function failoverRouter(opts: FailoverOptions = {}): Promise<FailoverRecord> {
  const paths = labPaths(resolveStateDir(opts.stateDir));
  const state = requireLabUp(paths);
  const plan = planOfState(state);
  const r = plan.router;
  if (r.haHosts.length === 0) throw new HaprobeError('usage', `profile ${plan.profile} has no HA router`);
  if (opts.router && opts.router !== r.id) throw new HaprobeError('usage', `unknown router ${opts.router}`, { hint: r.id });
  const from = haPrimaryOf(plan, paths);
  if (!from) throw new HaprobeError('lab', `router has no single primary now: ${JSON.stringify(readHaStates(plan, paths))}`);
  const how = opts.how ?? 'kill-keepalived';
  const rec: FailoverRecord = { routerId: r.id, how, fromNode: from, startedAtMs: Date.now(), actedAtMs: 0 };
  if (how === 'kill-keepalived') {
    const pid = readNodePid(path.join(paths.nodeDir(from), 'neutron', 'ha_confs', `${r.id}.pid.keepalived`), state.nodes[from].holderPid);
    if (!pid || !isAlive(pid)) throw new HaprobeError('lab', `keepalived of ${from} is not running`);
    process.kill(pid, 'SIGTERM');
    rec.killedPid = pid;
  } else {
    await nodeScript(state.nodes[from].holderPid!, `ip -n ${haNamespace(plan)} link set ${r.ha[from].device} down\n`, 'ha- link down');
  }
  rec.actedAtMs = Date.now();
  const ok = await waitFor(() => {
    const p = haPrimaryOf(plan, paths);
    return p !== undefined && p !== from;
  }, opts.waitMs ?? 20_000, 50);
  if (ok) {
    rec.toNode = haPrimaryOf(plan, paths);
    rec.newPrimaryAtMs = Date.now();
  }
  state.failovers = [...(state.failovers ?? []), rec];
  writeLabState(paths, state);
  writeFacts(plan, paths, state);
  return rec;
}

/** undo every failover not yet restored: restart keepalived / set ha- up again on the old primary */
export async function restoreRouter(opts: { stateDir?: string } = {}): Promise<FailoverRecord[]> {
  const paths = labPaths(resolveStateDir(opts.stateDir));
  const state = requireLabUp(paths);
  const plan = planOfState(state);
  const r = plan.router;
  const done: FailoverRecord[] = [];
  for (const rec of state.failovers ?? []) {
    if (rec.restoredAtMs) continue;
    const holder = state.nodes[rec.fromNode].holderPid!;
    if (rec.how === 'kill-keepalived') {
      const pidFile = path.join(paths.nodeDir(rec.fromNode), 'neutron', 'ha_confs', `${r.id}.pid.keepalived`);
      const running = (): boolean => {
        const pid = readNodePid(pidFile, holder);
        return pid !== undefined && isAlive(pid);
      };
      // SIGTERM makes keepalived shut down gracefully (drop its VIPs, wait for its children): until it
      // has exited its pid is still alive, and deciding then left the node with no keepalived at all
      if (rec.killedPid !== undefined) await waitFor(() => !isAlive(rec.killedPid!), 10_000);
      if (!running()) {
        await nodeScript(holder, `rm -f ${HA_CONFS}/${r.id}.pid.keepalived*\n${renderKeepalivedCommand(plan)}\n`, 'restart keepalived');
        // keepalived daemonizes before it writes its pid file: restore returns once the node really has it back
        if (!(await waitFor(running, 10_000))) throw new HaprobeError('lab', `restore: keepalived on ${rec.fromNode} did not come back within 10 s`, { where: pidFile });
      }
    } else {
      await nodeScript(holder, `ip -n ${haNamespace(plan)} link set ${r.ha[rec.fromNode].device} up\n`, 'ha- link up');
    }
    rec.restoredAtMs = Date.now();
    done.push(rec);
  }
  writeLabState(paths, state);
  writeFacts(plan, paths, state);
  return done;
}
