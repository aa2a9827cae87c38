import type { Finding, Severity, Subject } from '../engine/types';
import { canonicalSubject, formatSubject } from './format-subject';
import type { RunResult } from '../result/run-result';
import { shownFindingVerdict, VERDICT_RANK, type ShownVerdict } from '../result/summarize-result';

/** The non-passing findings of one check on one subject in one run. */
export interface FindingState {
  verdict: ShownVerdict;
  severity: Severity;
  messages: string[];
  actual?: string;
  waiverId?: string;
}

export interface DiffEntry {
  /** `<checkId>#<canonicalSubject>` — the identity diff matches findings on */
  key: string;
  checkId: string;
  subject: Subject;
  subjectText: string;
  before?: FindingState;
  after?: FindingState;
  /** appeared unwaived, or got worse (verdict or severity) — what makes `haprobe diff` exit 1 */
  regressed: boolean;
}

export interface RunDiff {
  from: { runId: string; startedAt: string; verdict: 'pass' | 'fail' };
  to: { runId: string; startedAt: string; verdict: 'pass' | 'fail' };
  appeared: DiffEntry[];
  disappeared: DiffEntry[];
  changed: DiffEntry[];
  nodes: { becameUnreachable: string[]; becameReachable: string[] };
  counts: { appeared: number; disappeared: number; changed: number; unchanged: number; regressed: number };
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, minor: 1, major: 2, critical: 3 };

/**
 * What changed from run `a` to run `b`, keyed by check id + canonical subject. Only non-passing
 * findings are compared (pass/skip ones are not findings of a problem): a key only in b appeared,
 * only in a disappeared (fixed, or its subject is gone), in both with another verdict, severity,
 * message, actual value or waiver: changed. Pure.
 */
export function diffRuns(a: RunResult, b: RunResult): RunDiff {
  const before = statesOf(a);
  const after = statesOf(b);
  const appeared: DiffEntry[] = [];
  const disappeared: DiffEntry[] = [];
  const changed: DiffEntry[] = [];
  let unchanged = 0;
  for (const [key, s] of after) {
    const prev = before.get(key);
    if (!prev) {
      appeared.push({ ...s.id, after: s.state, regressed: s.state.verdict !== 'waived' });
    } else if (JSON.stringify(prev.state) !== JSON.stringify(s.state)) {
      changed.push({ ...s.id, before: prev.state, after: s.state, regressed: worse(prev.state, s.state) });
    } else unchanged++;
  }
  for (const [key, s] of before) {
    if (!after.has(key)) disappeared.push({ ...s.id, before: s.state, regressed: false });
  }
  const reach = (r: RunResult): Map<string, boolean> => new Map(r.nodes.map((n) => [n.name, n.reachable]));
  const ra = reach(a);
  const rb = reach(b);
  const nodes = {
    becameUnreachable: [...rb].filter(([n, ok]) => !ok && ra.get(n) !== false).map(([n]) => n),
    becameReachable: [...rb].filter(([n, ok]) => ok && ra.get(n) === false).map(([n]) => n),
  };
  const byKey = (x: DiffEntry, y: DiffEntry): number => x.key.localeCompare(y.key);
  const regressed = appeared.filter((e) => e.regressed).length + changed.filter((e) => e.regressed).length + nodes.becameUnreachable.length;
  return {
    from: { runId: a.runId, startedAt: a.startedAt, verdict: a.verdict },
    to: { runId: b.runId, startedAt: b.startedAt, verdict: b.verdict },
    appeared: appeared.sort(byKey),
    disappeared: disappeared.sort(byKey),
    changed: changed.sort(byKey),
    nodes,
    counts: { appeared: appeared.length, disappeared: disappeared.length, changed: changed.length, unchanged, regressed },
  };
}

/** true when `haprobe diff` should exit 1 */
export function hasRegression(diff: RunDiff): boolean {
  return diff.counts.regressed > 0;
}

function statesOf(result: RunResult): Map<string, { id: Omit<DiffEntry, 'before' | 'after' | 'regressed'>; state: FindingState }> {
  const groups = new Map<string, Finding[]>();
  for (const f of result.findings) {
    if (f.verdict === 'pass' || f.verdict === 'skip') continue;
    const key = `${f.checkId}#${canonicalSubject(f.subject)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const out = new Map<string, { id: Omit<DiffEntry, 'before' | 'after' | 'regressed'>; state: FindingState }>();
  for (const [key, fs] of groups) {
    const worst = [...fs].sort((x, y) => VERDICT_RANK[shownFindingVerdict(y)] - VERDICT_RANK[shownFindingVerdict(x)] || SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity])[0];
    const state: FindingState = {
      verdict: shownFindingVerdict(worst),
      severity: fs.map((f) => f.severity).sort((x, y) => SEVERITY_RANK[y] - SEVERITY_RANK[x])[0],
      messages: fs.map((f) => f.message).sort(),
      ...(worst.actual !== undefined ? { actual: worst.actual } : {}),
      ...(worst.waived ? { waiverId: worst.waived.waiverId } : {}),
    };
    out.set(key, { id: { key, checkId: worst.checkId, subject: worst.subject, subjectText: formatSubject(worst.subject) }, state });
  }
  return out;
}

function worse(a: FindingState, b: FindingState): boolean {
  return VERDICT_RANK[b.verdict] > VERDICT_RANK[a.verdict] || (b.verdict === a.verdict && SEVERITY_RANK[b.severity] > SEVERITY_RANK[a.severity]);
}
