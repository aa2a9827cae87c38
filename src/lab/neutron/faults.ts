import * as fs from 'node:fs';
import * as path from 'node:path';
import { HaprobeError } from '../../errors';
import { waitFor } from '../ha-state';
import { nodeArgv, nodeScript, runArgv, tryNodeScript } from '../shell';
import { routerAgents } from './build';
import { setFloatingIpPort } from './fip';
import { neutronLabPaths, upNeutronStateDir } from './names';
import { startAgent } from './nodes';
import { readNeutronState, writeNeutronState, type NeutronFaultRecord } from './state';
import { topologyOf } from './topology';
import { openLabApi, readStateFiles } from './up';
import { BRTUN_FAULTS } from './faults-brtun';
import type { NeutronFaultCtx, NeutronFaultSpec } from './fault-spec';
import type { FaultListing } from '../fault-spec';

/**
 * Faults of the real engine made the way they happen on a cloud (issue 16): the real L3 agent
 * killed or restarted in the middle of a change, keepalived SIGHUPed in a storm, a qrouter
 * namespace deleted under the agent, a floating IP associated while the L3 agent is down. Nothing
 * is emulated: each fault acts on the real processes (by the pid they wrote) or through the
 * Neutron API, and records what it observed; `heal` restarts what was stopped and waits on real
 * state (agent started, the floating IP answers again), never a fixed sleep. See
 * docs/real-engine-faults.md for what haprobe says about each.
 */

const PID_RE = /^\d{1,9}$/;

function holderOf(ctx: NeutronFaultCtx, node: string): number {
  const h = ctx.state.nodes[node]?.holderPid;
  if (!h) throw new HaprobeError('usage', `unknown real-engine lab node ${node}`, { hint: Object.keys(ctx.state.nodes).join(', ') });
  return h;
}

/** the node a fault acts on: --node, else the HA primary, else the first L3 agent hosting the router */
async function targetNode(ctx: NeutronFaultCtx): Promise<string> {
  if (ctx.node) {
    holderOf(ctx, ctx.node);
    return ctx.node;
  }
  const rid = ctx.state.resources.routerId!;
  const agents = await routerAgents(ctx.api, rid);
  const files = readStateFiles(ctx.p, agents.map((a) => a.host), rid);
  const primary = Object.entries(files).find(([, s]) => s === 'primary')?.[0];
  const host = primary ?? agents.find((a) => a.agent_type === 'L3 agent')?.host;
  if (!host) throw new HaprobeError('lab', `no L3 agent hosts router ${rid}`);
  return host;
}

function agentLog(ctx: NeutronFaultCtx, node: string): string {
  return path.join(ctx.p.nodeDir(node), 'log', 'neutron-l3-agent.log');
}

function logSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function logSince(file: string, offset: number): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(Math.max(0, size - offset));
      fs.readSync(fd, buf, 0, buf.length, offset);
      return buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** pid (in the node's PID namespace) of a pid file under the node's /var/lib/neutron */
function pidFileOf(ctx: NeutronFaultCtx, node: string, rel: string): string {
  const file = path.join(ctx.p.nodeDir(node), 'neutron', rel);
  const pid = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '';
  if (!PID_RE.test(pid)) throw new HaprobeError('lab', `no pid in ${file}`);
  return pid;
}

async function signalInNode(ctx: NeutronFaultCtx, node: string, pid: string, sig: 'KILL' | 'TERM' | 'HUP'): Promise<void> {
  if (!PID_RE.test(pid)) throw new HaprobeError('lab', `bad pid ${pid}`);
  await nodeScript(holderOf(ctx, node), `kill -${sig} ${pid}\n`, `kill -${sig} ${pid} on ${node}`);
}

async function isRunningInNode(ctx: NeutronFaultCtx, node: string, pid: string): Promise<boolean> {
  return (await tryNodeScript(holderOf(ctx, node), `kill -0 ${pid} 2>/dev/null\n`)).code === 0;
}

/** SIGKILL (or TERM) the node's L3 agent by its pid file and wait until it is gone */
async function stopL3Agent(ctx: NeutronFaultCtx, node: string, sig: 'KILL' | 'TERM'): Promise<string> {
  const pid = pidFileOf(ctx, node, 'l3-agent.pid');
  await signalInNode(ctx, node, pid, sig);
  if (!(await waitFor(async () => !(await isRunningInNode(ctx, node, pid)), 60_000, 200))) {
    throw new HaprobeError('lab', `the L3 agent of ${node} (pid ${pid}) did not stop on SIG${sig}`);
  }
  return pid;
}

/** start the node's L3 agent again and wait until its log says it started (the API's `alive` lags by up to agent_down_time) */
async function startL3Agent(ctx: NeutronFaultCtx, node: string): Promise<void> {
  const n = topologyOf(ctx.state.profile).nodes.find((x) => x.name === node);
  if (!n?.agentMode) throw new HaprobeError('lab', `${node} runs no L3 agent`);
  const log = agentLog(ctx, node);
  const from = logSize(log);
  await startAgent(ctx.api, n, holderOf(ctx, node), 'l3');
  if (!(await waitFor(() => /L3 agent started/.test(logSince(log, from)), 180_000, 500))) {
    throw new HaprobeError('lab', `the L3 agent of ${node} did not log "L3 agent started" within 180 s`, { where: log });
  }
}

async function fipAnswers(ctx: NeutronFaultCtx): Promise<boolean> {
  const up = ctx.state.nodes.upstream?.holderPid;
  if (!up || !ctx.state.resources.fip) return false;
  return (await runArgv(nodeArgv(up, ['ping', '-c', '1', '-W', '1', ctx.state.resources.fip]), '', 5_000)).code === 0;
}

async function waitFip(ctx: NeutronFaultCtx, answers: boolean, timeoutMs: number): Promise<boolean> {
  return waitFor(async () => (await fipAnswers(ctx)) === answers, timeoutMs, 1000);
}

/** wait for `Starting router update for <id>` in the agent log after `from`; true if it came */
async function waitUpdateStarted(log: string, from: number, routerId: string, timeoutMs: number): Promise<boolean> {
  return waitFor(() => logSince(log, from).includes(`Starting router update for ${routerId}`), timeoutMs, 50);
}

function updateFinished(log: string, from: number, routerId: string): boolean {
  return new RegExp(`Finished a router update for ${routerId}`).test(logSince(log, from));
}

/** disassociate the lab's FIP and wait until it stops answering (the agents processed it) */
async function disassociateAndWait(ctx: NeutronFaultCtx): Promise<void> {
  await setFloatingIpPort(ctx.api, ctx.state.resources.fip!, null);
  if (!(await waitFip(ctx, false, 180_000))) throw new HaprobeError('lab', `floating IP ${ctx.state.resources.fip} still answers 180 s after its disassociation`);
}

function rec(name: string, node: string, subject: string, detail: NeutronFaultRecord['detail']): NeutronFaultRecord {
  return { name, node, subject, appliedAt: new Date().toISOString(), detail };
}

/** heal of the faults that leave the L3 agent stopped: start it, wait for the FIP to answer */
async function restartAndWaitFip(ctx: NeutronFaultCtx, r: NeutronFaultRecord): Promise<void> {
  await startL3Agent(ctx, r.node);
  if (!(await waitFip(ctx, true, 300_000))) throw new HaprobeError('lab', `floating IP ${ctx.state.resources.fip} does not answer 300 s after the L3 agent of ${r.node} restarted`);
}

export const NEUTRON_FAULTS: readonly NeutronFaultSpec[] = [
  {
    name: 'l3-agent-killed-mid-fip',
    description: 'SIGKILL the L3 agent of the primary as soon as it logs the start of the router update a FIP association caused (the FIP is first disassociated, then associated again)',
    heal: 'start the L3 agent again; wait until the FIP answers',
    async apply(ctx) {
      const node = await targetNode(ctx);
      const rid = ctx.state.resources.routerId!;
      await disassociateAndWait(ctx);
      const log = agentLog(ctx, node);
      const from = logSize(log);
      const t = Date.now();
      await setFloatingIpPort(ctx.api, ctx.state.resources.fip!, ctx.state.resources.instancePortId!);
      const started = await waitUpdateStarted(log, from, rid, 60_000);
      const pid = await stopL3Agent(ctx, node, 'KILL');
      return rec('l3-agent-killed-mid-fip', node, `router ${rid} on ${node}`, {
        killedPid: Number(pid), updateStartedBeforeKill: started, updateFinishedBeforeKill: updateFinished(log, from, rid), killAfterApiMs: Date.now() - t,
        fipAnswersAfterKill: await fipAnswers(ctx),
      });
    },
    undo: restartAndWaitFip,
  },
  {
    name: 'l3-agent-restarted-mid-router',
    description: 'create a second router (router2, the profile\'s kind, gateway on ext-net) and SIGTERM + start the L3 agent of the primary as soon as it starts processing it',
    heal: 'delete router2; wait until no node has its qrouter namespace',
    async apply(ctx) {
      const node = await targetNode(ctx);
      const log = agentLog(ctx, node);
      const from = logSize(log);
      const mode = topologyOf(ctx.state.profile).routerMode;
      const { router } = await ctx.api.neutronRequest<{ router: { id: string } }>('POST', '/routers', {
        router: { name: 'router2', external_gateway_info: { network_id: ctx.state.resources.extNetId }, ha: mode === 'ha' || mode === 'dvr-ha', distributed: mode === 'dvr' || mode === 'dvr-ha' },
      });
      const started = await waitUpdateStarted(log, from, router.id, 120_000);
      const finished = updateFinished(log, from, router.id);
      const pid = await stopL3Agent(ctx, node, 'TERM');
      const from2 = logSize(log);
      await startL3Agent(ctx, node);
      // real state after the restart: the agent processed router2 again (full sync)
      const resynced = await waitFor(() => updateFinished(log, from2, router.id), 300_000, 1000);
      return rec('l3-agent-restarted-mid-router', node, `router ${router.id} on ${node}`, {
        router2Id: router.id, stoppedPid: Number(pid), updateStartedBeforeStop: started, updateFinishedBeforeStop: finished, router2ProcessedAfterRestart: resynced,
      });
    },
    async undo(ctx, r) {
      const id = String(r.detail.router2Id);
      if (!/^[0-9a-f-]{36}$/.test(id)) throw new HaprobeError('lab', `bad router id ${id}`);
      await ctx.api.neutronRequest('DELETE', `/routers/${id}`).catch((e: unknown) => {
        if (!/404|not found/i.test(e instanceof Error ? e.message : String(e))) throw e;
      });
      const nodes = Object.keys(ctx.state.nodes).filter((n) => n !== 'upstream');
      const gone = await waitFor(async () => {
        for (const n of nodes) if ((await tryNodeScript(holderOf(ctx, n), `test -e /run/netns/qrouter-${id}\n`)).code === 0) return false;
        return true;
      }, 180_000, 1000);
      if (!gone) throw new HaprobeError('lab', `qrouter-${id} still exists 180 s after router2 was deleted`);
    },
  },
  {
    name: 'keepalived-sighup-storm',
    description: 'SIGHUP the primary\'s keepalived 20 times, 100 ms apart (what a burst of FIP changes does: the agent rewrites keepalived.conf and SIGHUPs it each time, LP #1647432)',
    heal: 'nothing to undo; waits until the FIP answers',
    async apply(ctx) {
      const node = await targetNode(ctx);
      const rid = ctx.state.resources.routerId!;
      // neutron's ProcessManager(service='keepalived', pids_path=ha_confs): <ha_confs>/<router>.pid.keepalived
      const pid = pidFileOf(ctx, node, path.join('ha_confs', `${rid}.pid.keepalived`));
      const before = readStateFiles(ctx.p, [node], rid)[node] ?? 'none';
      await nodeScript(holderOf(ctx, node), `for i in $(seq 20); do kill -HUP ${pid}; sleep 0.1; done\n`, `SIGHUP storm on ${node}`);
      return rec('keepalived-sighup-storm', node, `keepalived ${pid} of router ${rid} on ${node}`, {
        keepalivedPid: Number(pid), signals: 20, stateBefore: before, keepalivedAliveAfter: await isRunningInNode(ctx, node, pid),
        fipAnswersAfter: await fipAnswers(ctx),
      });
    },
    async undo(ctx) {
      if (!(await waitFip(ctx, true, 120_000))) throw new HaprobeError('lab', `floating IP ${ctx.state.resources.fip} does not answer 120 s after the SIGHUP storm`);
    },
  },
  {
    name: 'qrouter-namespace-deleted',
    description: 'ip netns delete qrouter-<router> on the primary under the running agent (its keepalived and devices live on in the now unnamed namespace)',
    heal: 'restart the L3 agent (its full sync rebuilds the router); wait until the namespace is back and the FIP answers',
    async apply(ctx) {
      const node = await targetNode(ctx);
      const rid = ctx.state.resources.routerId!;
      await nodeScript(holderOf(ctx, node), `ip netns delete qrouter-${rid}\n`, `delete qrouter-${rid} on ${node}`);
      return rec('qrouter-namespace-deleted', node, `qrouter-${rid} on ${node}`, { fipAnswersAfter: await fipAnswers(ctx) });
    },
    async undo(ctx, r) {
      const rid = ctx.state.resources.routerId!;
      await stopL3Agent(ctx, r.node, 'TERM');
      await startL3Agent(ctx, r.node);
      const back = await waitFor(async () => (await tryNodeScript(holderOf(ctx, r.node), `test -e /run/netns/qrouter-${rid}\n`)).code === 0, 300_000, 1000);
      if (!back) throw new HaprobeError('lab', `qrouter-${rid} not back on ${r.node} 300 s after the L3 agent restarted`);
      if (!(await waitFip(ctx, true, 300_000))) throw new HaprobeError('lab', `floating IP ${ctx.state.resources.fip} does not answer after the resync`);
    },
  },
  {
    name: 'fip-while-l3-agent-down',
    description: 'disassociate the FIP, SIGKILL the primary\'s L3 agent, then associate the FIP through the API while it is down',
    heal: 'start the L3 agent again; wait until the FIP answers',
    async apply(ctx) {
      const node = await targetNode(ctx);
      await disassociateAndWait(ctx);
      const pid = await stopL3Agent(ctx, node, 'KILL');
      await setFloatingIpPort(ctx.api, ctx.state.resources.fip!, ctx.state.resources.instancePortId!);
      // the other agents (backup, DVR compute) process the association: wait until they logged it, then look
      const others = Object.keys(ctx.state.nodes).filter((n) => n !== node && n !== 'upstream' && topologyOf(ctx.state.profile).nodes.find((x) => x.name === n)?.agentMode);
      return rec('fip-while-l3-agent-down', node, `floating IP ${ctx.state.resources.fip} (L3 agent of ${node} down)`, {
        killedPid: Number(pid), otherL3Agents: others.join(','), fipAnswersAfter: await fipAnswers(ctx),
      });
    },
    undo: restartAndWaitFip,
  },
  // issue 12, §7 row 14 (faults-brtun.ts)
  ...BRTUN_FAULTS,
];

/** the real engine's faults that reproduce a §7 row, as rows of `haprobe lab faults` (issue 12) */
export function listNeutronEngineFaults(): FaultListing[] {
  return NEUTRON_FAULTS.filter((f) => f.bug && f.check).map((f) => ({
    name: f.name, aliases: [], row: f.bug!.row, bugs: f.bug!.refs, check: f.check!, subject: f.subject ?? 'node', how: f.bug!.how,
    needs: `the real engine (lab up --engine neutron, a profile with an HA router; lab fault ${f.name} --engine neutron)`, description: f.description,
  }));
}

export function neutronFaultNames(): string[] {
  return NEUTRON_FAULTS.map((f) => f.name);
}

function specOf(name: string): NeutronFaultSpec {
  const f = NEUTRON_FAULTS.find((x) => x.name === name);
  if (!f) throw new HaprobeError('usage', `unknown real-engine fault "${name}"`, { hint: neutronFaultNames().join(', ') });
  return f;
}

async function ctxOf(stateDir: string | undefined, node?: string): Promise<NeutronFaultCtx & { save(): void }> {
  const p = neutronLabPaths(upNeutronStateDir(stateDir));
  const state = readNeutronState(p);
  if (!state || state.phase !== 'up') throw new HaprobeError('lab', `no real-engine lab is up in ${p.stateDir}`, { hint: 'haprobe lab up --engine neutron --profile neutron-l3ha' });
  const api = await openLabApi();
  return { api, state, p, node, save: () => writeNeutronState(p, state) };
}

/** `haprobe lab fault <name> --engine neutron` */
export async function applyNeutronFault(o: { stateDir?: string; name: string; node?: string }): Promise<NeutronFaultRecord> {
  const spec = specOf(o.name);
  const ctx = await ctxOf(o.stateDir, o.node);
  if ((ctx.state.faults ?? []).some((f) => f.name === spec.name)) throw new HaprobeError('usage', `fault ${spec.name} is already applied`, { hint: `haprobe lab heal ${spec.name} --engine neutron` });
  const r = await spec.apply(ctx);
  ctx.state.faults = [...(ctx.state.faults ?? []), r];
  ctx.save();
  return r;
}

/** `haprobe lab heal [name] --engine neutron`: undo one fault or all, newest first */
export async function healNeutronFaults(o: { stateDir?: string; name?: string }): Promise<NeutronFaultRecord[]> {
  const ctx = await ctxOf(o.stateDir);
  const todo = [...(ctx.state.faults ?? [])].reverse().filter((f) => o.name === undefined || f.name === o.name);
  if (o.name !== undefined && todo.length === 0) specOf(o.name);
  const healed: NeutronFaultRecord[] = [];
  for (const f of todo) {
    await specOf(f.name).undo(ctx, f);
    ctx.state.faults = (ctx.state.faults ?? []).filter((x) => x !== f && !(x.name === f.name && x.appliedAt === f.appliedAt));
    ctx.save();
    healed.push(f);
  }
  return healed;
}
