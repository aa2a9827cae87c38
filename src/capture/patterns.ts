/**
 * Expected G-ARP wire patterns per sender and release family (ground-truth §0.7, §2e'', §5e, §6e).
 * A pattern is a sequence of frames for ONE (interface, IP); each step bounds the gap to the
 * previous frame. Bounds are wide on purpose: they come from the sender's code (sleep and
 * arping `-w` budgets), not from one lab's timing.
 */

export type PatternId =
  | 'neutron-pike+'
  | 'neutron-kilo-newton'
  | 'neutron-juno'
  | 'keepalived'
  | 'nova-network'
  | 'ovn'
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

export interface GarpPattern {
  id: PatternId;
  title: string;
  reference: string;
  steps: PatternStep[];
  /** frames beyond steps.length tolerated before `too-many` */
  extraAllowed: number;
  /** when true the gaps are not checked (pattern 'any') */
  noSpacing?: boolean;
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
  keepalived: {
    id: 'keepalived',
    title: 'keepalived: burst of 5 REQUESTs at the transition, again after garp_master_delay (60 s)',
    reference: "ground-truth §2e''; keepalived vrrp_arp.c send_gratuitous_arp_immediate",
    steps: [
      ...repeat(5, { op: 'request', minGapMs: 0, maxGapMs: 1500 }),
      ...repeat(5, { op: 'request', minGapMs: 0, maxGapMs: 1500, optional: true }, { minGapMs: 55000, maxGapMs: 65000 }),
    ],
    extraAllowed: 0,
  },
  'nova-network': {
    id: 'nova-network',
    title: 'nova-network send_arp_for_ha: arping -U IP -A -c 3 → 3 REPLYs 1 s apart',
    reference: 'ground-truth §5e (linux_net.send_arp_for_ip; bug 1043796)',
    steps: repeat(3, { op: 'reply', minGapMs: 700, maxGapMs: 1600 }),
    extraAllowed: 0,
  },
  ovn: {
    id: 'ovn',
    title: 'ovn-controller: REQUESTs with exponential backoff (≈1,2,4,8,16 s or 1,3,7,15,31 s)',
    reference: 'ground-truth §6e (pinctrl / garp_rarp.c)',
    steps: [
      ...repeat(4, { op: 'request', minGapMs: 700, maxGapMs: 17000 }),
      { op: 'request', minGapMs: 700, maxGapMs: 17000, optional: true },
    ],
    extraAllowed: 0,
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

/** The neutron pattern for a release family name as written in facts files ("pike+", "newton", "juno", …). */
export function patternForRelease(release: string | undefined): PatternId {
  const r = (release ?? '').toLowerCase();
  if (r === 'juno' || r === 'icehouse' || r === 'havana') return 'neutron-juno';
  if (['kilo', 'liberty', 'mitaka', 'newton', 'ocata'].includes(r)) return 'neutron-kilo-newton';
  return 'neutron-pike+';
}

export function resolvePattern(p: PatternId | GarpPattern): GarpPattern {
  return typeof p === 'string' ? PATTERNS[p] : p;
}

/** time after the first frame by which every required step must have been seen, ms */
export function requiredSpanMs(p: GarpPattern): number {
  let span = 0;
  p.steps.forEach((s, i) => {
    if (i > 0 && !s.optional) span += s.maxGapMs;
  });
  return span;
}

/** time after the first frame after which no further frame of the pattern can come, ms */
export function fullSpanMs(p: GarpPattern): number {
  return p.steps.reduce((acc, s, i) => (i > 0 ? acc + s.maxGapMs : acc), 0);
}
