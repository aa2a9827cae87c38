import { HaprobeError } from '../errors';
import type { Inventory, InventoryNode } from '../inventory/types';
import type { Facts, FactsRouter } from '../model/facts';
import type { ResolvedProfile } from '../profile/types';
import type { DrillEvent, DrillResult } from '../result/run-result';
import type { StreamHandle, Transport } from '../transport/types';
import { classifyArp, isGarp } from '../capture/classify';
import { formatCaptureSpec, startLiveCapture, type SourceResult } from '../capture/live';
import { openNodePool } from './open-node-pool';
import type { CapturedFrame } from '../capture/types';
import { planCapturePoints } from './capture-points';
import { replaceDownBridges } from './replace-down-bridges';
import { deviceFor } from './plan-announcer';
import { computePingOutage, type PingOutage, type PingReply } from './ping-outage';
import { startUpstreamPing } from './upstream-ping';
import { measureClockOffsets } from './clock-offset';
import { correctTs, describeOffsets, offsetOf, type NodeClockOffset } from './estimate-offset';
import { buildAliveByPidFileCommand, buildKillByPidFileCommand, buildLinkSetCommand } from './drill-commands';
import { DEFAULT_NEUTRON_STATE_PATH, primariesOf, readHaStates, type HaNodeState, type HaProbeTarget } from './read-ha-states';
import { collectFlaps, dateTakeoverByGarp, faultStartLag, judgeDrill, lateFaultNote, type DrillCancel, type DrillFlap } from './judge-drill';
import { abortReasonOf, sleepOrAbort, untilAborted, waitUntil } from './abortable';

/**
 * `drill failover`: break the primary of an L3 HA router on purpose and measure, on a time axis
 * starting at the fault: when another node became primary (state file + primary VIP on ha-,
 * polled over SSH), when it sent its first G-ARP (outbound capture on every instance's qg-),
 * and the outage a continuous ping from the upstream to a FIP behind the router saw. Restores
 * what it changed and says what it did — also when cancelled after the fault or when an error
 * ends the watch; cancelled before the fault (opts.signal), it injects nothing (issue 8).
 * The verdict is judgeDrill's (pure); this function is the loop that injects, captures, restores.
 */

export type DrillFault = 'kill-keepalived' | 'link-down' | 'stop-node';
export const DRILL_FAULTS: readonly DrillFault[] = ['kill-keepalived', 'link-down', 'stop-node'];

/**
 * The fault-injector port: how a drill fails the router's primary and undoes it afterwards. Over SSH
 * on any node (sshRouterFaultInjector, the default); on the hand-built lab through the lab's own API,
 * which records the failover so its restore knows what to undo (labRouterFaultInjector, in
 * garp/lab-adapter.ts, garp's one door into src/lab).
 */
/** what an injector knows of when its fault ran on the node (SSH: the transport's runningAtMs) */
export interface FaultInjected {
  runningAtMs?: number;
}

export interface RouterFaultInjector {
  inject(t: FaultTarget): Promise<FaultInjected | void>;
  /** what was undone, in order; what could not be undone is added to warnings */
  restore(t: FaultTarget, warnings: string[]): Promise<string[]>;
}

export interface DrillOptions {
  inventory: Inventory;
  facts: Facts;
  profile: Pick<ResolvedProfile, 'id' | 'garp'>;
  router?: string;
  fault: DrillFault;
  fip?: string;
  via: 'lab' | 'ssh';
  stateDir?: string;
  statePath?: string;
  /** state poll period, ms (default 200) */
  pollMs?: number;
  /** ping interval, ms (default 200) */
  pingIntervalMs?: number;
  /** how long to watch after the fault at most, ms (default budget + 10 s) */
  watchMs?: number;
  /** keep the raw pcap stream of every capture point here */
  pcapDir?: string;
  /** cancel: before the fault nothing is injected; after it the watch ends and the fault is restored */
  signal?: AbortSignal;
}

export interface DrillDeps {
  transportFor: (node: InventoryNode) => Transport;
  /** default: over SSH (sshRouterFaultInjector) */
  injector?: RouterFaultInjector;
  progress?: (line: string) => void;
}

export interface DrillOutcome {
  drill: DrillResult;
  /** what the restore step did, in order */
  restored: string[];
  /** primaries after the restore (one expected) */
  primariesAfterRestore: string[];
  ping?: PingOutage & { fip: string; from: string };
  /** G-ARPs (any router address, qg- MAC) from each node's qg- after the fault */
  garps: { node: string; tMs: number; ip: string }[];
  sources: SourceResult[];
  warnings: string[];
  /**
   * clock of each capture node and of the upstream (ping -D) against the local one, measured once
   * before the fault; G-ARP and ping times are on the local clock (node offset subtracted)
   */
  clockOffsets: NodeClockOffset[];
  /** set when the drill was cancelled (then drill.verdict is 'fail' and its message says so) */
  cancelled?: DrillCancel;
  /** nodes other than the final primary that G-ARPed the router's addresses after the fault (issue 12) */
  flaps: DrillFlap[];
  /** why the client's outage was longer than the takeover, or the L2 flap seen (judgeDrill) */
  explanation: string[];
  /** the primary when the watch ended, before the restore */
  finalPrimary?: string;
  /** how the table names the HA unit, its role and the announcing device (default: a Neutron router, primary, qg-) */
  words?: DrillWords;
}

/** the words of a drill's table: Neutron routers by default, nova-network's hot standby pair (issue 9) */
export interface DrillWords {
  /** put before the unit's label ("router "), or nothing when the label names itself */
  unit: string;
  /** the member holding the role: "primary", "active network host" */
  role: string;
  /** the device G-ARPs come from: "qg-", "public_interface eth0" */
  garpFrom: string;
}

export const NEUTRON_DRILL_WORDS: DrillWords = { unit: 'router ', role: 'primary', garpFrom: 'qg-' };

/** the HA router of the drill: --router, else the only HA router of the facts */
export function pickHaRouter(facts: Facts, id?: string): FactsRouter {
  const ha = facts.routers.filter((r) => r.mode === 'ha');
  const r = id !== undefined ? facts.routers.find((x) => x.id === id) : ha.length === 1 ? ha[0] : undefined;
  if (!r) {
    throw new HaprobeError('usage', id !== undefined ? `unknown router ${id}` : `give --router: ${ha.length} L3 HA routers in the facts`, {
      where: '--router', hint: ha.map((x) => x.id).join(', ') || 'no L3 HA router in the facts',
    });
  }
  if (r.mode !== 'ha') throw new HaprobeError('usage', `router ${r.id} is ${r.mode}, a failover drill needs an L3 HA router`, { where: '--router' });
  return r;
}

/** one line saying what the drill would do (shown when --yes-i-mean-it is missing) */
export function describeDrill(routerId: string, fault: DrillFault, via: string): string {
  const what: Record<DrillFault, string> = {
    'kill-keepalived': 'kill the keepalived of the current primary (by the pid in its pid file)',
    'link-down': "set the primary's ha- device down in its qrouter namespace",
    'stop-node': "stop the primary's keepalived and set its ha- device down",
  };
  return `would ${what[fault]} of router ${routerId} (via ${via}), measure the failover, then restore it`;
}

export async function drillFailover(opts: DrillOptions, deps: DrillDeps): Promise<DrillOutcome> {
  const progress = deps.progress ?? (() => undefined);
  const warnings: string[] = [];
  const router = pickHaRouter(opts.facts, opts.router);
  const budgetMs = Math.round((opts.profile.garp.failoverBudgetSeconds ?? 60) * 1000);
  const statePath = opts.statePath ?? DEFAULT_NEUTRON_STATE_PATH;
  const injector = deps.injector ?? sshRouterFaultInjector(opts.fault);
  if (router.haVrId === undefined) throw new HaprobeError('facts', `router ${router.id} has no haVrId`, { where: 'facts.routers' });
  const vip = `169.254.0.${router.haVrId}`;
  const gw = opts.facts.ports.find((p) => p.deviceOwner === 'network:router_gateway' && (p.deviceId === undefined || p.deviceId === router.id));
  if (!gw) throw new HaprobeError('facts', `router ${router.id} has no network:router_gateway port`, { where: 'facts.ports' });
  const qgMac = gw.mac.toLowerCase();
  const routerIps = new Set([...(router.gatewayIp ? [router.gatewayIp] : []), ...gw.fixedIps, ...opts.facts.floatingIps.filter((f) => f.routerId === router.id).map((f) => f.floatingIp)]);
  const fip = opts.fip ?? opts.facts.floatingIps.find((f) => f.routerId === router.id)?.floatingIp;
  const ns = `qrouter-${router.id}`;

  const nodes = openNodePool(opts.inventory, deps.transportFor, opts.pcapDir);
  const { transportOf, sudoOf } = nodes;
  const haDev = (node: string): string | undefined => {
    const p = opts.facts.ports.find((x) => x.deviceOwner === 'network:router_ha_interface' && x.host === node);
    return p ? deviceFor('ha-', p.id) : undefined;
  };
  const targets: HaProbeTarget[] = router.hosts.map((n) => ({ node: n, transport: transportOf(n), sudo: sudoOf(n), haDevice: haDev(n) }));
  const poll = (): Promise<HaNodeState[]> => readHaStates(targets, router.id, { statePath, vip });
  const events: DrillEvent[] = [];
  const restored: string[] = [];
  const startedAt = new Date().toISOString();

  try {
    const initial = await poll();
    const primaries = primariesOf(initial);
    if (primaries.length !== 1) {
      throw new HaprobeError('usage', `router ${router.id} must have exactly one primary before a drill, found ${primaries.length} (${initial.map((s) => `${s.node}=${s.state ?? s.error ?? '?'}${s.hasVip ? '+VIP' : ''}`).join(' ')})`, { where: 'drill failover' });
    }
    const oldPrimary = primaries[0];
    const oldHa = haDev(oldPrimary);
    if ((opts.fault === 'link-down' || opts.fault === 'stop-node') && !oldHa) throw new HaprobeError('facts', `no ha- port for ${oldPrimary} in the facts`, { where: 'facts.ports' });
    progress(`router ${router.id}: primary ${oldPrimary}; budget ${budgetMs} ms`);

    // G-ARPs: outbound on every instance's qg- (who sent it), br-ex for the wire
    // a br-ex that is down (the real agents never set it up) is captured on its uplink instead
    const points = await replaceDownBridges(
      planCapturePoints({ candidates: router.hosts.map((n) => ({ node: n, namespace: ns, device: deviceFor('qg-', gw.id), mac: qgMac })), wireDevice: 'br-ex' }),
      transportOf, sudoOf, (l) => { warnings.push(l); progress(l); },
    );
    for (const p of points) nodes.keepPcap(p);
    // frame and ping times come from the nodes' clocks, the fault from ours: put them on one clock
    const up = opts.facts.upstream;
    const pingNode = fip && up?.node && nodes.has(up.node) ? up.node : undefined;
    const clockOffsets = await measureClockOffsets([...points.map((p) => p.node), ...(pingNode ? [pingNode] : [])].map((n) => ({ node: n, transport: transportOf(n) })));
    for (const l of describeOffsets(clockOffsets)) progress(l);
    const garpFrames: CapturedFrame[] = [];
    let faultTs = Number.POSITIVE_INFINITY;
    const cap = startLiveCapture({
      sources: points.map((p) => ({ node: p.node, transport: transportOf(p.node), target: p.target, sudo: sudoOf(p.node) })),
      onFrame: (raw) => {
        const f = correctTs(raw, offsetOf(clockOffsets, raw.node));
        const c = classifyArp(f, { watchedIps: [...routerIps] });
        if (!isGarp(c) || !c?.ip || !routerIps.has(c.ip) || c.mac !== qgMac) return;
        garpFrames.push(f);
        if (f.ts >= faultTs) progress(`+${Math.round((f.ts - faultTs) * 1000)} ms G-ARP ${c.ip} at ${f.node} ${f.device}`);
      },
    });
    const originDevice = formatCaptureSpec({ namespace: ns, device: deviceFor('qg-', gw.id) });

    // continuous ping from the upstream
    const replies: PingReply[] = [];
    const pingInterval = opts.pingIntervalMs ?? 200;
    let ping: StreamHandle | undefined;
    if (fip && up?.node && pingNode) {
      ping = await startUpstreamPing(transportOf(up.node), { target: fip, intervalMs: pingInterval, namespace: up.namespace, sudo: sudoOf(up.node), offsetMs: offsetOf(clockOffsets, pingNode) }, replies);
    } else warnings.push(fip ? `upstream node ${up?.node ?? '(none in facts)'} not in the inventory: no outage measured` : `router ${router.id} has no floating IP: no outage measured`);

    let newPrimary: string | undefined;
    let newPrimaryAt: number | undefined;
    let faultAt = 0;
    const signal = opts.signal;
    const faultTarget = { router: router.id, node: oldPrimary, transport: transportOf(oldPrimary), sudo: sudoOf(oldPrimary), haDevice: oldHa, statePath, ns };
    let injected = false;
    let faulting: Promise<void> | undefined;
    try {
      await Promise.race([cap.ready, sleepOrAbort(15_000), untilAborted(signal)]);
      if (ping && !signal?.aborted) {
        const ok = await waitUntil(() => replies.length >= 3 || signal?.aborted === true, 5000);
        if (!ok) warnings.push(`ping ${fip} from ${up?.node}: no reply before the fault`);
      }
      // the last moment a cancel keeps the cloud untouched
      if (signal?.aborted) throw new CancelledBeforeFault();
      faultAt = Date.now();
      faultTs = faultAt / 1000;
      events.push({ tMs: 0, kind: 'fault', node: oldPrimary, detail: `${opts.fault} on ${oldPrimary}` });
      progress(`fault: ${opts.fault} on ${oldPrimary}`);
      injected = true;
      // the fault happened when its command ran on the node (over SSH seconds after the request on a
      // loaded node): once the injector says when, count every time from then (faultStartLag)
      faulting = injector.inject(faultTarget).then((r) => {
        const lagMs = faultStartLag(faultAt, r?.runningAtMs);
        if (lagMs === 0) return;
        faultAt += lagMs;
        faultTs = faultAt / 1000;
        for (const e of events) if (e.kind !== 'fault') e.tMs = Math.max(0, e.tMs - lagMs);
        const late = lateFaultNote(oldPrimary, lagMs);
        if (late) {
          warnings.push(late);
          progress(late);
        }
      });
      let faultError: unknown;
      faulting.catch((e) => (faultError = e));
      const watchMs = opts.watchMs ?? budgetMs + 10_000;
      for (;;) {
        if (faultError) throw faultError;
        if (signal?.aborted) {
          progress(`cancelled (${abortReasonOf(signal)}) ${Date.now() - faultAt} ms after the fault: restoring`);
          break;
        }
        const now = Date.now();
        if (!newPrimary) {
          const st = await poll();
          const p = primariesOf(st).filter((n) => n !== oldPrimary);
          if (p.length >= 1) {
            newPrimary = p[0];
            newPrimaryAt = Date.now();
            events.push({ tMs: newPrimaryAt - faultAt, kind: 'new-primary', node: newPrimary, detail: `state ${st.find((s) => s.node === newPrimary)?.state} and ${vip} on ha-` });
            progress(`+${newPrimaryAt - faultAt} ms new primary ${newPrimary}`);
          }
        }
        const firstGarp = newPrimary ? garpFrames.find((f) => f.node === newPrimary && f.device === originDevice && f.ts >= faultTs) : undefined;
        const outage = ping ? computePingOutage(replies, faultTs, pingInterval, now / 1000) : undefined;
        const pingDone = !ping || (outage !== undefined && outage.firstAfter !== undefined) || (outage?.outageMs === 0 && now - faultAt > 3000);
        if (newPrimary && firstGarp && pingDone) {
          await sleepOrAbort(500);
          break;
        }
        if (now - faultAt > watchMs) break;
        await sleepOrAbort(opts.pollMs ?? 200, signal);
      }
      await faulting.catch(() => undefined);
    } catch (err) {
      // whatever ended the watch after the fault, undo the fault before reporting the error
      if (injected) {
        await faulting?.catch(() => undefined);
        const undone = await injector.restore(faultTarget, warnings);
        progress(`error after the fault; restored: ${undone.join('; ') || 'nothing'}${warnings.length ? ` (${warnings.join('; ')})` : ''}`);
      }
      if (!(err instanceof CancelledBeforeFault)) throw err;
    } finally {
      await cap.stop();
      if (ping) await ping.stop();
    }
    const sources = await cap.done;
    for (const r of sources) {
      if (r.error) warnings.push(r.error);
      else if (r.failure) warnings.push(`${r.node} ${r.device}: capture failed (${r.failure.reason}): ${r.failure.message}`);
      for (const w of r.warnings) if (!r.error?.endsWith(w)) warnings.push(`${r.node} ${r.device}: ${w}`);
    }
    if (!injected) {
      const cancelled: DrillCancel = { reason: abortReasonOf(signal), phase: 'before-fault' };
      const j = judgeDrill({ newPrimaryMs: null, firstGarpMs: null, cancelled }, budgetMs);
      progress(j.message);
      return {
        drill: { router: router.id, fault: `${opts.fault} ${oldPrimary} (not injected)`, startedAt, events, outageMs: null, newPrimaryMs: null, firstGarpMs: null, budgetMs, verdict: j.verdict, oldPrimary, message: j.message },
        restored: [], primariesAfterRestore: primaries, garps: [], sources, warnings, clockOffsets, cancelled, flaps: [], explanation: [],
      };
    }
    const cancelled: DrillCancel | undefined = signal?.aborted ? { reason: abortReasonOf(signal), phase: 'after-fault' } : undefined;
    const endTs = Date.now() / 1000;
    const after = garpFrames.filter((f) => f.ts >= faultTs);
    // a capture that never said "listening on" (or died) saw nothing: it is not evidence of silence
    const originWorked = sources.some((s) => s.device === originDevice && s.node === newPrimary && !s.failure && s.error === undefined);
    // without the new primary's own (outbound) capture, the first G-ARP on the wire (br-ex or the
    // uplink that replaced it) gives the time — not the sender: every node's wire sees it
    const fromWire = originWorked ? undefined : after.find((f) => f.device !== originDevice);
    const firstGarp = after.find((f) => f.node === newPrimary && f.device === originDevice) ?? fromWire;
    if (firstGarp) {
      const detail = `${firstGarp.arp?.spa} from ${firstGarp.arp?.sha} on ${firstGarp.device}${firstGarp === fromWire ? ` (seen on ${firstGarp.node}'s wire, not its own capture)` : ''}`;
      events.push({ tMs: Math.round((firstGarp.ts - faultTs) * 1000), kind: 'first-garp', node: firstGarp === fromWire ? newPrimary : firstGarp.node, detail });
    }
    let outage: PingOutage | undefined;
    if (ping && fip) {
      outage = computePingOutage(replies, faultTs, pingInterval, endTs);
      if (outage.lastBefore !== undefined && (outage.lost > 0 || outage.outageMs === null)) {
        events.push({ tMs: Math.round((outage.lastBefore - faultTs) * 1000 + pingInterval), kind: 'ping-lost', detail: `${outage.lost} ping(s) lost` });
      }
      if (outage.firstAfter !== undefined) events.push({ tMs: Math.round((outage.firstAfter - faultTs) * 1000), kind: 'ping-recovered' });
    }
    const newPrimaryMs = newPrimaryAt !== undefined ? Math.max(0, newPrimaryAt - faultAt) : null;
    const firstGarpMs = firstGarp ? Math.round((firstGarp.ts - faultTs) * 1000) : null;

    // who is primary now, before the restore: the first primary polled may have lost a race
    const beforeRestore = primariesOf(await poll()).filter((n) => n !== oldPrimary);
    const finalPrimary = beforeRestore.length === 1 ? beforeRestore[0] : newPrimary;
    const garps = after.filter((f) => f.device === originDevice).map((f) => ({ node: f.node ?? '', tMs: Math.round((f.ts - faultTs) * 1000), ip: f.arp?.spa ?? '' }));
    const flaps = collectFlaps(garps, finalPrimary);

    // restore, then wait for exactly one primary
    const restoreStart = Date.now();
    const done = await injector.restore(faultTarget, warnings);
    restored.push(...done);
    let finalStates = await poll();
    await waitUntil(async () => {
      finalStates = await poll();
      return primariesOf(finalStates).length === 1;
    }, 30_000, 300);
    const primariesAfter = primariesOf(finalStates);
    events.push({ tMs: Date.now() - faultAt, kind: 'restored', node: oldPrimary, detail: `${done.join('; ')}; primary now ${primariesAfter.join(', ') || 'none'}` });
    if (primariesAfter.length !== 1) warnings.push(`after restore ${primariesAfter.length} primaries (${primariesAfter.join(', ')}) after ${Date.now() - restoreStart} ms`);
    events.sort((a, b) => a.tMs - b.tMs);
    // keepalived G-ARPs the VIPs as it becomes MASTER, before the state file a poll over SSH reads (a loaded
    // real-engine run: G-ARP at 5040 ms, state poll at 11370 ms, failed against a 10 s budget)
    // only the new primary's own outbound capture names the sender; a wire frame dates nothing
    const timeline = { newPrimary, newPrimaryMs, firstGarpMs, cancelled, restored, finalPrimary, flaps, ...(outage ? { outageMs: outage.outageMs } : {}) };
    const dated = firstGarp === fromWire ? undefined : dateTakeoverByGarp(timeline,
      (who, garpMs, polledMs) => `${who} is dated primary by its first G-ARP at ${garpMs} ms (keepalived announces the router's addresses as it becomes MASTER); the state poll saw it at ${polledMs} ms`);
    const judgedRaw = judgeDrill(dated?.timeline ?? timeline, budgetMs);
    const judged = dated?.line ? { ...judgedRaw, explanation: [...judgedRaw.explanation, dated.line] } : judgedRaw;
    if (cancelled) progress(judged.message);

    const drill: DrillResult = {
      router: router.id,
      fault: `${opts.fault} ${oldPrimary}${opts.fault !== 'kill-keepalived' && oldHa ? `/${oldHa}` : ''}`,
      startedAt,
      events,
      outageMs: outage ? outage.outageMs : null,
      newPrimaryMs,
      firstGarpMs,
      budgetMs,
      verdict: judged.verdict,
      oldPrimary,
      message: judged.message,
    };
    if (newPrimary) drill.newPrimary = newPrimary;
    return {
      drill, restored, primariesAfterRestore: primariesAfter,
      ping: outage && fip && up?.node ? { ...outage, fip, from: up.node } : undefined,
      garps, sources, warnings, clockOffsets, ...(cancelled ? { cancelled } : {}), flaps, explanation: judged.explanation, ...(finalPrimary ? { finalPrimary } : {}),
    };
  } finally {
    await nodes.closeAll();
  }
}

/** thrown inside the drill to leave the watch when cancelled before anything was injected */
class CancelledBeforeFault extends Error {}

/** the primary the drill fails: its node, router, qrouter namespace and ha- device */
export interface FaultTarget {
  router: string;
  node: string;
  transport: Transport;
  sudo?: boolean;
  haDevice?: string;
  statePath: string;
  ns: string;
}

/** the node a drill acts on over SSH (a router's primary, a nova pair member) */
export type DrillNode = Pick<FaultTarget, 'node' | 'transport' | 'sudo'>;

/** run one fault or restore command on the node; a failure or non-zero exit is an error naming `what` and the node */
export async function sshRun(t: DrillNode, cmd: string, what: string): Promise<FaultInjected> {
  const r = await t.transport.exec(cmd, { sudo: t.sudo, timeoutMs: 15_000 });
  if (r.failure || r.exitCode !== 0) {
    throw new HaprobeError('internal', `${what} on ${t.node} failed: ${r.failure ? r.failure.message : `exit ${String(r.exitCode)} ${r.stderr.trim()}`}`);
  }
  return { runningAtMs: r.runningAtMs };
}

/** wait up to 75 s for the process the pid file names to be alive again (respawned by its supervisor) */
export function waitForPidFileAlive(t: DrillNode, pidFile: string): Promise<boolean> {
  return waitUntil(async () => (await t.transport.exec(buildAliveByPidFileCommand(pidFile), { sudo: t.sudo, timeoutMs: 5000 })).exitCode === 0, 75_000, 1000);
}

export function keepalivedPidFile(statePath: string, routerId: string): string {
  return `${statePath}/ha_confs/${routerId}.pid.keepalived`;
}

/** set the target's ha- device down or up in its qrouter namespace; says what it did */
export async function setHaLink(t: FaultTarget, state: 'down' | 'up'): Promise<string> {
  await sshRun(t, buildLinkSetCommand(t.ns, t.haDevice ?? '', state), `ha- link ${state}`);
  return `set ${t.haDevice} ${state} on ${t.node}`;
}

/** the drill's faults made over SSH, as on any real node; the restore waits for the L3 agent to respawn keepalived */
export function sshRouterFaultInjector(fault: DrillFault): RouterFaultInjector {
  return {
    async inject(t) {
      const kill = buildKillByPidFileCommand(keepalivedPidFile(t.statePath, t.router));
      const linkDown = buildLinkSetCommand(t.ns, t.haDevice ?? '', 'down');
      if (fault === 'kill-keepalived') return sshRun(t, kill, 'kill keepalived');
      if (fault === 'link-down') return sshRun(t, linkDown, 'ha- link down');
      return sshRun(t, `${kill}; ${linkDown}`, 'stop node');
    },
    async restore(t, warnings) {
      const done: string[] = [];
      try {
        if (fault !== 'kill-keepalived') done.push(await setHaLink(t, 'up'));
        if (fault !== 'link-down') {
          // neutron's process monitor respawns keepalived (check_child_processes_action = respawn)
          if (await waitForPidFileAlive(t, keepalivedPidFile(t.statePath, t.router))) done.push(`keepalived on ${t.node} was respawned by the L3 agent`);
          else warnings.push(`keepalived on ${t.node} did not come back within 75 s: restart the L3 agent there (haprobe does not start keepalived on a real node)`);
        }
      } catch (err) {
        warnings.push(`restore failed: ${(err as Error).message}`);
      }
      return done;
    },
  };
}
