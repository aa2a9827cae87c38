import { HaprobeError } from '../errors';
import type { DrillEvent, DrillPath, DrillResult } from '../result/run-result';
import type { StreamHandle, Transport } from '../transport/types';
import { quoteArgv } from '../transport/quote-shell';
import { inNamespace } from '../transport/in-namespace';
import { classifyArp, isGarp } from '../capture/classify';
import { startLiveCapture } from '../capture/live';
import type { CapturedFrame } from '../capture/types';
import { openNodePool } from './open-node-pool';
import { computePingOutage, type PingOutage, type PingReply } from './ping-outage';
import { startUpstreamPing } from './upstream-ping';
import { measureClockOffsets } from './clock-offset';
import { correctTs, describeOffsets, offsetOf } from './estimate-offset';
import { buildDefaultRouteProbeCommand, buildDefaultRouteReplaceCommand, buildRootLinksSetCommand, parseDefaultRoute } from './nova-drill-commands';
import { faultRanAt, type DrillCancel } from './judge-drill';
import { judgePathDrill, type PathObservation } from './judge-path-drill';
import { planNovaMultinicDrill, type NovaMultinicDrillPlan, type NovaMultinicPath } from './plan-multinic-drill';
import { abortReasonOf, sleepOrAbort, untilAborted, waitUntil } from './abortable';
import type { DrillDeps, DrillFault, DrillOptions, DrillOutcome, DrillWords } from './drill-failover';

/**
 * `drill failover` on a nova-network multi-NIC instance (facts: fixed IPs on two single-host
 * networks, a FIP each; issue 9, seed 000). There is no takeover in this design: the fault cuts
 * the network host of one path and the drill measures, from the upstream, what the design
 * promises — the FIP on the other network keeps answering — and what it does not: the cut FIP
 * stays down until its host is back. G-ARPs from both hosts' public_interface are captured (none
 * are expected: nothing moves). Faults: link-down (the cut network's flat_interface on its host:
 * the host is up, the path is not), stop-node (every interface of that host down: a dead host;
 * lab only, haprobe cannot power a real host back). Judged purely by judgePathDrill.
 */
export const NOVA_MULTINIC_FAULTS: readonly DrillFault[] = ['link-down', 'stop-node'];

const WORDS: DrillWords = { unit: '', role: 'network host', garpFrom: 'public_interface' };

/** the devices the fault sets down on the cut host */
function faultDevices(fault: DrillFault, plan: NovaMultinicDrillPlan): string[] {
  if (fault === 'link-down') return [plan.cut.flatInterface!];
  return [plan.publicInterface, ...plan.cutHostFlatInterfaces];
}

function checkFault(fault: DrillFault, via: string, plan: NovaMultinicDrillPlan): void {
  if (!NOVA_MULTINIC_FAULTS.includes(fault)) {
    throw new HaprobeError('usage', `--fault ${fault}: the multi-NIC design runs no cluster manager; take the network host of one path down with link-down (its network's flat_interface) or stop-node (all its interfaces, lab only)`, { where: '--fault' });
  }
  if (fault === 'stop-node' && via !== 'lab') throw new HaprobeError('usage', 'stop-node takes a host down: only --via lab (haprobe cannot power a real host back on)', { where: '--fault' });
  if (fault === 'link-down' && !plan.cut.flatInterface) throw new HaprobeError('facts', `network ${plan.cut.network} has no bridgeInterface (flat_interface)`, { where: 'facts.nova.networks' });
}

export function describeNovaMultinicDrill(opts: Pick<DrillOptions, 'facts' | 'fault' | 'fip' | 'via'>): string {
  const plan = planNovaMultinicDrill(opts.facts, opts.fip);
  checkFault(opts.fault, opts.via, plan);
  const what = opts.fault === 'link-down' ? `set ${plan.cut.flatInterface} (flat_interface of ${plan.cut.network}) down on ${plan.cut.host}` : `take every interface of ${plan.cut.host} down (${faultDevices(opts.fault, plan).join(', ')})`;
  return `would ${what} (via ${opts.via}), measure from the upstream that ${plan.instance}'s FIP ${plan.surviving.fip} on ${plan.surviving.network} (${plan.surviving.host}) stays reachable while ${plan.cut.fip} is cut, then restore it`;
}

const pingOnceCommand = (fip: string, namespace?: string): string => quoteArgv(inNamespace(namespace, ['ping', '-c', '1', '-W', '1', '--', fip]));

export async function drillNovaMultinicFailover(opts: DrillOptions, deps: Omit<DrillDeps, 'lab'>): Promise<DrillOutcome> {
  const progress = deps.progress ?? (() => undefined);
  const warnings: string[] = [];
  const plan = planNovaMultinicDrill(opts.facts, opts.fip);
  checkFault(opts.fault, opts.via, plan);
  const { cut, surviving } = plan;
  const budgetMs = Math.round((opts.profile.garp.failoverBudgetSeconds ?? 1) * 1000);
  const nodes = openNodePool(opts.inventory, deps.transportFor, opts.pcapDir);
  const { transportOf, sudoOf } = nodes;
  const label = `nova multi-NIC ${plan.instance}: ${cut.network} (${cut.host}) / ${surviving.network} (${surviving.host})`;
  const events: DrillEvent[] = [];
  const startedAt = new Date().toISOString();
  const hosts = [cut.host, surviving.host];
  const fips = [cut.fip, surviving.fip];
  try {
    const victim = transportOf(cut.host);
    const route = parseDefaultRoute((await victim.exec(buildDefaultRouteProbeCommand(), { sudo: sudoOf(cut.host), timeoutMs: 10_000 })).stdout);
    const up = opts.facts.upstream;
    const pingNode = up?.node && nodes.has(up.node) ? up.node : undefined;
    if (!pingNode) warnings.push(`upstream node ${up?.node ?? '(none in facts)'} not in the inventory: no path measured`);
    const clockOffsets = await measureClockOffsets([...hosts, ...(pingNode ? [pingNode] : [])].map((n) => ({ node: n, transport: transportOf(n) })));
    for (const l of describeOffsets(clockOffsets)) progress(l);
    progress(`${label}: cutting ${cut.fip} on ${cut.host}, watching ${surviving.fip} on ${surviving.host}; budget ${budgetMs} ms`);
    const frames: CapturedFrame[] = [];
    const cap = startLiveCapture({
      sources: hosts.map((n) => ({ node: n, transport: transportOf(n), target: { device: plan.publicInterface, direction: 'out' as const }, sudo: sudoOf(n) })),
      onFrame: (raw) => frames.push(correctTs(raw, offsetOf(clockOffsets, raw.node))),
    });
    const pingInterval = opts.pingIntervalMs ?? 200;
    const replies = new Map<string, PingReply[]>(fips.map((f) => [f, []]));
    const pings: StreamHandle[] = [];
    if (pingNode) {
      for (const f of fips) pings.push(await startUpstreamPing(transportOf(pingNode), { target: f, intervalMs: pingInterval, namespace: up?.namespace, sudo: sudoOf(pingNode), offsetMs: offsetOf(clockOffsets, pingNode) }, replies.get(f)!));
    }
    const signal = opts.signal;
    let faultAt = 0;
    let cancelled: DrillCancel | undefined;
    try {
      await Promise.race([cap.ready, sleepOrAbort(15_000), untilAborted(signal)]);
      if (pingNode && !signal?.aborted) {
        const answered = await waitUntil(() => fips.every((f) => replies.get(f)!.length >= 3) || signal?.aborted === true, 5000);
        if (!answered) for (const f of fips) if (replies.get(f)!.length === 0) warnings.push(`ping ${f} from ${pingNode}: no reply before the fault`);
      }
      if (!signal?.aborted) {
        faultAt = Date.now();
        events.push({ tMs: 0, kind: 'fault', node: cut.host, detail: `${opts.fault} on ${cut.host}: ${faultDevices(opts.fault, plan).join(', ')} down` });
        progress(`fault: ${opts.fault} on ${cut.host}`);
        const r = await victim.exec(buildRootLinksSetCommand(faultDevices(opts.fault, plan), 'down'), { sudo: sudoOf(cut.host), timeoutMs: 15_000 });
        if (r.failure || r.exitCode !== 0) throw new HaprobeError('internal', `${opts.fault} on ${cut.host} failed: ${r.failure ? r.failure.message : `exit ${String(r.exitCode)} ${r.stderr.trim()}`}`);
        // count from when the links went down on the host, not from the request (see drill-failover); a late start is said
        faultAt = faultRanAt(faultAt, r.runningAtMs, cut.host, (line) => {
          warnings.push(line);
          progress(line);
        });
        // nothing takes over here: watch the whole window (the surviving path must hold all of it)
        await sleepOrAbort(opts.watchMs ?? 8000, signal);
        if (signal?.aborted) cancelled = { reason: abortReasonOf(signal), phase: 'after-fault' };
      } else cancelled = { reason: abortReasonOf(signal), phase: 'before-fault' };
    } finally {
      await sleepOrAbort(300);
      await cap.stop();
      for (const p of pings) await p.stop();
    }
    const sources = await cap.done;
    for (const r of sources) if (r.error) warnings.push(r.error);
    const endTs = Date.now() / 1000;
    const faultTs = faultAt / 1000;
    const outages = new Map(fips.map((f) => [f, pingNode ? computePingOutage(replies.get(f)!, faultTs, pingInterval, endTs) : undefined]));
    const before = (f: string): number => replies.get(f)!.filter((r) => r.ts < faultTs).length;
    const paths: PathObservation[] = [observePath(cut, 'cut', outages.get(cut.fip), before(cut.fip)), observePath(surviving, 'surviving', outages.get(surviving.fip), before(surviving.fip))];
    const garps = faultAt === 0 ? [] : frames.flatMap((f) => {
      const c = classifyArp(f, { watchedIps: fips });
      return f.ts >= faultTs && isGarp(c) && c?.ip !== undefined && fips.includes(c.ip) ? [{ node: f.node ?? '?', ip: c.ip, tMs: Math.round((f.ts - faultTs) * 1000) }] : [];
    });
    for (const [f, o] of outages) {
      if (!o || faultAt === 0 || o.lastBefore === undefined || (o.lost === 0 && o.outageMs !== null)) continue;
      events.push({ tMs: Math.round((o.lastBefore - faultTs) * 1000 + pingInterval), kind: 'ping-lost', detail: `${f} (${f === cut.fip ? 'cut' : 'surviving'} path): ${o.lost} ping(s) lost` });
      if (o.firstAfter !== undefined) events.push({ tMs: Math.round((o.firstAfter - faultTs) * 1000), kind: 'ping-recovered', detail: f });
    }
    if (garps[0]) events.push({ tMs: garps[0].tMs, kind: 'first-garp', node: garps[0].node, detail: `${garps[0].ip} (nothing moves in this design)` });

    const restored = faultAt === 0 ? [] : await restoreCutHost(opts.fault, plan, route, victim, sudoOf(cut.host), warnings);
    let back = faultAt === 0;
    if (!back && pingNode) {
      back = await waitUntil(async () => (await transportOf(pingNode).exec(pingOnceCommand(cut.fip, up?.namespace), { sudo: sudoOf(pingNode), timeoutMs: 5000 })).exitCode === 0, 30_000, 300);
      if (!back) warnings.push(`${cut.fip} does not answer the upstream 30 s after the restore`);
    }
    if (faultAt > 0) events.push({ tMs: Date.now() - faultAt, kind: 'restored', node: cut.host, detail: `${restored.join('; ')}${pingNode ? `; ${cut.fip} ${back ? 'answers again' : 'still silent'}` : ''}` });
    events.sort((a, b) => a.tMs - b.tMs);
    const judged = judgePathDrill({ paths, garps, ...(cancelled ? { cancelled } : {}), restored }, budgetMs);
    const survivingOutage = outages.get(surviving.fip);
    const drill: DrillResult = {
      router: label, fault: `${opts.fault} ${cut.host}${faultAt === 0 ? ' (not injected)' : ''}`, startedAt, events,
      outageMs: survivingOutage ? survivingOutage.outageMs : null, newPrimaryMs: null, firstGarpMs: garps[0]?.tMs ?? null, budgetMs,
      verdict: judged.verdict, oldPrimary: cut.host, message: judged.message, paths: paths.map(({ repliesBefore: _r, ...p }) => p),
    };
    return {
      drill, restored, primariesAfterRestore: back ? [cut.host] : [], garps, sources, warnings, clockOffsets, flaps: [], explanation: judged.explanation, words: WORDS,
      ...(survivingOutage && pingNode ? { ping: { ...survivingOutage, fip: surviving.fip, from: pingNode } } : {}),
      ...(cancelled ? { cancelled } : {}),
    };
  } finally {
    await nodes.closeAll();
  }
}

function observePath(p: NovaMultinicPath, role: DrillPath['role'], o: PingOutage | undefined, repliesBefore: number): PathObservation {
  return { role, target: p.fip, host: p.host, network: p.network, repliesBefore, ...(o ? { outageMs: o.outageMs } : {}) };
}

/** links up again, and the default route a downed public_interface took with it */
async function restoreCutHost(fault: DrillFault, plan: NovaMultinicDrillPlan, route: { via: string; dev: string } | undefined, t: Transport, sudo: boolean | undefined, warnings: string[]): Promise<string[]> {
  const devices = faultDevices(fault, plan);
  const done: string[] = [];
  try {
    const r = await t.exec(buildRootLinksSetCommand(devices, 'up'), { sudo, timeoutMs: 15_000 });
    if (r.failure || r.exitCode !== 0) throw new Error(`links up: ${r.failure?.message ?? r.stderr.trim()}`);
    done.push(`${devices.join(', ')} up on ${plan.cut.host}`);
    if (route && devices.includes(route.dev)) {
      const rr = await t.exec(buildDefaultRouteReplaceCommand(route), { sudo, timeoutMs: 10_000 });
      if (rr.failure || rr.exitCode !== 0) throw new Error(`default route: ${rr.failure?.message ?? rr.stderr.trim()}`);
      done.push(`default route via ${route.via} dev ${route.dev} again`);
    }
  } catch (err) {
    warnings.push(`restore failed on ${plan.cut.host}: ${(err as Error).message}`);
  }
  return done;
}
