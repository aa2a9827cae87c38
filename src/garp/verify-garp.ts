import { HaprobeError } from '../errors';
import type { Inventory, InventoryNode } from '../inventory/types';
import type { Facts } from '../model/facts';
import type { ResolvedProfile } from '../profile/types';
import type { Transport } from '../transport/types';
import { GarpJudge } from '../capture/garp-judge';
import { formatCaptureSpec, startLiveCapture, type SourceResult } from '../capture/live';
import { requiredSpanMs, resolvePattern } from '../capture/patterns';
import type { CapturedFrame } from '../capture/types';
import type { ArpEvent, GarpExpectation, GarpVerdict, VerdictStatus } from '../capture/verdict';
import { planCapturePoints, pointKey, roleIndex, type CapturePoint, type PointRole } from './capture-points';
import { locateRouter, planAnnouncer, type AnnouncerPlan } from './plan-announcer';
import { primariesOf, readHaStates, type HaNodeState } from './read-ha-states';
import { explainUnresolved, readUpstreamNeighbour, upstreamDeviceFor, type UpstreamNeighbour } from './read-upstream';
import { judgeSees } from './route-frame';
import { openNodePool } from './open-node-pool';
import { shouldStopWatching } from './watch-until';
import { measureClockOffsets } from './clock-offset';
import { correctTs, describeOffsets, offsetOf, type NodeClockOffset } from './estimate-offset';
import { sleepOrAbort } from './abortable';
import { framesBeforeChange, judgeAfterChange } from './judge-after-change';
import { readOvnPlan } from './read-ovn-plan';
import { readNovaPlan } from './read-nova-plan';
import type { GarpAction } from './garp-action';
import { replaceDownBridges } from './replace-down-bridges';

/**
 * `garp verify` orchestration: plan who must announce, capture on every place that could
 * announce (and on the wire and the receiver) BEFORE the change, run the change, judge frames
 * as they stream, read the upstream neighbour after, stop every capture in finally.
 */

/** what the change did; eventAtMs (epoch ms) defaults to the moment the trigger was called */
export interface TriggerResult {
  description: string;
  eventAtMs?: number;
  detail?: unknown;
  /**
   * the change was requested from an API and an agent applies it later (neutron's L3 agent): the
   * old owner may still hold, and announce, the address for a while after eventAtMs
   */
  asynchronous?: boolean;
}

export interface VerifyGarpOptions {
  inventory: Inventory;
  facts: Facts;
  profile: Pick<ResolvedProfile, 'id' | 'garp' | 'release'>;
  fip: string;
  action?: GarpAction;
  /** performs the action (lab or cloud); required when action is given */
  trigger?: (plan: AnnouncerPlan) => Promise<TriggerResult>;
  deadlineMs: number;
  /** quiet time after the last relevant frame before the capture ends, ms (default 1500) */
  settleMs?: number;
  /** wire capture device on candidate nodes (default br-ex; '' = none) */
  wireDevice?: string;
  /** neutron state_path on the nodes (HA state files) */
  statePath?: string;
  /** keep the raw pcap stream of every capture point here */
  pcapDir?: string;
  /** wait this long for every tcpdump to listen, ms (default 15 000) */
  readyTimeoutMs?: number;
  /**
   * ML2/OVN (an `ovn` profile, issue 11): who announces is read from the OVN southbound and the
   * chassis (readOvnPlan), not from the L3 agent's facts; `distributed` is the profile's
   * distributedFloatingIps param
   */
  ovn?: { distributed: boolean | 'auto' };
}

export interface VerifyGarpDeps {
  transportFor: (node: InventoryNode) => Transport;
  /** progress lines (stderr) */
  progress?: (line: string) => void;
  /** every ARP event as the judge emitted it (the bench measures latency here) */
  onEvent?: (event: ArpEvent, emittedAtMs: number) => void;
}

export interface WireSighting {
  node: string;
  device: string;
  role: PointRole;
  /** frames announcing the FIP (sender IP = target IP = FIP) seen there after the event */
  garps: number;
  /** ms after the event of the first one */
  firstMs?: number;
  macs: string[];
  /** the capture there did not run: tcpdump's own words (the counts above then mean nothing) */
  error?: string;
}

export interface VerifyGarpResult {
  plan: AnnouncerPlan;
  action?: GarpAction;
  expectation: GarpExpectation;
  verdict: GarpVerdict;
  /** the status shown: the judge's, adjusted for disassociation (silence expected) and watch-only runs */
  status: VerdictStatus;
  cause?: string;
  message: string;
  points: CapturePoint[];
  wire: WireSighting[];
  upstream?: UpstreamNeighbour;
  haStates?: HaNodeState[];
  trigger?: TriggerResult;
  sources: SourceResult[];
  /** epoch seconds */
  windowStart: number;
  startedAt: string;
  finishedAt: string;
  stopReason: string;
  pcapFiles: string[];
  warnings: string[];
  /**
   * each capture node's clock against the local one, measured once before the capture; every
   * frame's ts is on the local clock (node offset subtracted) so times after the change are real
   */
  clockOffsets: NodeClockOffset[];
}

export async function verifyGarp(opts: VerifyGarpOptions, deps: VerifyGarpDeps): Promise<VerifyGarpResult> {
  if (opts.action && !opts.trigger) throw new HaprobeError('usage', `--${opts.action.kind} needs a way to perform it`, { where: 'garp verify' });
  const startedAt = new Date().toISOString();
  const progress = deps.progress ?? (() => undefined);
  const warnings: string[] = [];
  const nodes = openNodePool(opts.inventory, deps.transportFor, opts.pcapDir);
  const { transportOf, sudoOf } = nodes;
  const pcapFiles: string[] = [];

  try {
    let plan: AnnouncerPlan;
    let haStates: HaNodeState[] | undefined;
    if (opts.facts.nova && opts.facts.routers.length === 0) {
      // nova-network (issue 9): no router, the FIP is a /32 on public_interface of the host that binds it
      plan = await readNovaPlan({ facts: opts.facts, profile: opts.profile, fip: opts.fip, action: opts.action, has: nodes.has }, { transportOf, sudoOf, warn: (l) => warnings.push(l) });
    } else if (opts.ovn) {
      plan = await readOvnPlan({ inventory: opts.inventory, facts: opts.facts, fip: opts.fip, action: opts.action, distributed: opts.ovn.distributed }, { transportOf, sudoOf, warn: (l) => warnings.push(l) });
    } else {
    // HA: the primary from the state files, else the facts (planAnnouncer notes which)
    const { router } = locateRouter(opts.facts, opts.fip, opts.action?.kind === 'associate' ? opts.action.instance : undefined);
    let haPrimary: string | undefined;
    // L3 HA: keepalived in qrouter- on every host; DVR-HA: in snat- on the snat hosts (centralized FIPs)
    const keepalivedHosts = router.mode === 'ha' ? router.hosts : router.mode === 'dvr-ha' ? (router.snatHosts ?? []) : [];
    if (keepalivedHosts.length > 0) {
      haStates = await readHaStates(keepalivedHosts.map((n) => ({ node: n, transport: transportOf(n), sudo: sudoOf(n) })), router.id, { statePath: opts.statePath });
      const primaries = primariesOf(haStates);
      if (primaries.length === 1) haPrimary = primaries[0];
      else warnings.push(`HA state files name ${primaries.length} primaries (${primaries.join(', ') || 'none'}): ${haStates.map((s) => `${s.node}=${s.state ?? s.error ?? '?'}`).join(' ')}`);
    }
    plan = planAnnouncer({
      facts: opts.facts, profile: opts.profile, fip: opts.fip, haPrimary,
      instance: opts.action?.kind === 'associate' ? opts.action.instance : undefined,
    });
    }
    const expectation: GarpExpectation = {
      ip: opts.fip, mac: plan.expected.mac, node: plan.expected.node,
      device: formatCaptureSpec({ namespace: plan.expected.namespace, device: plan.expected.device }),
      pattern: plan.pattern, deadlineMs: opts.deadlineMs,
      // who may fail an announcement: every device that could announce, and the router's ports
      announcerMacs: [...new Set([...plan.candidates.map((c) => c.mac), ...opts.facts.ports.filter((p) => p.deviceId === plan.routerId).map((p) => p.mac.toLowerCase())])],
    };
    progress(`expect ${plan.pattern} G-ARPs for ${opts.fip} from ${plan.expected.node} ${plan.expected.namespace}/${plan.expected.device} ${plan.expected.mac} within ${opts.deadlineMs} ms`);

    let receiver: { node: string; namespace?: string; device: string } | undefined;
    const up = opts.facts.upstream;
    if (up?.node && nodes.has(up.node)) {
      const dev = await upstreamDeviceFor({ transport: transportOf(up.node), sudo: sudoOf(up.node), namespace: up.namespace }, opts.fip);
      if (dev) receiver = { node: up.node, namespace: up.namespace, device: dev };
      else warnings.push(`upstream ${up.node}: no route to ${opts.fip}, not capturing there`);
    } else if (up?.node) warnings.push(`upstream node ${up.node} is not in the inventory: receiver side not checked`);

    // OVN and nova-network: the origin is the uplink / public_interface itself, there is no br-ex
    const points = await replaceDownBridges(planCapturePoints({ candidates: plan.candidates, wireDevice: opts.ovn || plan.mode === 'nova-network' ? '' : (opts.wireDevice ?? 'br-ex'), receiver }), transportOf, sudoOf, (l) => {
      warnings.push(l);
      progress(l);
    });
    for (const p of points) {
      const file = nodes.keepPcap(p);
      if (file) pcapFiles.push(file);
    }
    // frame times come from each node's clock, the change from ours: put them on one clock
    const clockOffsets = await measureClockOffsets([...new Set(points.map((p) => p.node))].map((n) => ({ node: n, transport: transportOf(n) })));
    for (const l of describeOffsets(clockOffsets)) progress(l);
    const roles = roleIndex(points);
    const roleOf = (f: CapturedFrame): PointRole | undefined => roles.get(pointKey(f.node ?? '', f.device ?? ''));
    const candidateMacs = new Set(plan.candidates.map((c) => c.mac));
    const allFrames: CapturedFrame[] = [];
    let judge: GarpJudge | undefined;
    const pending: CapturedFrame[] = [];
    let lastRelevantTs: number | undefined;
    const feed = (f: CapturedFrame): void => {
      if (f.arp && (f.arp.spa === opts.fip || f.arp.tpa === opts.fip)) lastRelevantTs = Math.max(lastRelevantTs ?? 0, f.ts);
      const role = roleOf(f);
      // OVN: every chassis' uplink is an origin; only the resident chassis may announce (RH bz 2062580)
      if (plan.mode === 'ovn' && role === 'origin' && f.node !== plan.expected.node) return;
      if (judgeSees(f, role, opts.fip, candidateMacs)) judge!.push(f);
    };
    const cap = startLiveCapture({
      sources: points.map((p) => ({ node: p.node, transport: transportOf(p.node), target: p.target, sudo: sudoOf(p.node) })),
      onFrame: (raw) => {
        const f = correctTs(raw, offsetOf(clockOffsets, raw.node));
        allFrames.push(f);
        if (judge) feed(f);
        else pending.push(f);
      },
    });
    let captureEnded = false;
    void cap.done.then(() => (captureEnded = true));
    let trigger: TriggerResult | undefined;
    let triggerCalledAtMs: number | undefined;
    let windowStart = Date.now() / 1000;
    let stopReason = 'capture ended';
    let finalVerdict: GarpVerdict;
    try {
      const ready = await Promise.race([cap.ready.then(() => true), sleepOrAbort(opts.readyTimeoutMs ?? 15_000).then(() => false)]);
      if (!ready) warnings.push('not every capture was listening in time; started anyway');
      progress(`capturing on ${points.map((p) => `${p.node}:${formatCaptureSpec({ ...p.target, filter: undefined })}(${p.role})`).join(' ')}`);
      windowStart = Date.now() / 1000;
      judge = new GarpJudge({
        expectations: [expectation],
        windowStart,
        watchedIps: [opts.fip],
        onEvent: (ev) => {
          const at = Date.now();
          deps.onEvent?.(ev, at);
          const f = ev.frame;
          if (ev.classification.ip === opts.fip || f.arp?.spa === opts.fip || f.arp?.tpa === opts.fip) {
            progress(`+${Math.round((f.ts - windowStart) * 1000)} ms ${f.node ?? ''} ${f.device ?? ''} ${ev.classification.class}${ev.classification.shape ? ` (${ev.classification.shape})` : ''} ${f.arp?.sha ?? f.ethSrc ?? '?'} ${f.arp?.spa ?? '?'}→${f.arp?.tpa ?? '?'}`);
          }
        },
        onVerdict: (v) => progress(`verdict now ${v.status}${v.cause ? ` (${v.cause})` : ''}: ${v.counted}/${v.expected.required}`),
      });
      for (const f of pending.splice(0)) feed(f);
      let triggerDone = opts.trigger === undefined || opts.action === undefined;
      let triggerError: unknown;
      if (!triggerDone) {
        progress(`${opts.action!.kind} ${opts.fip}…`);
        triggerCalledAtMs = Date.now();
        opts.trigger!(plan).then(
          (t) => {
            trigger = t;
            triggerDone = true;
            progress(`done: ${t.description}`);
          },
          (err) => {
            triggerError = err;
            triggerDone = true;
          },
        );
      }
      const reqSpan = requiredSpanMs(resolvePattern(plan.pattern));
      for (;;) {
        await sleepOrAbort(100);
        if (triggerError) throw triggerError;
        const now = Date.now() / 1000;
        const v = judge.tick(now)[0];
        const s = shouldStopWatching({ now, windowStart, triggerDone, verdict: v, lastRelevantTs, deadlineMs: opts.deadlineMs, requiredSpanMs: reqSpan, settleMs: opts.settleMs ?? 1500 });
        if (s.stop) {
          stopReason = s.why ?? 'done';
          break;
        }
        if (captureEnded) {
          stopReason = 'every capture ended (interrupted, or tcpdump failed)';
          break;
        }
      }
      if (trigger?.eventAtMs !== undefined) progress(`change applied at +${Math.round(trigger.eventAtMs - windowStart * 1000)} ms`);
    } finally {
      await cap.stop();
    }
    const sources = await cap.done;
    for (const r of sources) {
      if (r.error) warnings.push(r.error);
      else if (r.failure) warnings.push(`${r.node} ${r.device}: capture failed (${r.failure.reason}): ${r.failure.message}`);
      for (const w of r.warnings) if (!r.error?.endsWith(w)) warnings.push(`${r.node} ${r.device}: ${w}`);
    }
    const now = Date.now() / 1000;
    finalVerdict = judge!.verdict(opts.fip, { now, final: true })!;
    // frames before the change was requested are the state before it, not its consequence (issue 14)
    const changeAt = triggerCalledAtMs === undefined ? windowStart : Math.max(windowStart, (trigger?.eventAtMs ?? triggerCalledAtMs) / 1000);
    const setAside = framesBeforeChange(allFrames, opts.fip, windowStart, changeAt);
    if (setAside.note) {
      warnings.push(setAside.note);
      progress(setAside.note);
      finalVerdict = judgeAfterChange(allFrames, expectation, windowStart, changeAt, (f) => judgeSees(f, roleOf(f), opts.fip, candidateMacs), now);
    }

    let upstream: UpstreamNeighbour | undefined;
    if (up?.node && nodes.has(up.node)) {
      upstream = await readUpstreamNeighbour({ node: up.node, transport: transportOf(up.node), sudo: sudoOf(up.node), namespace: up.namespace }, opts.fip, plan.expected.mac);
    }
    const wire = summarizeWire(allFrames, points, opts.fip, windowStart, sources, changeAt);
    // after a disassociation nothing is announced: an empty entry then needs no explanation
    if (upstream && opts.action?.kind !== 'disassociate') upstream = explainUnresolved(upstream, garpsAtReceiver(allFrames, points, opts.fip, plan.expected.mac, changeAt, sources));
    let shown = decideStatus(finalVerdict, opts.action, allFrames, opts.fip, changeAt, plan, trigger?.asynchronous === true, roleOf);
    if (plan.mode === 'ovn' && opts.action?.kind !== 'disassociate') {
      const other = findOtherChassisGarp(allFrames, points, plan.expected.node, opts.fip, changeAt);
      if (other) shown = { status: 'FAIL', cause: 'wrong-node', message: `G-ARP for ${opts.fip} from ${other.node ?? '?'} ${other.device ?? ''} (${other.arp?.sha ?? '?'}): only the resident chassis ${plan.expected.node} may announce it (RH bz 2062580)` };
    }
    if (plan.mode === 'nova-network' && shown.cause === 'no-garp' && opts.action?.kind === 'associate') shown = { ...shown, message: `${shown.message}; ${NOVA_NO_GARP}` };
    // the announcer's own capture did not run: whatever the judge says rests on nothing (issue 15)
    const originDown = sources.find((r) => r.error !== undefined && r.node === plan.expected.node && roles.get(pointKey(r.node, r.device)) === 'origin');
    if (originDown) shown = { status: 'INCONCLUSIVE', cause: 'capture-failed', message: `no verdict: ${originDown.error}` };
    return {
      plan, action: opts.action, expectation, verdict: finalVerdict, status: shown.status, cause: shown.cause, message: shown.message,
      points, wire, upstream, haStates, trigger, sources, windowStart, startedAt, finishedAt: new Date().toISOString(), stopReason,
      pcapFiles: pcapFiles.filter((f) => sources.length > 0 && f), warnings: [...plan.notes, ...warnings], clockOffsets,
    };
  } finally {
    await nodes.closeAll();
  }
}

/** why a nova-network bind sent nothing: the finding behind LP 782364 (and the count LP 1043796 set) */
export const NOVA_NO_GARP = 'nova-network sent no G-ARP when it bound the floating IP: send_arp_for_ha=False (the default) or not in effect on that host — upstream ARP caches keep the old MAC until they expire (LP 782364; send_arp_for_ha=True sends send_arp_for_ha_count=3 REPLYs, LP 1043796)';

/** OVN: the first announcement of `fip` that left another chassis' provider uplink after the window opened (RH bz 2062580) */
export function findOtherChassisGarp(frames: readonly CapturedFrame[], points: readonly CapturePoint[], expectedNode: string, fip: string, windowStart: number): CapturedFrame | undefined {
  const origins = new Set(points.filter((p) => p.role === 'origin' && p.node !== expectedNode).map((p) => pointKey(p.node, formatCaptureSpec(p.target))));
  return frames.find((f) => f.ts >= windowStart && f.arp?.spa === fip && f.arp.tpa === fip && origins.has(pointKey(f.node ?? '', f.device ?? '')));
}

/**
 * The judge expects an announcement. After a disassociation nothing may announce the FIP
 * (a G-ARP then would point caches at a router that no longer NATs it). Without any change
 * (watch only) a silent wire is not a failure of the cloud: INCONCLUSIVE.
 */
export function decideStatus(
  v: GarpVerdict,
  action: GarpAction | undefined,
  frames: readonly CapturedFrame[],
  fip: string,
  since: number,
  plan?: Pick<AnnouncerPlan, 'candidates' | 'expected'>,
  asynchronous = false,
  roleOf?: (f: CapturedFrame) => PointRole | undefined,
): { status: VerdictStatus; cause?: string; message: string } {
  if (action?.kind === 'disassociate') {
    // `since`: the change was requested then; earlier claims are the old association's (issue 14)
    const claims = frames.filter((f) => f.ts >= since && f.arp?.spa === fip && f.arp.tpa === fip);
    if (claims.length === 0) return { status: 'PASS', message: `no announcement of ${fip} after it was disassociated` };
    const f = claims[0];
    const what = `${claims.length} announcement(s) of ${fip} after disassociation, first from ${f.node ?? '?'} ${f.device ?? ''} ${f.arp?.sha ?? ''}`;
    // through an API the agent removes the address later: the old owner announcing with its own MAC may
    // still hold it (neutron's L3 agent, busy, sent its queued arpings 0.8 s after the API call in the
    // real-engine lab) — not a fault haprobe can prove; anyone else announcing is
    // Who sent a frame is told by the captures at the senders (origin points): the same frame seen on a
    // bridge port or at the receiver is a copy, whatever node it was captured on (CI of the twelfth
    // submission: the primary's keepalived announced the FIP 3.3 s after the API call, before the agent's
    // throttled reload took it out of keepalived.conf; the copies of those frames on the backup's ex-up
    // and the upstream's ext0 were taken for other senders)
    const old = plan?.expected;
    const oldOwner = old !== undefined && claims.every((c) => c.arp?.sha?.toLowerCase() === old.mac.toLowerCase()
      && (roleOf ? roleOf(c) !== 'origin' || c.node === old.node : c.node === old.node));
    if (asynchronous && oldOwner) {
      return { status: 'INCONCLUSIVE', cause: 'announced-while-removing', message: `${what}: the old owner's own MAC, sent before or after its agent removed ${fip} — the API does not say when it did; watch again` };
    }
    return { status: 'FAIL', cause: 'too-many', message: what };
  }
  const detail = v.problems[0]?.detail ?? v.notes[0] ?? '';
  if (action === undefined && v.status === 'FAIL' && v.cause === 'no-garp') {
    return { status: 'INCONCLUSIVE', cause: 'no-garp', message: `nothing announced ${fip} while watching (no change was made: read-only)` };
  }
  // a wrong MAC that is another candidate's device (DVR: the other compute's fg-) is the wrong node (§3e)
  const other = plan && (v.cause === 'wrong-mac' || v.cause === 'ip-claimed-by-two-macs') ? wrongCandidate(v, plan) : undefined;
  if (other && v.counted === 0) {
    return { status: 'FAIL', cause: 'wrong-node', message: `G-ARP for ${fip} from ${other.node} ${other.namespace}/${other.device} (${other.mac}), expected ${plan!.expected.node} ${plan!.expected.device} (${plan!.expected.mac})` };
  }
  if (v.status === 'PASS') return { status: 'PASS', message: `${v.counted} G-ARP(s) of ${v.pattern}, first after ${v.firstGarpAfterMs ?? '?'} ms` };
  return { status: v.status, cause: v.cause, message: detail };
}

function wrongCandidate(v: GarpVerdict, plan: Pick<AnnouncerPlan, 'candidates' | 'expected'>): AnnouncerPlan['expected'] | undefined {
  const macs = new Set(v.timeline.filter((e) => e.role === 'wrong-mac').map((e) => (e.sha ?? '').toLowerCase()));
  return plan.candidates.find((c) => c !== plan.expected && c.mac !== plan.expected.mac && macs.has(c.mac));
}

/** announcements of `fip` with `mac` that the receiver capture saw from `since`; undefined without a working receiver capture */
function garpsAtReceiver(frames: readonly CapturedFrame[], points: readonly CapturePoint[], fip: string, mac: string, since: number, sources: readonly SourceResult[]): number | undefined {
  const rx = points.find((p) => p.role === 'receiver');
  if (!rx) return undefined;
  const device = formatCaptureSpec(rx.target);
  if (sources.some((s) => s.node === rx.node && s.device === device && (s.error !== undefined || s.failure !== undefined))) return undefined;
  return frames.filter((f) => f.node === rx.node && f.device === device && f.ts >= since && f.arp?.spa === fip && f.arp.tpa === fip && f.arp.sha?.toLowerCase() === mac.toLowerCase()).length;
}

/** frames from `since` (the change; default the window start) count; times stay measured from the window start */
function summarizeWire(frames: readonly CapturedFrame[], points: CapturePoint[], fip: string, windowStart: number, sources: readonly SourceResult[] = [], since = windowStart): WireSighting[] {
  return points
    .filter((p) => p.role !== 'origin')
    .map((p) => {
      const device = formatCaptureSpec(p.target);
      const here = frames.filter((f) => f.node === p.node && f.device === device && f.ts >= since && f.arp?.spa === fip && f.arp.tpa === fip);
      const w: WireSighting = {
        node: p.node, device, role: p.role, garps: here.length,
        firstMs: here.length > 0 ? Math.round((here.reduce((min, f) => Math.min(min, f.ts), Infinity) - windowStart) * 1000) : undefined, // no spread: RangeError from ~125k frames (issue 8)
        macs: [...new Set(here.map((f) => (f.arp?.sha ?? f.ethSrc ?? '?').toLowerCase()))],
      };
      const error = sources.find((s) => s.node === p.node && s.device === device && s.error !== undefined)?.error;
      if (error) w.error = error;
      return w;
    });
}
