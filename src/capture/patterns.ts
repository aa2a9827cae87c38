/**
 * Expected G-ARP wire patterns per sender and release (ground-truth §0.7, §2e'', §5e, §6e).
 * A pattern is a sequence of frames for ONE (interface, IP); each step bounds the gap to the
 * previous frame. Bounds are wide on purpose: they come from the sender's code (sleep and
 * arping `-w` budgets), not from one lab's timing.
 *
 * Two composites say what real deployments do (issue 15):
 * - `oneOf`: the release has several shapes (stable backports, point releases): any one passes;
 * - `union`: several senders announce the same address at once (keepalived's bursts PLUS the
 *   state-change daemon's arping, Ocata–Victoria): the frames are split between the parts.
 * Every claim below was read in the sources (neutron, keepalived, ovn git history) and the
 * commit is named next to it.
 */

import { parseReleaseFamily, releaseOrder, type ReleaseName } from '../model/releases';

export type PatternId =
  | 'neutron-pike+'
  | 'neutron-kilo-newton'
  | 'neutron-juno'
  | 'neutron-newton-ocata'
  | 'neutron-any-release'
  | 'keepalived'
  | 'keepalived-delay5'
  | 'keepalived-refresh'
  | 'keepalived-juno-liberty'
  | 'keepalived+arping-mitaka'
  | 'keepalived+arping-newton-ocata'
  | 'keepalived+arping-pike'
  | 'keepalived-any-release'
  | 'dvr-ha-centralized'
  | 'nova-network'
  | 'ovn'
  | 'ovn-stop-16s'
  | 'ovn-stop-8s'
  | 'ovn-continuous'
  | 'any';

export type StepOp = 'request' | 'reply' | 'any';

export interface PatternStep {
  op: StepOp;
  /** allowed gap to the previous frame of the pattern, milliseconds (ignored for the first) */
  minGapMs: number;
  maxGapMs: number;
  /** a missing optional step is not `too-few` (e.g. keepalived's second burst after garp_master_delay) */
  optional?: boolean;
}

export interface UnionPart {
  pattern: PatternId;
  /** a part that may be absent altogether (a sender that some point releases lack) */
  optional?: boolean;
}

export interface GarpPattern {
  id: PatternId;
  title: string;
  reference: string;
  steps: PatternStep[];
  /** frames beyond steps.length tolerated before `too-many` (not checked for op or gap) */
  extraAllowed: number;
  /** when true the gaps are not checked (pattern 'any') */
  noSpacing?: boolean;
  /** continuous senders: after the steps, any number of frames, each fitting one of these */
  tail?: PatternStep[];
  /** composite: any one of these patterns (steps unused) */
  oneOf?: PatternId[];
  /** composite: these senders together, frames split between them (steps unused); required
   *  parts must complete; when every part is optional, at least one must */
  union?: UnionPart[];
}

/** one ovn-controller backoff step of `gapMs` (see 'ovn-stop-16s') */
function ovnGap(gapMs: number): PatternStep {
  return { op: 'request', minGapMs: Math.round(gapMs * 0.9) - 200, maxGapMs: gapMs + 1500 };
}

function repeat(n: number, step: PatternStep, first?: Partial<PatternStep>): PatternStep[] {
  return Array.from({ length: n }, (_, i) => (i === 0 && first ? { ...step, ...first } : { ...step }));
}

/**
 * Pike+ `_arping`: per round `arping -U -c 1 -w 2` then `arping -A -c 1 -w 2`, then sleep 2 s.
 * iputils 20221126 waits ~1 s before exiting after an unsolicited send, so on the wire the
 * REPLY follows its REQUEST by 0–2 s and the next REQUEST follows the REPLY by 2 s + up to 2 s
 * (measured here: 1.0 s and 3.0 s; ground-truth §0.7 says "immediately" and "2 s apart").
 */
const PIKE_REQ_AFTER_REPLY: PatternStep = { op: 'request', minGapMs: 1800, maxGapMs: 4800 };
const PIKE_REPLY: PatternStep = { op: 'reply', minGapMs: 0, maxGapMs: 2600 };
/** keepalived `vrrp_send_link_update`: garp_rep (5) G-ARPs per address, back to back */
const KA_BURST: PatternStep = { op: 'request', minGapMs: 0, maxGapMs: 1500 };

function keepalivedBursts(secondBurstGapMs: [number, number]): PatternStep[] {
  return [...repeat(5, KA_BURST), ...repeat(5, { ...KA_BURST, optional: true }, { minGapMs: secondBurstGapMs[0], maxGapMs: secondBurstGapMs[1] })];
}

export const PATTERNS: Record<PatternId, GarpPattern> = {
  'neutron-pike+': {
    id: 'neutron-pike+',
    title: 'neutron Pike+: 3 rounds of REQUEST (arping -U) + REPLY (arping -A), 2 s apart',
    reference: 'ground-truth §0.7; neutron 96c5dd6a2b, 82831b9d8d (bug 1690165)',
    steps: [{ op: 'request', minGapMs: 0, maxGapMs: 0 }, PIKE_REPLY, PIKE_REQ_AFTER_REPLY, PIKE_REPLY, PIKE_REQ_AFTER_REPLY, PIKE_REPLY],
    extraAllowed: 0,
  },
  'neutron-kilo-newton': {
    id: 'neutron-kilo-newton',
    title: 'neutron Kilo–Newton: arping -A -c 3 → 3 REPLYs 1 s apart',
    reference: 'ground-truth §0.7 (ip_lib.send_ip_addr_adv_notif, send_arp_for_ha=3)',
    steps: repeat(3, { op: 'reply', minGapMs: 700, maxGapMs: 1600 }),
    extraAllowed: 0,
  },
  'neutron-juno': {
    id: 'neutron-juno',
    title: 'neutron Juno: arping -A -c 3 → 3 REPLYs 1 s apart',
    reference: 'ground-truth §0.7 (l3_agent._send_gratuitous_arp_packet)',
    steps: repeat(3, { op: 'reply', minGapMs: 700, maxGapMs: 1600 }),
    extraAllowed: 0,
  },
  // 82831b9d8d and 96c5dd6a2b were backported: in neutron's tags the -U/-A loop with the 2 s
  // sleep is in 9.4.0+ (stable/newton) and 10.0.2+ (stable/ocata), not in 9.0.0–9.3.1, 10.0.0–10.0.1
  'neutron-newton-ocata': {
    id: 'neutron-newton-ocata',
    title: 'neutron Newton/Ocata: the Kilo shape (GA) or the Pike shape (9.4.0+, 10.0.2+ backports)',
    reference: 'neutron tags 9.4.0, 10.0.2 (backports of 82831b9d8d, 96c5dd6a2b)',
    steps: [],
    extraAllowed: 0,
    oneOf: ['neutron-kilo-newton', 'neutron-pike+'],
  },
  'neutron-any-release': {
    id: 'neutron-any-release',
    title: 'neutron, release unknown: any shape neutron ever sent (Pike+ or Juno–Newton)',
    reference: 'ground-truth §0.7; an unknown release is not read as the newest (issue 15)',
    steps: [],
    extraAllowed: 0,
    oneOf: ['neutron-pike+', 'neutron-kilo-newton'],
  },
  keepalived: {
    id: 'keepalived',
    title: 'keepalived: burst of 5 REQUESTs at the transition, again after garp_master_delay (60 s)',
    reference: "ground-truth §2e''; keepalived vrrp_arp.c send_gratuitous_arp_immediate; neutron 303cbc6b5b (garp_master_delay 60)",
    steps: keepalivedBursts([55000, 65000]),
    extraAllowed: 0,
  },
  // neutron 2014.2–2014.2.3 and 2015.1.0–2015.1.1 render no garp_* line: keepalived's defaults
  // apply, VRRP_GARP_DELAY (5 * TIMER_HZ) in include/vrrp.h (v1.2.13), so the second burst
  // (vrrp_gratuitous_arp_thread) follows the first after 5 s
  'keepalived-delay5': {
    id: 'keepalived-delay5',
    title: 'keepalived defaults (Juno/Kilo GA): 5 REQUESTs at the transition, 5 more after 5 s',
    reference: 'keepalived include/vrrp.h VRRP_GARP_DELAY (v1.2.13); neutron 2014.2, 2015.1.0 keepalived.py',
    steps: keepalivedBursts([4000, 7000]),
    extraAllowed: 0,
  },
  // neutron 141560b422 (bug 1453855) rendered garp_master_repeat 5 + garp_master_refresh 10:
  // in 7.0.0–7.0.2, 2014.2.4 and 2015.1.2–2015.1.3. keepalived then re-sends the whole link
  // update (5 per address) when an advert finds the refresh timer expired (vrrp.c
  // vrrp_state_master_tx, v1.2.13): every 10 s plus up to one advert_int (2 s), forever —
  // the G-ARP storm of bug 1520517
  'keepalived-refresh': {
    id: 'keepalived-refresh',
    title: 'keepalived with garp_master_refresh 10 (Liberty GA, Juno/Kilo stable): bursts at 0 s and 5 s, then every 10–12 s',
    reference: 'neutron 141560b422 (bug 1453855), removed by 303cbc6b5b (bug 1520517); keepalived vrrp.c vrrp_state_master_tx',
    steps: keepalivedBursts([4000, 7000]),
    extraAllowed: 0,
    tail: [KA_BURST, { op: 'request', minGapMs: 3000, maxGapMs: 13500 }],
  },
  'keepalived-juno-liberty': {
    id: 'keepalived-juno-liberty',
    title: 'keepalived as neutron Juno–Liberty rendered it: defaults (5 s), refresh 10 s, or garp_master_delay 60',
    reference: 'neutron keepalived.py in tags 2014.2–2014.2.4, 2015.1.0–2015.1.4, 7.0.0–7.2.0 (303cbc6b5b backported to 7.0.3, 2015.1.4)',
    steps: [],
    extraAllowed: 0,
    oneOf: ['keepalived-delay5', 'keepalived-refresh', 'keepalived'],
  },
  // neutron-keepalived-state-change sends_garp (ip_lib.send_ip_addr_adv_notif) for every
  // address added on a non-ha- device: 4fdd89e94f in Ocata, in the tags 8.4.0 (stable/mitaka)
  // and 9.2.0+ (stable/newton), removed by 8e06d1d1eb (Wallaby 18.0.0). Optional: the daemon
  // sent nothing while its eventlet thread never ran (bug 1870313, fixed 21935365f2, Ussuri)
  'keepalived+arping-mitaka': {
    id: 'keepalived+arping-mitaka',
    title: "L3 HA Mitaka: keepalived's bursts, plus the state-change daemon's arping -A ×3 (8.4.0+)",
    reference: 'neutron 4fdd89e94f backported (tag 8.4.0); keepalived_state_change.send_garp',
    steps: [],
    extraAllowed: 0,
    union: [{ pattern: 'keepalived' }, { pattern: 'neutron-kilo-newton', optional: true }],
  },
  'keepalived+arping-newton-ocata': {
    id: 'keepalived+arping-newton-ocata',
    title: "L3 HA Newton/Ocata: keepalived's bursts, plus the state-change daemon's arping (either shape)",
    reference: 'neutron 4fdd89e94f (tags 9.2.0+, 10.0.0); 82831b9d8d backports (9.4.0, 10.0.2)',
    steps: [],
    extraAllowed: 0,
    union: [{ pattern: 'keepalived' }, { pattern: 'neutron-newton-ocata', optional: true }],
  },
  'keepalived+arping-pike': {
    id: 'keepalived+arping-pike',
    title: "L3 HA Pike–Victoria: keepalived's bursts, plus the state-change daemon's Pike arping (until Wallaby)",
    reference: "neutron 4fdd89e94f, removed 8e06d1d1eb (18.0.0); bug 1870313 (21935365f2); ground-truth §2e''",
    steps: [],
    extraAllowed: 0,
    union: [{ pattern: 'keepalived' }, { pattern: 'neutron-pike+', optional: true }],
  },
  'keepalived-any-release': {
    id: 'keepalived-any-release',
    title: 'L3 HA, release unknown: any keepalived era, with or without the state-change arping',
    reference: "ground-truth §2e'', §2e/2f version table; an unknown release is not read as the newest",
    steps: [],
    extraAllowed: 0,
    oneOf: ['keepalived+arping-pike', 'keepalived+arping-newton-ocata', 'keepalived-juno-liberty'],
  },
  // DvrEdgeHaRouter.add_centralized_floatingip (b9ecb3804c, Queens; 656a8f8729, Stein) adds the
  // FIP as a keepalived VIP AND, on the primary with its HA port ACTIVE, calls
  // DvrEdgeRouter.add_centralized_floatingip, which adds the address itself and runs
  // ip_lib.send_ip_addr_adv_notif (arping). keepalived's SIGHUP burst may then find the address
  // already there; the state-change daemon (Ocata–Victoria) arpings once more for the add.
  'dvr-ha-centralized': {
    id: 'dvr-ha-centralized',
    title: "DVR-HA centralized FIP: the agent's arping and/or keepalived's bursts (and the state-change arping until Wallaby)",
    reference: 'neutron dvr_edge_ha_router.add_centralized_floatingip (b9ecb3804c, 656a8f8729); dvr_edge_router.add_centralized_floatingip',
    steps: [],
    extraAllowed: 0,
    union: [
      { pattern: 'neutron-pike+', optional: true },
      { pattern: 'keepalived', optional: true },
      { pattern: 'neutron-pike+', optional: true },
    ],
  },
  'nova-network': {
    id: 'nova-network',
    title: 'nova-network send_arp_for_ha: arping -U IP -A -c 3 → 3 REPLYs 1 s apart',
    reference: 'ground-truth §5e (linux_net.send_arp_for_ip; bug 1043796)',
    steps: repeat(3, { op: 'reply', minGapMs: 700, maxGapMs: 1600 }),
    extraAllowed: 0,
  },
  // ovn-controller's pinctrl send_garp_rarp, read at the tags (issue 11): the first frame 1 s
  // after the address appears (announce_time = time_msec() + 1000), then a doubling backoff and
  // a stop — "at most 5 announcements" (RH bz 2087779: the upstream FDB then ages out).
  // Bounds: the gap the code sets, -10 % -200 ms (pinctrl wakes on a poll timer, never early by
  // more than the clock offset correction), +1.5 s (a loaded chassis wakes late).
  'ovn-stop-16s': {
    id: 'ovn-stop-16s',
    title: 'ovn-controller ≤ 23.03.2: 5 REQUESTs, backoff 2, 4, 8, 16 s (≈1, 3, 7, 15, 31 s after the change), then none',
    reference: 'ovn controller/pinctrl.c send_garp_rarp at v22.03.0–v22.03.5, v22.06–v22.12, v23.03.0–v23.03.2, v23.06.0–v23.06.2 ("backoff *= 2" before the wait, stop when it reaches 16)',
    steps: [{ op: 'request', minGapMs: 0, maxGapMs: 0 }, ...[2000, 4000, 8000, 16000].map((g) => ovnGap(g))],
    extraAllowed: 0,
  },
  // 0d021216c (v23.09.0; backported to v22.03.6, v23.03.3, v23.06.3) waits `backoff` THEN doubles
  // it, capped at GARP_RARP_DEF_MAX_TIMEOUT 16000 ms and stopping there: the default timing changed too
  'ovn-stop-8s': {
    id: 'ovn-stop-8s',
    title: 'ovn-controller ≥ 23.09 (and 23.03.3+, 23.06.3+, 22.03.6+): 5 REQUESTs, backoff 1, 2, 4, 8 s (≈1, 2, 4, 8, 16 s), then none',
    reference: 'ovn 0d021216c controller/pinctrl.c send_garp_rarp (GARP_RARP_DEF_MAX_TIMEOUT 16000); v25.09 controller/garp_rarp.c; ovn-controller(8) "sends just 4 GARP packets"',
    steps: [{ op: 'request', minGapMs: 0, maxGapMs: 0 }, ...[1000, 2000, 4000, 8000].map((g) => ovnGap(g))],
    extraAllowed: 0,
  },
  ovn: {
    id: 'ovn',
    title: 'ovn-controller, version unknown: either backoff (2, 4, 8, 16 s up to 23.03.2, or 1, 2, 4, 8 s since 0d021216c)',
    reference: 'ground-truth §6e; ovn pinctrl.c send_garp_rarp before and after 0d021216c; an unknown version is not read as the newest',
    steps: [],
    extraAllowed: 0,
    oneOf: ['ovn-stop-16s', 'ovn-stop-8s'],
  },
  // ovn 0d021216c (v23.09.0): with external_ids:garp-max-timeout-sec=N, pinctrl.c send_garp_rarp
  // keeps announcing ("if (continuous || backoff < max_timeout)"), the backoff doubling from 1 s
  // and capped at N s — N is not known here, so the tail takes any gap from 0.7 s
  'ovn-continuous': {
    id: 'ovn-continuous',
    title: 'ovn-controller with garp-max-timeout-sec (≥ 23.09, 23.03.3+, 23.06.3+, 22.03.6+): backoff from 1 s capped at N s, continuously',
    reference: 'ovn 0d021216c (v23.09.0) controller/pinctrl.c send_garp_rarp; ground-truth §6e, §7 #36',
    steps: [{ op: 'request', minGapMs: 0, maxGapMs: 0 }, ...repeat(3, { op: 'request', minGapMs: 700, maxGapMs: 17000 })],
    extraAllowed: 0,
    tail: [{ op: 'request', minGapMs: 700, maxGapMs: 3_600_000 }],
  },
  any: {
    id: 'any',
    title: 'at least one correct G-ARP (no count or spacing check)',
    reference: 'DESIGN "G-ARP: what counts"',
    steps: [{ op: 'any', minGapMs: 0, maxGapMs: 0 }],
    extraAllowed: Number.POSITIVE_INFINITY,
    noSpacing: true,
  },
};

/*
 * Releases: names, spellings (year ↔ code name, `master`) and order come from
 * src/model/releases.ts (issue 14); a family is one release name, optionally with "+".
 */

export interface ReleaseRange {
  /** index in the release order of the first release it may be */
  from: number;
  /** index of the last release it may be (Infinity for "X+") */
  to: number;
}

/** a release family as a range on the release order; undefined when absent or unknown */
export function parseRelease(release: string | undefined): ReleaseRange | undefined {
  const family = parseReleaseFamily(release);
  if (!family) return undefined;
  return { from: family.index, to: family.orLater ? Number.POSITIVE_INFINITY : family.index };
}

const at = releaseOrder;
const within = (r: ReleaseRange, first: ReleaseName, last: ReleaseName): boolean => r.from >= at(first) && r.to <= at(last);

/** The pattern of neutron's own arping (legacy and DVR routers, ip_lib.send_ip_addr_adv_notif) for a release. */
export function patternForRelease(release: string | undefined): PatternId {
  const r = parseRelease(release);
  if (!r) return 'neutron-any-release';
  if (r.to <= at('juno')) return 'neutron-juno';
  if (within(r, 'kilo', 'mitaka')) return 'neutron-kilo-newton';
  if (within(r, 'newton', 'ocata')) return 'neutron-newton-ocata';
  if (r.from >= at('pike')) return 'neutron-pike+';
  return 'neutron-any-release';
}

/** The pattern of an L3 HA router's announcements (keepalived, plus the state-change daemon from Mitaka stable to Victoria). */
export function haPatternForRelease(release: string | undefined): PatternId {
  const r = parseRelease(release);
  if (!r) return 'keepalived-any-release';
  if (r.to <= at('liberty')) return 'keepalived-juno-liberty';
  if (within(r, 'mitaka', 'mitaka')) return 'keepalived+arping-mitaka';
  if (within(r, 'newton', 'ocata')) return 'keepalived+arping-newton-ocata';
  if (r.from >= at('wallaby')) return 'keepalived';
  // pike..victoria, and "pike+"-style ranges that reach past Victoria: the arping part is optional
  if (r.from >= at('pike')) return 'keepalived+arping-pike';
  return 'keepalived-any-release';
}

export function resolvePattern(p: PatternId | GarpPattern): GarpPattern {
  return typeof p === 'string' ? PATTERNS[p] : p;
}

/** time after the first frame by which every required step must have been seen, ms */
export function requiredSpanMs(p: GarpPattern): number {
  if (p.oneOf) return Math.max(...p.oneOf.map((id) => requiredSpanMs(PATTERNS[id])));
  if (p.union) return Math.max(...p.union.map((u) => requiredSpanMs(PATTERNS[u.pattern])));
  let span = 0;
  p.steps.forEach((s, i) => {
    if (i > 0 && !s.optional) span += s.maxGapMs;
  });
  return span;
}

/** time after the first frame after which no further frame of the pattern can come, ms (Infinity: continuous) */
export function fullSpanMs(p: GarpPattern): number {
  if (p.oneOf) return Math.max(...p.oneOf.map((id) => fullSpanMs(PATTERNS[id])));
  if (p.union) return Math.max(...p.union.map((u) => fullSpanMs(PATTERNS[u.pattern])));
  if (p.tail) return Number.POSITIVE_INFINITY;
  return p.steps.reduce((acc, s, i) => (i > 0 ? acc + s.maxGapMs : acc), 0);
}
