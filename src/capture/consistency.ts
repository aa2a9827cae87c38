import type { CapturedFrame } from './types';
import { classifyArp } from './classify';

/**
 * IP/MAC consistency over a capture window (DESIGN "IP/MAC consistency"):
 * - an IP claimed by two MACs (ARP sender fields are what caches learn): one change is a
 *   move (warning: expected after a DVR migration, wrong after an L3 HA failover where the
 *   qg- MAC is the same on every node), two or more changes are a flip-flop (split brain);
 * - a claim from a node/device that must not claim the IP (DVR: only the fg- on the
 *   instance's host announces a FIP, ground-truth §3e);
 * - more than one source advertising the same VRRP vrid on a segment at the same time
 *   (split brain, ground-truth §2; bug 1365461-style dual masters).
 */

export type ConsistencyKind = 'ip-claimed-by-two-macs' | 'claim-from-wrong-place' | 'vrrp-split-brain';

export interface ConsistencyFinding {
  kind: ConsistencyKind;
  severity: 'error' | 'warning';
  ip?: string;
  vrid?: number;
  macs?: string[];
  /** VRRP: "169.254.192.1 fa:16:3e:…" per advertising source */
  sources?: string[];
  /** capture points ("node device vlan") where it was seen */
  segments?: string[];
  /** 'flip-flop' (≥2 changes) or 'moved' (1 change) for two-MAC claims */
  pattern?: 'flip-flop' | 'moved';
  /** seconds on the capture clock */
  first: number;
  last: number;
  detail: string;
}

/** Who may claim an IP. A claim matches an entry when every field the entry sets matches. */
export interface ClaimRule {
  ip: string;
  allowed: { node?: string; device?: string; mac?: string }[];
  /** why (shown in the finding), e.g. "DVR: FIP announced by fg- on the instance's host" */
  reason?: string;
}

export interface ConsistencyOptions {
  rules?: ClaimRule[];
  /** only frames with windowStart <= ts <= windowEnd (seconds) */
  windowStart?: number;
  windowEnd?: number;
  /** two VRRP sources must overlap this long to be a split brain; default 2 × advert interval */
  vrrpMinOverlapMs?: number;
}

interface Claim {
  ts: number;
  mac: string;
  node?: string;
  device?: string;
}

export function checkConsistency(frames: readonly CapturedFrame[], options: ConsistencyOptions = {}): ConsistencyFinding[] {
  const inWindow = frames.filter(
    (f) => (options.windowStart === undefined || f.ts >= options.windowStart) && (options.windowEnd === undefined || f.ts <= options.windowEnd),
  );
  const sorted = [...inWindow].sort((a, b) => a.ts - b.ts);
  return [...checkArpClaims(sorted, options.rules ?? []), ...checkVrrp(sorted, options.vrrpMinOverlapMs)];
}

function collectClaims(frames: readonly CapturedFrame[]): Map<string, Claim[]> {
  const claims = new Map<string, Claim[]>();
  for (const f of frames) {
    const c = classifyArp(f);
    const spa = f.arp?.spa;
    if (!c || !spa || spa === '0.0.0.0' || c.class === 'probe' || c.class === 'other' || !c.mac) continue;
    const list = claims.get(spa) ?? [];
    // a frame the capture point only received (direction 'in') was not sent from there: it still
    // claims the IP for the caches, but says nothing about WHERE the claim came from (HA qg-
    // ports share one MAC on every replica, issue 15)
    const sent = f.direction !== 'in';
    list.push({ ts: f.ts, mac: c.mac, node: sent ? f.node : undefined, device: sent ? f.device : undefined });
    claims.set(spa, list);
  }
  return claims;
}

function checkArpClaims(frames: readonly CapturedFrame[], rules: ClaimRule[]): ConsistencyFinding[] {
  const out: ConsistencyFinding[] = [];
  const claims = collectClaims(frames);
  for (const [ip, list] of claims) {
    const macs = [...new Set(list.map((c) => c.mac))];
    if (macs.length < 2) continue;
    let changes = 0;
    for (let i = 1; i < list.length; i++) if (list[i].mac !== list[i - 1].mac) changes++;
    const pattern = changes >= 2 ? 'flip-flop' : 'moved';
    out.push({
      kind: 'ip-claimed-by-two-macs',
      severity: pattern === 'flip-flop' ? 'error' : 'warning',
      ip,
      macs,
      pattern,
      first: list[0].ts,
      last: list[list.length - 1].ts,
      detail:
        pattern === 'flip-flop'
          ? `${ip} claimed alternately by ${macs.join(', ')} (${changes} changes): split brain or duplicate address`
          : `${ip} moved from ${macs[0]} to ${macs[1]}`,
    });
  }
  for (const rule of rules) {
    const list = claims.get(rule.ip) ?? [];
    const bad = list.filter((c) => !rule.allowed.some((a) => matchesAllowed(c, a)) && (c.node !== undefined || rule.allowed.some((a) => a.mac)));
    if (bad.length === 0) continue;
    const places = [...new Set(bad.map((c) => [c.node, c.device, c.mac].filter(Boolean).join(' ')))];
    out.push({
      kind: 'claim-from-wrong-place',
      severity: 'error',
      ip: rule.ip,
      macs: [...new Set(bad.map((c) => c.mac))],
      segments: places,
      first: bad[0].ts,
      last: bad[bad.length - 1].ts,
      detail: `${rule.ip} claimed from ${places.join('; ')}${rule.reason ? ` — ${rule.reason}` : ''}`,
    });
  }
  return out;
}

function matchesAllowed(c: Claim, a: { node?: string; device?: string; mac?: string }): boolean {
  if (a.node !== undefined && c.node !== undefined && a.node !== c.node) return false;
  if (a.device !== undefined && c.device !== undefined && a.device !== c.device) return false;
  if (a.mac !== undefined && a.mac.toLowerCase() !== c.mac) return false;
  return true;
}

interface VrrpSource {
  key: string;
  first: number;
  last: number;
  adverts: number;
  intervalMs: number;
}

function checkVrrp(frames: readonly CapturedFrame[], minOverlapMs?: number): ConsistencyFinding[] {
  // segment + vrid + IP version → sources
  const groups = new Map<string, Map<string, VrrpSource>>();
  for (const f of frames) {
    if (f.kind !== 'vrrp' || !f.vrrp || f.vrrp.type !== 1) continue;
    const segment = [f.node ?? '', f.device ?? '', (f.vlans ?? []).join('.')].join(' ').trim() || '(capture)';
    const gkey = `${segment}\u0000${f.vrrp.vrid}\u0000${f.ip?.version ?? 4}`;
    const source = `${f.ip?.src ?? '?'} ${f.ethSrc ?? '?'}`;
    const g = groups.get(gkey) ?? new Map<string, VrrpSource>();
    const s = g.get(source) ?? { key: source, first: f.ts, last: f.ts, adverts: 0, intervalMs: f.vrrp.advertIntervalMs };
    s.last = f.ts;
    s.adverts++;
    g.set(source, s);
    groups.set(gkey, g);
  }
  const found = new Map<string, ConsistencyFinding>();
  for (const [gkey, g] of groups) {
    const [segment, vrid] = gkey.split('\u0000');
    const sources = [...g.values()].filter((s) => s.adverts >= 2);
    for (let i = 0; i < sources.length; i++) {
      for (let j = i + 1; j < sources.length; j++) {
        const a = sources[i];
        const b = sources[j];
        const overlapMs = (Math.min(a.last, b.last) - Math.max(a.first, b.first)) * 1000;
        const need = minOverlapMs ?? 2 * Math.max(a.intervalMs, b.intervalMs, 1000);
        if (overlapMs < need) continue;
        const names = [a.key, b.key].sort();
        const fkey = `${vrid}|${names.join('|')}`;
        const existing = found.get(fkey);
        if (existing) {
          existing.segments?.push(segment);
          continue;
        }
        found.set(fkey, {
          kind: 'vrrp-split-brain',
          severity: 'error',
          vrid: Number(vrid),
          sources: names,
          segments: [segment],
          first: Math.max(a.first, b.first),
          last: Math.min(a.last, b.last),
          detail: `vrid ${vrid}: ${names.join(' and ')} both advertised for ${(overlapMs / 1000).toFixed(1)} s — two masters`,
        });
      }
    }
  }
  return [...found.values()];
}
