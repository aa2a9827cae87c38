import { HaprobeError } from '../errors';
import type { DrillEvent, DrillResult } from '../report/result';
import type { StreamHandle, Transport } from '../transport/types';
import { classifyArp, isGarp } from '../capture/classify';
import { startLiveCapture, type LiveCaptureSource } from '../capture/live';
import type { CapturedFrame } from '../capture/types';
import { openNodePool } from './open-node-pool';
import { computePingOutage, type PingOutage, type PingReply } from './ping-outage';
import { startUpstreamPing } from './upstream-ping';
import { measureClockOffsets } from './clock-offset';
import { correctTs, describeOffsets, offsetOf } from './estimate-offset';
import { buildAliveByPidFileCommand, buildKillByPidFileCommand } from './drill-commands';
import { buildRootLinkSetCommand } from './nova-drill-commands';
import { buildOvnBfdStatusCommand, buildOvnChassisProbeCommand, buildOvnControllerExitCommand, buildOvnControllerStartCommand, buildOvnGarpSettingsCommand, buildOvnSbClaimCommand } from './ovn-drill-commands';
import { ovnGarpPatternFor, parseOvnGarpSettings } from './ovn-garp-pattern';
import { judgeTakeoverPattern, secondGarpWaitMs } from './ovn-drill-pattern';
import { listGatewayAnnouncements, nodeOfChassis, parseOvnSbClaim, parseOvnSbGateways, pickOvnGatewayPort, type OvnSbChassisName } from './ovn-gateway';
import { chooseTunnelLink, isDeviceName as isValidDeviceName, listProviderUplinks, parseOvnChassisProbe, readBfdToward, restartArgvOf, type BfdToward, type OvnChassisProbe } from './ovn-chassis-probe';
import { collectFlaps, faultRanAt, type DrillCancel } from './judge-drill';
import { judgeOvnDrill } from './judge-ovn-drill';
import { abortReasonOf, sleepOrAbort, untilAborted, waitUntil } from './abortable';
import { readSouthbound } from './central-candidates';
import type { DrillDeps, DrillOptions, DrillOutcome, DrillWords } from './drill-failover';

/**
 * `drill failover -p ovn` (issue 11): fail the gateway chassis of an ML2/OVN router on purpose and
 * measure on the fault's time axis when another chassis claims the router's `cr-lrp-…` port (SB
 * Port_Binding, polled over SSH on the central node), its first G-ARP for the router's external
 * addresses (sender = the LRP MAC; outbound capture on each gateway's provider uplink, so the
 * sender chassis is known), and the outage a ping from the upstream to the router's gateway
 * address (or --fip) sees. Faults, on the chassis claiming the port: stop-ovn-controller (SIGTERM
 * by its pid file; restored by starting it again with the command line it ran with),
 * exit-ovn-controller (`ovn-appctl exit`: the chassis leaves the SB and releases its claims;
 * restored the same way) and tunnel-down (the link carrying ovn-encap-ip down; restored by
 * setting it up). The new gateway's G-ARPs are judged against the pattern of its ovn-controller
 * version (ovn-drill-pattern.ts). Judged purely by judgeOvnDrill; cancelled before the fault
 * nothing is injected, after it the fault is undone.
 */
export type OvnDrillFault = 'stop-ovn-controller' | 'exit-ovn-controller' | 'tunnel-down';
export const OVN_DRILL_FAULTS: readonly OvnDrillFault[] = ['stop-ovn-controller', 'exit-ovn-controller', 'tunnel-down'];

/** how long after the preferred chassis takes the port back its G-ARP is waited for (the lab saw 1.2–1.7 s) */
export const RETURN_GARP_MS = 4000;

export const OVN_DRILL_WORDS: DrillWords = { unit: 'router ', role: 'gateway chassis', garpFrom: 'provider uplink' };

export function describeOvnDrill(fault: OvnDrillFault, router: string | undefined, via: string): string {
  const what = fault === 'stop-ovn-controller' ? 'stop ovn-controller (by its pid file) on'
    : fault === 'exit-ovn-controller' ? 'make ovn-controller exit (ovn-appctl exit: the chassis leaves the SB) on' : 'set the tunnel link (the device of ovn-encap-ip) down on';
  return `would ${what} the gateway chassis claiming the cr-lrp port of ${router ? `router ${router}` : 'the only OVN router with a gateway'} (via ${via === 'lab' ? 'ssh to the lab nodes' : via}), measure the takeover, then restore it`;
}

export async function drillOvnFailover(opts: Omit<DrillOptions, 'fault'> & { fault: OvnDrillFault }, deps: Omit<DrillDeps, 'lab'>): Promise<DrillOutcome> {
  const progress = deps.progress ?? (() => undefined);
  const warnings: string[] = [];
  const budgetMs = Math.round((opts.profile.garp.failoverBudgetSeconds ?? 5) * 1000);
  const nodes = openNodePool(opts.inventory, deps.transportFor, opts.pcapDir);
  const { transportOf, sudoOf } = nodes;
  const exec = async (node: string, cmd: string, timeoutMs = 10_000): Promise<{ ok: boolean; stdout: string; why: string }> => {
    const r = await transportOf(node).exec(cmd, { sudo: sudoOf(node), timeoutMs });
    return { ok: !r.failure && r.exitCode === 0, stdout: r.stdout, why: r.failure ? r.failure.message : `exit ${String(r.exitCode)} ${r.stderr.trim()}` };
  };
  const events: DrillEvent[] = [];
  const startedAt = new Date().toISOString();
  try {
    // the SB, on the first node that has its socket
    const { central, sbText } = await readSouthbound(opts.inventory.nodes, { transportOf, sudoOf }, { why: 'the drill reads cr-lrp claims there', where: 'drill failover' });
    const sb = parseOvnSbGateways(sbText);
    for (const w of sb.warnings) warnings.push(`SB on ${central}: ${w.message}`);
    const picked = pickOvnGatewayPort(sb.value.ports, opts.router);
    if (typeof picked === 'string') throw new HaprobeError('usage', picked, { where: '--router' });
    const gw = picked;
    const sbChassis: OvnSbChassisName[] = sb.value.chassis;
    const nodeOf = (chassis: string): string => nodeOfChassis(opts.inventory.nodes, chassis, sbChassis) ?? chassis;
    if (gw.chassis === undefined) throw new HaprobeError('usage', `${gw.port} is not claimed by any chassis: the router's gateway is already down`, { where: 'drill failover' });
    if (gw.additionalChassis.length > 0) throw new HaprobeError('usage', `${gw.port} is claimed by ${gw.chassis} and ${gw.additionalChassis.join(', ')}: exactly one claim is needed before a drill`, { where: 'drill failover' });
    const oldChassis = gw.chassis;
    const oldNode = nodeOf(oldChassis);
    if (!nodes.has(oldNode)) throw new HaprobeError('inventory', `gateway chassis ${oldChassis} (claiming ${gw.port}) is not in the inventory`, { where: opts.inventory.source });
    const standbys = gw.members.filter((m) => m.chassis !== oldChassis);
    const unit = `${gw.routerId ?? gw.port} (${gw.port})`;
    const ann = listGatewayAnnouncements(gw, sb.value.announces);
    const routerIps = new Set(ann.ips);
    if (!ann.mac) warnings.push(`${gw.port}: no MAC in the SB: G-ARPs cannot be told from other ARP`);
    progress(`router ${unit}: gateway ${oldChassis}${oldNode !== oldChassis ? ` (${oldNode})` : ''}; standbys ${standbys.map((m) => `${m.chassis}:${m.priority}`).join(' ') || 'none'}; announces ${[...routerIps].join(', ') || 'nothing'} from ${ann.mac ?? '?'} (${ann.source}); budget ${budgetMs} ms`);

    // each gateway in the inventory: its provider uplinks (capture) and, for the old one, the fault's target
    const gwNodes = [...new Set([oldChassis, ...standbys.map((m) => m.chassis)].map(nodeOf).filter((n) => nodes.has(n)))];
    for (const m of standbys) if (!nodes.has(nodeOf(m.chassis))) warnings.push(`standby chassis ${m.chassis} is not in the inventory: its G-ARPs are not captured`);
    const probes = new Map<string, OvnChassisProbe>();
    const probeFailed = new Map<string, string>();
    const patterns = new Map<string, ReturnType<typeof ovnGarpPatternFor>>();
    await Promise.all(gwNodes.map(async (n) => {
      // the G-ARP timing this chassis' ovn-controller runs (its version, garp-max-timeout-sec), as garp verify reads it
      const s = await exec(n, buildOvnGarpSettingsCommand(), 20_000).catch(() => undefined);
      patterns.set(n, ovnGarpPatternFor(parseOvnGarpSettings(s?.ok ? s.stdout : '').value));
      const r = await exec(n, buildOvnChassisProbeCommand(), 20_000);
      if (!r.ok) {
        warnings.push(`${n}: chassis probe failed (${r.why})`);
        probeFailed.set(n, r.why);
      }
      const p = parseOvnChassisProbe(r.stdout);
      for (const w of p.warnings) warnings.push(`${n} probe line ${w.line}: ${w.message}`);
      probes.set(n, p.value);
    }));
    const oldProbe = probes.get(oldNode)!;
    if (probeFailed.has(oldNode)) throw new HaprobeError('node', `the gateway ${oldNode} could not be probed (${probeFailed.get(oldNode)}): nothing injected`, { where: 'drill failover' });
    let tunnel: { device: string; via?: string } | undefined;
    let restartArgv: string[] | undefined;
    if (opts.fault === 'tunnel-down') {
      const t = chooseTunnelLink(oldProbe, opts.inventory.nodes.find((n) => n.name === oldNode)?.address);
      if ('refused' in t) throw new HaprobeError('usage', `tunnel-down on ${oldNode}: ${t.refused}`, { where: '--fault' });
      if (!isValidDeviceName(t.device)) throw new HaprobeError('usage', `tunnel-down on ${oldNode}: "${t.device}" is not a device name`, { where: '--fault' });
      tunnel = t;
    } else {
      if (!oldProbe.controller) throw new HaprobeError('usage', `${opts.fault} on ${oldNode}: no live ovn-controller pid file found`, { where: '--fault' });
      const a = restartArgvOf(oldProbe);
      if (Array.isArray(a)) restartArgv = a;
      else warnings.push(`${oldNode}: ${a.refused}; the restore waits for its service manager`);
    }
    const sources: LiveCaptureSource[] = [];
    for (const n of gwNodes) {
      for (const { bridge, uplinks } of listProviderUplinks(probes.get(n)!)) {
        const devs = uplinks.filter(isValidDeviceName);
        if (devs.length === 0) {
          warnings.push(`${n}: provider bridge ${bridge} has no uplink port: captured on the bridge (any chassis' G-ARPs show there, the sender is not known)`);
          if (isValidDeviceName(bridge)) sources.push({ node: n, transport: transportOf(n), target: { device: bridge }, sudo: sudoOf(n) });
        }
        for (const d of devs) sources.push({ node: n, transport: transportOf(n), target: { device: d, direction: 'out' }, sudo: sudoOf(n) });
      }
    }
    // BFD as the first standby sees it: when its session toward the old gateway goes down (detection)
    const watcher = standbys.map((m) => nodeOf(m.chassis)).find((n) => nodes.has(n));
    const bfdOf = async (): Promise<BfdToward | undefined> => {
      if (!watcher) return undefined;
      const r = await exec(watcher, buildOvnBfdStatusCommand(), 5000).catch(() => undefined);
      return r?.ok ? readBfdToward(r.stdout, oldProbe.encapIp, oldChassis) : undefined;
    };
    const bfdBefore = await bfdOf();
    if (watcher && !bfdBefore) warnings.push(`${watcher}: no BFD session toward ${oldChassis} read: BFD detection not timed`);
    else if (bfdBefore) progress(`${watcher} → ${oldChassis}: BFD ${bfdBefore.state ?? '?'} on ${bfdBefore.iface}, detection ${bfdBefore.detectMs} ms (${bfdBefore.timers})`);
    const outbound = (f: CapturedFrame): boolean => sources.some((s) => s.node === f.node && s.target.device === f.device && s.target.direction === 'out');
    for (const n of gwNodes) progress(`${n}: G-ARP pattern ${patterns.get(n)!.pattern} (${patterns.get(n)!.source})`);

    // the client: a ping from the upstream to the router's gateway address (it lives on cr-lrp), or --fip
    const up = opts.facts.upstream;
    const target = opts.fip ?? [...routerIps][0];
    const pingNode = target && up?.node && nodes.has(up.node) ? up.node : undefined;
    if (opts.fip && !routerIps.has(opts.fip)) warnings.push(`--fip ${opts.fip} is not announced by the gateway (a distributed floating IP lives on its instance's chassis): its outage does not measure the gateway`);
    const clockOffsets = await measureClockOffsets([...new Set([...sources.map((s) => s.node), ...(pingNode ? [pingNode] : [])])].map((n) => ({ node: n, transport: transportOf(n) })));
    for (const l of describeOffsets(clockOffsets)) progress(l);
    const frames: CapturedFrame[] = [];
    let faultTs = Number.POSITIVE_INFINITY;
    const cap = startLiveCapture({
      sources,
      onFrame: (raw) => {
        const f = correctTs(raw, offsetOf(clockOffsets, raw.node));
        const c = classifyArp(f, { watchedIps: [...routerIps] });
        if (!isGarp(c) || !c?.ip || !routerIps.has(c.ip) || (ann.mac !== undefined && c.mac !== ann.mac)) return;
        frames.push(f);
        if (f.ts >= faultTs) progress(`+${Math.round((f.ts - faultTs) * 1000)} ms G-ARP ${c.ip} from ${f.node} ${f.device}`);
      },
    });
    const replies: PingReply[] = [];
    const pingInterval = opts.pingIntervalMs ?? 200;
    let ping: StreamHandle | undefined;
    if (target && pingNode) {
      ping = await startUpstreamPing(transportOf(pingNode), { target, intervalMs: pingInterval, namespace: up?.namespace, sudo: sudoOf(pingNode), offsetMs: offsetOf(clockOffsets, pingNode) }, replies);
    } else warnings.push(target ? `upstream node ${up?.node ?? '(none in facts)'} not in the inventory: no outage measured` : 'no address to ping: no outage measured');

    let stopped: Promise<Awaited<typeof cap.done>> | undefined;
    /** stop the capture and the ping once; the capture's per-source problems become warnings */
    const stopWatching = (): Promise<Awaited<typeof cap.done>> => (stopped ??= (async () => {
      await sleepOrAbort(300);
      await cap.stop();
      if (ping) await ping.stop();
      const res = await cap.done;
      for (const r of res) {
        if (r.error) warnings.push(r.error);
        else if (r.failure) warnings.push(`${r.node} ${r.device}: capture failed (${r.failure.reason}): ${r.failure.message}`);
      }
      return res;
    })());
    const claimOf = async (): Promise<{ chassis?: string; additional: string[] } | undefined> => {
      const r = await exec(central, buildOvnSbClaimCommand(gw.port), 5000).catch(() => undefined);
      if (!r?.ok) return undefined;
      const c = parseOvnSbClaim(r.stdout, gw.port).value;
      return c.found ? { ...(c.chassis !== undefined ? { chassis: c.chassis } : {}), additional: c.additionalChassis } : undefined;
    };
    const oldT = transportOf(oldNode);
    const signal = opts.signal;
    let injected = false;
    let newChassis: string | undefined;
    let newAt: number | undefined;
    let bfdDownAt: number | undefined;
    let bfdLastUpAt: number | undefined;
    let faultAt = 0;
    let cancelled: DrillCancel | undefined;
    const firstFrom = (node: string): CapturedFrame | undefined => frames.find((f) => f.node === node && f.ts >= faultTs && outbound(f));
    // the pattern is judged on one address, the one the client pings (each announced address is its own sequence)
    const patternIp = target !== undefined && routerIps.has(target) ? target : [...routerIps][0];
    const takeoverGarps = (node: string, untilTs: number): number[] =>
      frames.filter((f) => f.node === node && outbound(f) && f.ts >= faultTs && f.ts <= untilTs && f.arp?.spa === patternIp).map((f) => f.ts);
    /** the new gateway's second G-ARP seen, or its pattern's first gap over: the start of its pattern can be judged */
    const secondGarpSettled = (node: string, nowMs: number): boolean => {
      const first = firstFrom(node);
      if (!first) return false;
      return takeoverGarps(node, Number.POSITIVE_INFINITY).length >= 2 || nowMs - first.ts * 1000 > secondGarpWaitMs(patterns.get(node)?.pattern ?? 'ovn');
    };
    try {
      await Promise.race([cap.ready, sleepOrAbort(15_000), untilAborted(signal)]);
      if (ping && !signal?.aborted && !(await waitUntil(() => replies.length >= 3 || signal?.aborted === true, 5000))) warnings.push(`ping ${target} from ${pingNode}: no reply before the fault`);
      if (!signal?.aborted) {
        faultAt = Date.now();
        faultTs = faultAt / 1000;
        const detail = tunnel ? `${tunnel.device}${tunnel.via ? ` (uplink of ${tunnel.via}, ovn-encap-ip ${oldProbe.encapIp})` : ` (ovn-encap-ip ${oldProbe.encapIp})`} down on ${oldNode}`
          : opts.fault === 'exit-ovn-controller' ? `ovn-appctl exit to ovn-controller pid ${oldProbe.controller!.pid} on ${oldNode}` : `SIGTERM ovn-controller pid ${oldProbe.controller!.pid} on ${oldNode}`;
        events.push({ tMs: 0, kind: 'fault', node: oldNode, detail });
        progress(`fault: ${opts.fault}: ${detail}`);
        injected = true;
        const faultCmd = tunnel ? buildRootLinkSetCommand(tunnel.device, 'down')
          : opts.fault === 'exit-ovn-controller' ? buildOvnControllerExitCommand(oldProbe.controller!.pidFile, oldProbe.controller!.pid) : buildKillByPidFileCommand(oldProbe.controller!.pidFile);
        const exiting = opts.fault === 'exit-ovn-controller';
        const r = await oldT.exec(faultCmd, { sudo: sudoOf(oldNode), timeoutMs: exiting ? 30_000 : 15_000 });
        // the fault happened when the command ran on the node, not when we asked: on a loaded node the
        // channel and the remote shell took seconds (clean-clone run 14: tunnel-down "5761 ms > budget
        // 5000" while the ping outage was 833 ms) — count from the command's start
        faultAt = faultRanAt(faultAt, r.runningAtMs, oldNode, (line) => {
          warnings.push(line);
          progress(line);
        });
        faultTs = faultAt / 1000;
        // ovn-controller answers `exit` only once it has removed its chassis from the SB, or ends before answering (a
        // loaded node: seen on the lab as an SSH channel that would not close): the claim poll says whether it left
        if (exiting && (r.failure || r.exitCode !== 0)) warnings.push(`${oldNode}: ovn-appctl exit: ${r.failure ? r.failure.message : `exit ${String(r.exitCode)} ${r.stderr.trim().slice(0, 200)}`}: ovn-controller may have ended before answering`);
        else if (r.failure || r.exitCode !== 0) throw new HaprobeError('internal', `${opts.fault} on ${oldNode} failed: ${r.failure ? r.failure.message : `exit ${String(r.exitCode)} ${r.stderr.trim()}`}`);
        const watchMs = opts.watchMs ?? budgetMs + 10_000;
        for (;;) {
          if (signal?.aborted) {
            cancelled = { reason: abortReasonOf(signal), phase: 'after-fault' };
            progress(`cancelled (${cancelled.reason}) ${Date.now() - faultAt} ms after the fault: restoring`);
            break;
          }
          const now = Date.now();
          // both polls at once: BFD on the standby, the claim on central
          const [b, c] = await Promise.all([bfdBefore && bfdDownAt === undefined ? bfdOf() : undefined, newChassis ? undefined : claimOf()]);
          if (b && bfdBefore) {
            // a poll reads the state somewhere between its start and its return: the change happened
            // after the start of the last poll that saw it up, and before the return of the first that saw it down
            if (b.up) bfdLastUpAt = now;
            if (!b.up) {
              bfdDownAt = Date.now();
              events.push({ tMs: bfdDownAt - faultAt, kind: 'bfd-down', node: watcher, detail: `BFD ${b.state ?? '?'} on ${b.iface} toward ${oldChassis} (detection ${bfdBefore.detectMs} ms: ${bfdBefore.timers})` });
              progress(`+${bfdDownAt - faultAt} ms ${watcher} sees BFD toward ${oldChassis} ${b.state ?? 'down'}`);
            }
          }
          if (!newChassis) {
            if (c?.chassis && c.chassis !== oldChassis) {
              newChassis = c.chassis;
              newAt = Date.now();
              events.push({ tMs: newAt - faultAt, kind: 'new-primary', node: nodeOf(newChassis), detail: `${newChassis} claims ${gw.port} (SB Port_Binding)` });
              progress(`+${newAt - faultAt} ms ${newChassis} claims ${gw.port}`);
            }
          }
          const outage = ping ? computePingOutage(replies, faultTs, pingInterval, now / 1000) : undefined;
          const pingDone = !ping || outage?.firstAfter !== undefined || (outage?.outageMs === 0 && now - faultAt > 3000);
          if (newChassis && firstFrom(nodeOf(newChassis)) && pingDone && secondGarpSettled(nodeOf(newChassis), now)) {
            await sleepOrAbort(500);
            break;
          }
          if (now - faultAt > watchMs) break;
          await sleepOrAbort(opts.pollMs ?? 200, signal);
        }
      }
    } catch (err) {
      if (injected) {
        const undone = await restoreOvnFault(opts.fault, oldNode, oldT, sudoOf(oldNode), tunnel, oldProbe, restartArgv, warnings);
        progress(`error after the fault; restored: ${undone.join('; ') || 'nothing'}`);
      }
      await stopWatching();
      throw err;
    }
    if (!injected) {
      const capSources = await stopWatching();
      const c: DrillCancel = { reason: abortReasonOf(signal), phase: 'before-fault' };
      const j = judgeOvnDrill({ newPrimaryMs: null, firstGarpMs: null, cancelled: c }, budgetMs, { fault: opts.fault, standbys: standbys.length, stillClaimedByOld: true });
      return {
        drill: { router: unit, fault: `${opts.fault} ${oldNode} (not injected)`, startedAt, events, outageMs: null, newPrimaryMs: null, firstGarpMs: null, budgetMs, verdict: j.verdict, oldPrimary: oldNode, message: j.message },
        restored: [], primariesAfterRestore: [oldNode], garps: [], sources: capSources, warnings, clockOffsets, cancelled: c, flaps: [], explanation: [], words: OVN_DRILL_WORDS,
      };
    }
    // the takeover is measured up to here; capture and ping go on through the restore (the return)
    const endTs = Date.now() / 1000;
    const inWatch = <T extends { ts: number }>(x: T): boolean => x.ts >= faultTs && x.ts <= endTs;
    const newNode = newChassis !== undefined ? nodeOf(newChassis) : undefined;
    const first = newNode ? firstFrom(newNode) : undefined;
    if (first) events.push({ tMs: Math.round((first.ts - faultTs) * 1000), kind: 'first-garp', node: newNode, detail: `${first.arp?.spa} from ${first.arp?.sha} on ${first.device}` });
    let outage: PingOutage | undefined;
    if (ping && target) {
      outage = computePingOutage(replies.filter((r) => r.ts <= endTs), faultTs, pingInterval, endTs);
      if (outage.lastBefore !== undefined && (outage.lost > 0 || outage.outageMs === null)) events.push({ tMs: Math.round((outage.lastBefore - faultTs) * 1000 + pingInterval), kind: 'ping-lost', detail: `${outage.lost} ping(s) to ${target} lost` });
      if (outage.firstAfter !== undefined) events.push({ tMs: Math.round((outage.firstAfter - faultTs) * 1000), kind: 'ping-recovered' });
    }
    const before = await claimOf();
    const finalChassis = before?.chassis;
    const finalNode = finalChassis !== undefined ? nodeOf(finalChassis) : undefined;
    const stillClaimedByOld = finalChassis === oldChassis;
    // announcements after the fault from the provider uplinks; the old gateway's before the takeover are its own, not a flap
    const newMs = newAt !== undefined ? newAt - faultAt : Number.POSITIVE_INFINITY;
    const garps = frames.filter((f) => inWatch(f) && outbound(f)).map((f) => ({ node: f.node ?? '', tMs: Math.round((f.ts - faultTs) * 1000), ip: f.arp?.spa ?? '' }));
    const flaps = newNode ? collectFlaps(garps.filter((g) => !(g.node === oldNode && g.tMs < newMs)), finalNode ?? newNode) : [];

    const restored = await restoreOvnFault(opts.fault, oldNode, oldT, sudoOf(oldNode), tunnel, oldProbe, restartArgv, warnings);
    let after: { chassis?: string; additional: string[] } | undefined;
    const restoreAt = Date.now();
    // the preferred chassis takes cr-lrp back once its BFD is up again, and should announce it
    // (OVN FDP-1418: the return can come without a G-ARP) — watched for RETURN_GARP_MS after its claim
    let backAt: number | undefined;
    await waitUntil(async () => {
      after = await claimOf();
      if (backAt === undefined && after?.chassis === oldChassis && newChassis) backAt = Date.now();
      return after?.chassis !== undefined && after.additional.length === 0 && (after.chassis === oldChassis || Date.now() - restoreAt > 10_000);
    }, 30_000, 200);
    if (backAt !== undefined && !cancelled) await waitUntil(() => frames.some((f) => f.node === oldNode && outbound(f) && f.ts * 1000 >= backAt! - 500), RETURN_GARP_MS, 100);
    const capSources = await stopWatching();
    const afterNode = after?.chassis !== undefined ? nodeOf(after.chassis) : undefined;
    const back = backAt !== undefined ? frames.find((f) => f.node === oldNode && outbound(f) && f.ts * 1000 >= restoreAt) : undefined;
    const backText = backAt === undefined ? '' : back ? `; ${oldChassis} took it back ${backAt - restoreAt} ms after the restore and G-ARPed ${Math.round(back.ts * 1000 - restoreAt)} ms after it`
      : `; ${oldChassis} took it back ${backAt - restoreAt} ms after the restore, no G-ARP from it within ${RETURN_GARP_MS} ms`;
    events.push({ tMs: restoreAt - faultAt, kind: 'restored', node: oldNode, detail: `${restored.join('; ')}; ${gw.port} now on ${afterNode ?? 'nobody'}${backText}` });
    if (!after?.chassis || after.additional.length > 0) warnings.push(`after restore ${gw.port} is claimed by ${after?.chassis ?? 'nobody'}${after?.additional.length ? ` and ${after.additional.join(', ')}` : ''}`);
    else if (backAt !== undefined && !back && !cancelled) warnings.push(`${oldChassis} took ${gw.port} back without a G-ARP within ${RETURN_GARP_MS} ms: the upstream keeps the LRP MAC behind ${newNode ?? 'the standby'} until it re-learns it (OVN FDP-1418)`);
    events.sort((a, b) => a.tMs - b.tMs);
    const newPrimaryMs = newAt !== undefined ? newAt - faultAt : null;
    const firstGarpMs = first ? Math.round((first.ts - faultTs) * 1000) : null;
    if (bfdBefore && bfdDownAt === undefined && !newChassis) warnings.push(`${watcher}'s BFD session toward ${oldChassis} stayed up through the fault`);
    const newPattern = newNode !== undefined ? patterns.get(newNode) : undefined;
    const garpPattern = newNode !== undefined && newPattern && first ? judgeTakeoverPattern(newNode, takeoverGarps(newNode, endTs), newPattern.pattern, newPattern.source) : undefined;
    const judged = judgeOvnDrill({
      newPrimary: newNode, newPrimaryMs, firstGarpMs, cancelled, restored, finalPrimary: finalNode !== oldNode ? finalNode : newNode, flaps, ...(outage ? { outageMs: outage.outageMs } : {}),
    }, budgetMs, {
      fault: opts.fault, standbys: standbys.length, stillClaimedByOld, ...(garpPattern ? { garpPattern } : {}),
      ...(bfdBefore ? { bfd: {
        detectMs: bfdBefore.detectMs, downMs: bfdDownAt !== undefined ? bfdDownAt - faultAt : null, lastUpMs: Math.max(0, (bfdLastUpAt ?? faultAt) - faultAt), timers: bfdBefore.timers,
        // the watcher took over and G-ARPed: its BFD toward the old gateway was down by then (ha_chassis_group_is_active)
        ...(newNode !== undefined && newNode === watcher && firstGarpMs !== null ? { upperBoundMs: firstGarpMs, boundBy: `${newNode}'s first G-ARP` } : {}),
      } } : {}),
    });
    const drill: DrillResult = {
      router: unit, fault: `${opts.fault} ${oldNode}${tunnel ? `/${tunnel.device}` : ''}`, startedAt, events, outageMs: outage ? outage.outageMs : null,
      newPrimaryMs, firstGarpMs, budgetMs, verdict: judged.verdict, oldPrimary: oldNode, message: judged.message, ...(newNode ? { newPrimary: newNode } : {}),
    };
    return {
      drill, restored, primariesAfterRestore: afterNode ? [afterNode] : [], ping: outage && target && pingNode ? { ...outage, fip: target, from: pingNode } : undefined,
      garps, sources: capSources, warnings, clockOffsets, ...(cancelled ? { cancelled } : {}), flaps, explanation: judged.explanation,
      ...(finalNode && finalNode !== oldNode ? { finalPrimary: finalNode } : newNode ? { finalPrimary: newNode } : {}), words: OVN_DRILL_WORDS,
    };
  } finally {
    await nodes.closeAll();
  }
}

/** undo the fault: the tunnel link up, or ovn-controller started again (or waited for) — never throws */
async function restoreOvnFault(fault: OvnDrillFault, node: string, t: Transport, sudo: boolean | undefined, tunnel: { device: string } | undefined,
  probe: OvnChassisProbe, restartArgv: string[] | undefined, warnings: string[]): Promise<string[]> {
  const done: string[] = [];
  try {
    if (fault === 'tunnel-down') {
      const r = await t.exec(buildRootLinkSetCommand(tunnel!.device, 'up'), { sudo, timeoutMs: 15_000 });
      if (r.failure || r.exitCode !== 0) throw new Error(`link up: ${r.failure?.message ?? r.stderr.trim()}`);
      done.push(`set ${tunnel!.device} up on ${node}`);
      return done;
    }
    const pidFile = probe.controller!.pidFile;
    const alive = async (): Promise<boolean> => (await t.exec(buildAliveByPidFileCommand(pidFile), { sudo, timeoutMs: 5000 })).exitCode === 0;
    // after `exit` ovn-controller first removes its chassis from the SB, then ends: starting another before that fails on its pid file
    if (fault === 'exit-ovn-controller' && !(await waitUntil(async () => !(await alive()), 30_000, 500))) {
      warnings.push(`ovn-controller on ${node} was told to exit but still runs after 30 s`);
      return done;
    }
    // a service manager may have restarted it already; else it is started as it ran
    if (await waitUntil(alive, 1500, 300)) {
      done.push(`ovn-controller on ${node} was restarted (by its service manager)`);
      return done;
    }
    if (restartArgv) {
      const r = await t.exec(buildOvnControllerStartCommand(restartArgv), { sudo, timeoutMs: 20_000 });
      if (r.failure || r.exitCode !== 0) throw new Error(`starting ovn-controller: ${r.failure?.message ?? `exit ${String(r.exitCode)} ${r.stderr.trim()}`}`);
      if (!(await waitUntil(alive, 10_000, 300))) throw new Error(`ovn-controller started on ${node} but its pid file ${pidFile} names no live process`);
      done.push(`ovn-controller started again on ${node} (${restartArgv.join(' ')})`);
      return done;
    }
    if (await waitUntil(alive, 75_000, 1000)) done.push(`ovn-controller on ${node} was restarted (by its service manager)`);
    else warnings.push(`ovn-controller on ${node} did not come back within 75 s: start it there (haprobe does not start a service-managed ovn-controller)`);
  } catch (err) {
    warnings.push(`restore failed: ${(err as Error).message}`);
  }
  return done;
}
