import type { CapturedFrame } from './types';
import { classifyArp } from './classify';
import type { ArpClass, GarpShape } from './classify';
import type { ClaimRule, ConsistencyFinding } from './consistency';
import { checkConsistency } from './consistency';
import type { GarpExpectation, GarpVerdict } from './verdict';
import { judgeGarp } from './verdict';
import type { Icmp6Kind } from './types';
import { describeIcmp6Frame, judgeBackupEmissions, type HaWindowRole } from './backup-emissions';

/**
 * What `garp watch` shows, computed from frames alone (pure): one row per ARP/VRRP frame and
 * the anomalies of the window — consistency findings, announcements that are not G-ARPs,
 * near-miss G-ARPs, malformed frames, and the verdict when an expectation was given.
 */

export interface GarpEventRow {
  ts: number;
  clock?: 'epoch' | 'time-of-day';
  node?: string;
  device?: string;
  ip?: string;
  mac?: string;
  kind: ArpClass | 'vrrp' | 'malformed' | Icmp6Kind;
  shape?: GarpShape;
  detail?: string;
}

export interface GarpAnomaly {
  kind: 'not-garp' | 'near-miss' | 'malformed' | 'verdict' | 'backup-ipv6-emission' | ConsistencyFinding['kind'];
  severity: 'error' | 'warning';
  detail: string;
  ts?: number;
  /** backup-ipv6-emission: who sent what (§7 row 13) */
  node?: string;
  device?: string;
  mac?: string;
  frame?: string;
  /** bug references of the finding (lp#…) */
  references?: readonly string[];
}

export interface GarpAnalysis {
  frames: number;
  events: GarpEventRow[];
  anomalies: GarpAnomaly[];
  consistency: ConsistencyFinding[];
  verdict?: GarpVerdict;
  /** what could not be judged and why (ICMPv6 sent by a qg- whose HA state is unknown or changed); not `notes`, which the live JSON uses for capture-point notes */
  unjudged?: string[];
}

export interface AnalyzeOptions {
  watchedIps?: string[];
  expectation?: GarpExpectation;
  /** event time for the verdict, seconds on the capture clock; default: first frame */
  windowStart?: number;
  rules?: ClaimRule[];
  /** the capture is complete (offline files, or a live capture that ended) */
  final?: boolean;
  /**
   * HA role of a node for a router over the capture window (state files read before and after):
   * when given, ICMPv6 a backup's qg- sent is an anomaly (§7 row 13, lp#1859832). Without it
   * (files, tcpdump text) those frames are rows only.
   */
  haRoleOf?: (node: string, routerId: string) => HaWindowRole;
}

export function analyzeFrames(frames: readonly CapturedFrame[], options: AnalyzeOptions = {}): GarpAnalysis {
  const watched = new Set([...(options.watchedIps ?? []), ...(options.expectation ? [options.expectation.ip] : [])]);
  const events: GarpEventRow[] = [];
  const anomalies: GarpAnomaly[] = [];
  for (const f of frames) {
    const base = { ts: f.ts, clock: f.clock, node: f.node, device: f.device };
    if (f.kind === 'malformed') {
      events.push({ ...base, kind: 'malformed', mac: f.ethSrc, detail: f.reason });
      anomalies.push({ kind: 'malformed', severity: 'warning', detail: `malformed frame from ${f.ethSrc ?? '?'}: ${f.reason}`, ts: f.ts });
      continue;
    }
    if (f.kind === 'vrrp' && f.vrrp) {
      events.push({ ...base, kind: 'vrrp', ip: f.ip?.src, mac: f.ethSrc, detail: `vrid ${f.vrrp.vrid} prio ${f.vrrp.priority}${f.vrrp.addresses ? ` ${f.vrrp.addresses.join(',')}` : ''}` });
      continue;
    }
    if (f.kind === 'icmp6' && f.icmp6) {
      events.push({ ...base, kind: f.icmp6.kind, ip: f.ip?.src, mac: f.ethSrc, detail: `${describeIcmp6Frame(f)}${f.direction ? ` (${f.direction === 'out' ? 'sent' : 'received'})` : ''}` });
      continue;
    }
    const c = classifyArp(f, { watchedIps: watched });
    if (!c) continue;
    const arp = f.arp!;
    const row: GarpEventRow = { ...base, kind: c.class, ip: c.ip, mac: c.mac, shape: c.shape, detail: `${arp.op === 1 ? 'who-has' : 'is-at'} ${arp.spa ?? '?'}→${arp.tpa ?? '?'}` };
    if (f.vlans) row.detail += ` vlan ${f.vlans.join('.')}`;
    events.push(row);
    if (c.class === 'announcement-not-garp') {
      anomalies.push({ kind: 'not-garp', severity: 'error', detail: `${where(f)}${c.reasons.join('; ')}`, ts: f.ts });
    } else if (c.reasons.length > 0) {
      anomalies.push({ kind: 'near-miss', severity: 'error', detail: `${where(f)}almost a G-ARP for ${c.ip}: ${c.reasons.join('; ')}`, ts: f.ts });
    }
  }
  const consistency = checkConsistency(frames, { rules: options.rules });
  for (const c of consistency) anomalies.push({ kind: c.kind, severity: c.severity, detail: c.detail, ts: c.first });
  const out: GarpAnalysis = { frames: frames.length, events, anomalies, consistency };
  if (options.haRoleOf) {
    const b = judgeBackupEmissions(frames, options.haRoleOf);
    for (const e of b.emissions) {
      anomalies.push({ kind: 'backup-ipv6-emission', severity: 'error', detail: e.detail, ts: e.ts, node: e.node, device: e.device, mac: e.mac, frame: e.frame, references: e.references });
    }
    if (b.notes.length > 0) out.unjudged = b.notes;
  }
  if (options.expectation) {
    const windowStart = options.windowStart ?? earliestTs(frames);
    out.verdict = judgeGarp(frames, options.expectation, { windowStart, final: options.final });
    if (out.verdict.status === 'FAIL') {
      anomalies.push({ kind: 'verdict', severity: 'error', detail: `G-ARP verdict for ${out.verdict.ip}: FAIL ${out.verdict.cause} — ${out.verdict.problems[0]?.detail ?? ''}` });
    }
  }
  return out;
}

function where(f: CapturedFrame): string {
  const p = [f.node, f.device].filter(Boolean).join(' ');
  return p ? `${p}: ` : '';
}

/**
 * The first frame's time (0 without frames). A loop, not `Math.min(...ts)`: spreading one
 * argument per frame threw a RangeError from about 125k frames (issue 8).
 */
function earliestTs(frames: readonly CapturedFrame[]): number {
  let min = frames.length > 0 ? frames[0].ts : 0;
  for (const f of frames) if (f.ts < min) min = f.ts;
  return min;
}
