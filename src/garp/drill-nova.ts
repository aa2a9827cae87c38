import { HaprobeError } from '../errors';
import type { Facts } from '../model/facts';
import type { FactsNovaNetwork } from '../model/facts-nova';
import type { DrillEvent, DrillResult } from '../result/run-result';
import type { StreamHandle, Transport } from '../transport/types';
import { judgeGarp } from '../capture/verdict';
import { classifyArp, isGarp } from '../capture/classify';
import { startLiveCapture } from '../capture/live';
import type { CapturedFrame } from '../capture/types';
import { openNodePool } from './open-node-pool';
import { computePingOutage, type PingOutage, type PingReply } from './ping-outage';
import { startUpstreamPing } from './upstream-ping';
import { measureClockOffsets } from './clock-offset';
import { correctTs, describeOffsets, offsetOf } from './estimate-offset';
import { buildKillByPidFileCommand } from './drill-commands';
import { buildNovaRoleProbeCommand, buildNovaStopNodeCommand, buildRootLinkSetCommand, parseNovaRoleProbe } from './nova-drill-commands';
import { collectFlaps, faultRanAt, type DrillCancel } from './judge-drill';
import { judgeNovaDrill, type NovaDrillGarp } from './judge-nova-drill';
import { novaGarpExpectation } from './nova-expectation';
import { abortReasonOf, sleepOrAbort, untilAborted, waitUntil } from './abortable';
import { sshRun, waitForPidFileAlive, type DrillDeps, type FaultInjected, type DrillFault, type DrillOptions, type DrillOutcome, type DrillWords } from './drill-failover';

/**
 * `drill failover` on a nova-network hot standby pair (facts nova.standby, issue 9; seed 000:
 * NTT's "4 second failover to a hot backup of the network host"). Same shape as the Neutron
 * drill: fail the member holding the network host role, measure on the fault's time axis when the
 * other one holds it (dhcp_server on the bridge, polled over SSH), its G-ARPs for the floating IP
 * (outbound capture on each member's public_interface, judged as nova sends them: 3 REPLYs 1 s
 * apart from the new host's public MAC) and the outage a ping from the upstream sees; restore;
 * judge purely (judgeNovaDrill). Faults: kill-keepalived (SIGTERM: the cluster manager releases
 * the role and steps down), link-down (flat_interface, tracked by the cluster manager), stop-node
 * (SIGKILL the cluster manager and take public and flat interfaces down: a dead host; lab only,
 * haprobe cannot bring a real host back).
 */

/** where Debian's keepalived writes its pid (the lab runs it with the same) */
export const NOVA_KEEPALIVED_PID = '/run/keepalived.pid';

/** the member of the pair the drill fails: its node and its public and flat interfaces */
export interface NovaMemberTarget {
  node: string;
  transport: Transport;
  sudo?: boolean;
  publicInterface: string;
  flatInterface?: string;
}

/**
 * The fault-injector port of the nova drill: how it fails the active member and brings it back.
 * Over SSH (sshNovaFaultInjector, the default; no stop-node, haprobe cannot power a real host back
 * on), or on the lab, whose restore brings a member back as after a reboot (labNovaFaultInjector in
 * garp/lab-adapter.ts).
 */
export interface NovaFaultInjector {
  inject(t: NovaMemberTarget): Promise<FaultInjected | void>;
  /** what was undone, in order; what could not be undone is added to warnings */
  restore(t: NovaMemberTarget, warnings: string[]): Promise<string[]>;
}

export type NovaDrillDeps = Omit<DrillDeps, 'injector'> & { injector?: NovaFaultInjector };

/** the network the pair serves: the first single-host one whose host is in the pair (or unnamed) */
function pairNetwork(facts: Facts): { pair: string[]; net: FactsNovaNetwork; dhcp: string } {
  const nova = facts.nova;
  const pair = nova?.standby?.hosts ?? [];
  if (!nova || pair.length < 2) throw new HaprobeError('facts', 'a nova drill needs nova.standby with two hosts', { where: 'facts.nova.standby' });
  const net = nova.networks.find((n) => !n.multiHost && (n.host === undefined || pair.includes(n.host)));
  const dhcp = net?.dhcpServer ?? net?.gateway;
  if (!net || !dhcp) throw new HaprobeError('facts', 'no single-host network with a dhcp_server for the standby pair', { where: 'facts.nova.networks' });
  return { pair, net, dhcp };
}

export function describeNovaDrill(facts: Facts, fault: DrillFault, via: string): string {
  const { pair, net } = pairNetwork(facts);
  const what: Record<DrillFault, string> = {
    'kill-keepalived': 'stop (SIGTERM) the cluster manager of the active network host',
    'link-down': `set flat_interface ${net.bridgeInterface ?? '?'} of the active network host down`,
    'stop-node': 'kill the cluster manager of the active network host and take its interfaces down (a dead host)',
  };
  return `would ${what[fault]} of the hot standby pair ${pair.join('/')} (via ${via}), measure the takeover, then restore it`;
}

export async function drillNovaFailover(opts: DrillOptions, deps: NovaDrillDeps): Promise<DrillOutcome> {
  const progress = deps.progress ?? (() => undefined);
  const warnings: string[] = [];
  const { pair, net, dhcp } = pairNetwork(opts.facts);
  const nova = opts.facts.nova!;
  const pub = nova.publicInterface ?? 'eth0';
  const flat = net.bridgeInterface;
  if (opts.fault !== 'kill-keepalived' && !flat) throw new HaprobeError('facts', `network ${net.label} has no bridgeInterface (flat_interface)`, { where: 'facts.nova.networks' });
  const injector = deps.injector ?? sshNovaFaultInjector(opts.fault);
  const fip = opts.fip ?? (nova.floatingIps ?? []).find((f) => pair.includes(f.host))?.address;
  const budgetMs = Math.round((opts.profile.garp.failoverBudgetSeconds ?? 4) * 1000);
  const nodes = openNodePool(opts.inventory, deps.transportFor, opts.pcapDir);
  const { transportOf, sudoOf } = nodes;
  const member = (node: string): NovaMemberTarget => ({ node, transport: transportOf(node), sudo: sudoOf(node), publicInterface: pub, ...(flat ? { flatInterface: flat } : {}) });
  const probe = buildNovaRoleProbeCommand(net.bridge, pub);
  const macs = new Map<string, string>();
  const poll = async (): Promise<string[]> => {
    const res = await Promise.all(pair.map(async (n) => {
      const r = await transportOf(n).exec(probe, { sudo: sudoOf(n), timeoutMs: 5000 });
      if (r.failure) return { n, holds: false };
      const p = parseNovaRoleProbe(r.stdout, dhcp);
      if (p.mac) macs.set(n, p.mac);
      return { n, holds: p.holds };
    }));
    return res.filter((x) => x.holds).map((x) => x.n);
  };
  const events: DrillEvent[] = [];
  const startedAt = new Date().toISOString();
  const label = `nova network ${net.label} (${pair.join('/')})`;
  const words: DrillWords = { unit: '', role: 'active network host', garpFrom: `public_interface ${pub}` };
  try {
    const before = await poll();
    if (before.length !== 1) throw new HaprobeError('usage', `the hot standby pair must have exactly one active network host before a drill, found ${before.length} (${before.join(', ') || 'none'})`, { where: 'drill failover' });
    const oldActive = before[0]!;
    progress(`${label}: active ${oldActive}; budget ${budgetMs} ms`);
    const points = pair.map((n) => ({ node: n, target: { device: pub, direction: 'out' as const } }));
    const up = opts.facts.upstream;
    const pingNode = fip && up?.node && nodes.has(up.node) ? up.node : undefined;
    const clockOffsets = await measureClockOffsets([...pair, ...(pingNode ? [pingNode] : [])].map((n) => ({ node: n, transport: transportOf(n) })));
    for (const l of describeOffsets(clockOffsets)) progress(l);
    const frames: CapturedFrame[] = [];
    let faultTs = Number.POSITIVE_INFINITY;
    const cap = startLiveCapture({
      sources: points.map((p) => ({ node: p.node, transport: transportOf(p.node), target: p.target, sudo: sudoOf(p.node) })),
      onFrame: (raw) => {
        const f = correctTs(raw, offsetOf(clockOffsets, raw.node));
        frames.push(f);
        const c = fip ? classifyArp(f, { watchedIps: [fip] }) : undefined;
        if (f.ts >= faultTs && isGarp(c) && c?.ip === fip) progress(`+${Math.round((f.ts - faultTs) * 1000)} ms G-ARP ${fip} from ${f.node} ${f.device} (${c?.mac})`);
      },
    });
    const replies: PingReply[] = [];
    const pingInterval = opts.pingIntervalMs ?? 200;
    let ping: StreamHandle | undefined;
    if (fip && pingNode) {
      ping = await startUpstreamPing(transportOf(pingNode), { target: fip, intervalMs: pingInterval, namespace: up?.namespace, sudo: sudoOf(pingNode), offsetMs: offsetOf(clockOffsets, pingNode) }, replies);
    } else warnings.push(fip ? `upstream node ${up?.node ?? '(none in facts)'} not in the inventory: no outage measured` : 'no floating IP on the pair: no outage measured');

    const signal = opts.signal;
    // gratuitous announcements of the FIP only: a plain reply to the upstream's who-has is not one
    const garpsOf = (node: string): CapturedFrame[] => frames.filter((f) => {
      if (f.node !== node || f.ts < faultTs || fip === undefined) return false;
      const c = classifyArp(f, { watchedIps: [fip] });
      return isGarp(c) && c?.ip === fip;
    });
    const count = nova.sendArpForHaCount ?? 3;
    let injected = false;
    let newActive: string | undefined;
    let newActiveAt: number | undefined;
    let faultAt = 0;
    let cancelled: DrillCancel | undefined;
    try {
      await Promise.race([cap.ready, sleepOrAbort(15_000), untilAborted(signal)]);
      if (ping && !signal?.aborted && !(await waitUntil(() => replies.length >= 3 || signal?.aborted === true, 5000))) warnings.push(`ping ${fip} from ${pingNode}: no reply before the fault`);
      if (!signal?.aborted) {
        faultAt = Date.now();
        faultTs = faultAt / 1000;
        events.push({ tMs: 0, kind: 'fault', node: oldActive, detail: `${opts.fault} on ${oldActive}` });
        progress(`fault: ${opts.fault} on ${oldActive}`);
        injected = true;
        const ran = await injector.inject(member(oldActive));
        // count from when the fault ran on the host, not from the request (see drill-failover)
        faultAt = faultRanAt(faultAt, ran?.runningAtMs, oldActive, (line) => {
          warnings.push(line);
          progress(line);
        });
        faultTs = faultAt / 1000;
        const watchMs = opts.watchMs ?? budgetMs + 10_000;
        for (;;) {
          if (signal?.aborted) {
            cancelled = { reason: abortReasonOf(signal), phase: 'after-fault' };
            break;
          }
          const now = Date.now();
          if (!newActive) {
            const a = (await poll()).filter((n) => n !== oldActive);
            if (a.length >= 1) {
              newActive = a[0];
              newActiveAt = Date.now();
              events.push({ tMs: newActiveAt - faultAt, kind: 'new-primary', node: newActive, detail: `dhcp_server ${dhcp} on ${net.bridge}` });
              progress(`+${newActiveAt - faultAt} ms ${newActive} holds the network host role`);
            }
          }
          const outage = ping ? computePingOutage(replies, faultTs, pingInterval, now / 1000) : undefined;
          const pingDone = !ping || outage?.firstAfter !== undefined || (outage?.outageMs === 0 && now - faultAt > 3000);
          // nova's arping runs count × 1 s: wait for all of them (or a second past the last expected)
          const garpsDone = newActive !== undefined && (garpsOf(newActive).length >= count || (newActiveAt !== undefined && now - newActiveAt > count * 1000 + 1500));
          if (newActive && garpsDone && pingDone) break;
          if (now - faultAt > watchMs) break;
          await sleepOrAbort(opts.pollMs ?? 200, signal);
        }
      }
    } finally {
      await sleepOrAbort(300);
      await cap.stop();
      if (ping) await ping.stop();
    }
    const sources = await cap.done;
    for (const r of sources) if (r.error) warnings.push(r.error);
    if (!injected) {
      const c: DrillCancel = { reason: abortReasonOf(signal), phase: 'before-fault' };
      const j = judgeNovaDrill({ newPrimaryMs: null, firstGarpMs: null, cancelled: c }, budgetMs, undefined);
      return {
        drill: { router: label, fault: `${opts.fault} ${oldActive} (not injected)`, startedAt, events, outageMs: null, newPrimaryMs: null, firstGarpMs: null, budgetMs, verdict: j.verdict, oldPrimary: oldActive, message: j.message },
        restored: [], primariesAfterRestore: before, garps: [], sources, warnings, clockOffsets, cancelled: c, flaps: [], explanation: [], words,
      };
    }
    const endTs = Date.now() / 1000;
    const mine = newActive ? garpsOf(newActive) : [];
    const first = mine[0];
    if (first) events.push({ tMs: Math.round((first.ts - faultTs) * 1000), kind: 'first-garp', node: newActive, detail: `${fip} from ${first.arp?.sha} on ${first.device}` });
    let outage: PingOutage | undefined;
    if (ping && fip) {
      outage = computePingOutage(replies, faultTs, pingInterval, endTs);
      if (outage.lastBefore !== undefined && (outage.lost > 0 || outage.outageMs === null)) events.push({ tMs: Math.round((outage.lastBefore - faultTs) * 1000 + pingInterval), kind: 'ping-lost', detail: `${outage.lost} ping(s) lost` });
      if (outage.firstAfter !== undefined) events.push({ tMs: Math.round((outage.firstAfter - faultTs) * 1000), kind: 'ping-recovered' });
    }
    // the announcement judged as nova sends it, from the new host's frames
    let garp: NovaDrillGarp | undefined;
    if (fip && newActive) {
      const facts: Facts = { ...opts.facts, nova: { ...nova, floatingIps: (nova.floatingIps ?? []).map((f) => (f.address === fip ? { ...f, host: newActive! } : f)) } };
      const plan = novaGarpExpectation(facts, fip, (h) => macs.get(h), budgetMs);
      garp = plan.expected
        ? { verdict: judgeGarp(frames.filter((f) => f.node === newActive), plan.expectation, { windowStart: faultTs, final: true, now: endTs }) }
        : { notExpected: plan.reason };
    }
    const all = pair.flatMap((n) => garpsOf(n).map((f) => ({ node: n, tMs: Math.round((f.ts - faultTs) * 1000), ip: fip! })));
    const flaps = collectFlaps(all, newActive);

    // restore, then wait for exactly one active member
    const restored = await injector.restore(member(oldActive), warnings);
    let after: string[] = [];
    await waitUntil(async () => (after = await poll()).length === 1, 30_000, 300);
    events.push({ tMs: Date.now() - faultAt, kind: 'restored', node: oldActive, detail: `${restored.join('; ')}; active now ${after.join(', ') || 'none'}` });
    if (after.length !== 1) warnings.push(`after restore ${after.length} active network hosts (${after.join(', ')})`);
    events.sort((a, b) => a.tMs - b.tMs);
    const firstGarpMs = first ? Math.round((first.ts - faultTs) * 1000) : null;
    // the takeover script puts the dhcp_server on the bridge before it binds and announces the FIPs:
    // a G-ARP from the new host seen before the SSH poll answered (slow under load) dates the takeover
    const polledMs = newActiveAt !== undefined ? newActiveAt - faultAt : null;
    const newPrimaryMs = polledMs !== null && firstGarpMs !== null && firstGarpMs < polledMs ? firstGarpMs : polledMs;
    if (polledMs !== null && newPrimaryMs !== polledMs) {
      const ev = events.find((e) => e.kind === 'new-primary');
      if (ev) Object.assign(ev, { tMs: newPrimaryMs, detail: `${ev.detail} (dated by its first G-ARP; the SSH poll saw it at +${polledMs} ms)` });
      events.sort((a, b) => a.tMs - b.tMs);
    }
    const judged = judgeNovaDrill({ newPrimary: newActive, newPrimaryMs, firstGarpMs, cancelled, restored, finalPrimary: newActive, flaps, ...(outage ? { outageMs: outage.outageMs } : {}) }, budgetMs, garp);
    const drill: DrillResult = {
      router: label, fault: `${opts.fault} ${oldActive}`, startedAt, events, outageMs: outage ? outage.outageMs : null,
      newPrimaryMs, firstGarpMs, budgetMs, verdict: judged.verdict, oldPrimary: oldActive, message: judged.message, ...(newActive ? { newPrimary: newActive } : {}),
    };
    return {
      drill, restored, primariesAfterRestore: after, ping: outage && fip && pingNode ? { ...outage, fip, from: pingNode } : undefined,
      garps: all, sources, warnings, clockOffsets, ...(cancelled ? { cancelled } : {}), flaps, explanation: judged.explanation, ...(newActive ? { finalPrimary: newActive } : {}), words,
    };
  } finally {
    await nodes.closeAll();
  }
}

/** make the fault on the member over SSH (the lab's injector makes it the same way) */
export async function injectNovaFaultOverSsh(fault: DrillFault, t: NovaMemberTarget): Promise<FaultInjected> {
  const cmd = fault === 'kill-keepalived' ? buildKillByPidFileCommand(NOVA_KEEPALIVED_PID)
    : fault === 'link-down' ? buildRootLinkSetCommand(t.flatInterface!, 'down')
    : buildNovaStopNodeCommand(NOVA_KEEPALIVED_PID, [t.publicInterface, t.flatInterface ?? ''].filter(Boolean));
  return sshRun(t, cmd, fault);
}

/** after link-down: flat_interface up again over SSH; says what it did */
export async function setFlatInterfaceUp(t: NovaMemberTarget): Promise<string> {
  await sshRun(t, buildRootLinkSetCommand(t.flatInterface!, 'up'), 'link up');
  return `set ${t.flatInterface} up on ${t.node} (its cluster manager rejoins as backup: nopreempt)`;
}

/** the nova drill's faults over SSH, as on a real host; keepalived is brought back by its service manager */
export function sshNovaFaultInjector(fault: DrillFault): NovaFaultInjector {
  if (fault === 'stop-node') throw new HaprobeError('usage', 'stop-node takes a host down: only --via lab (haprobe cannot power a real host back on)', { where: '--fault' });
  return {
    inject: (t) => injectNovaFaultOverSsh(fault, t),
    async restore(t, warnings) {
      const done: string[] = [];
      try {
        if (fault === 'link-down') {
          done.push(await setFlatInterfaceUp(t));
        } else {
          // systemd (Restart=) or the operator brings the cluster manager back; haprobe does not start it
          if (await waitForPidFileAlive(t, NOVA_KEEPALIVED_PID)) done.push(`keepalived on ${t.node} was restarted (by its service manager)`);
          else warnings.push(`keepalived on ${t.node} did not come back within 75 s: start it there (haprobe does not start a cluster manager on a real node)`);
        }
      } catch (err) {
        warnings.push(`restore failed: ${(err as Error).message}`);
      }
      return done;
    },
  };
}
