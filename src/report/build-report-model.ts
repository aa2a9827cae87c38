import type { Finding } from '../engine/types';
import { diffRuns, type RunDiff } from './diff-runs';
import { formatSubject, routerOf, routerOfNamespace } from './format-subject';
import type { CheckSummary, DrillResult, EvidenceItem, GarpVerification, RunResult, WaiverOutcome } from '../result/run-result';
import { shownFindingVerdict, shownRowVerdict, VERDICT_RANK, type ShownVerdict } from '../result/summarize-result';

/** One run in the trend (oldest first). */
export interface TrendPoint {
  runId: string;
  startedAt: string;
  verdict: 'pass' | 'fail';
  summary: RunResult['summary'];
  /** unwaived fail/error findings */
  open: number;
  unreachable: number;
}

/** Cell of the nodes × routers matrix. */
export interface MatrixCell {
  /** router namespaces of this router on this node (qrouter-…, snat-…), from topology and subjects */
  namespaces: string[];
  /** worst verdict of rows/findings on (node, router); 'none' when nothing was judged there */
  verdict: ShownVerdict | 'none';
  findings: number;
}

export interface MatrixRow {
  /** node name, or "(cluster)" for router-level subjects without a node (e.g. "one primary") */
  node: string;
  reachable: boolean;
  reason?: string;
  cells: Record<string, MatrixCell>;
  /** namespaces on the node not tied to a router: fip-…, qdhcp-… */
  otherNamespaces: string[];
}

export interface FindingView {
  index: number;
  finding: Finding;
  verdict: ShownVerdict;
  subjectText: string;
  check?: CheckSummary;
  evidence: EvidenceItem[];
}

export interface ReportModel {
  /** oldest first, at most `last` */
  runs: RunResult[];
  latest: RunResult;
  trend: TrendPoint[];
  matrix: { routers: string[]; rows: MatrixRow[] };
  /** unwaived non-passing findings of the latest run, worst first */
  failing: FindingView[];
  /** previous run → latest; absent with a single run */
  sincePrevious?: RunDiff;
  waived: FindingView[];
  /** expired and unmatched waivers of the latest run */
  waiverProblems: WaiverOutcome[];
  drills: DrillResult[];
  garp: GarpVerification[];
}

export const CLUSTER_ROW = '(cluster)';

/** Everything the HTML and Markdown reports show, computed once from run files. Pure. */
export function buildReportModel(input: RunResult | RunResult[], opts: { last?: number } = {}): ReportModel {
  const all = (Array.isArray(input) ? input : [input]).slice().sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  if (all.length === 0) throw new Error('buildReportModel: no runs');
  const runs = opts.last && opts.last > 0 ? all.slice(-opts.last) : all;
  const latest = runs[runs.length - 1];
  const previous = runs.length > 1 ? runs[runs.length - 2] : undefined;
  const views = latest.findings.map((f, index) => viewOf(latest, f, index));
  const byWorst = (a: FindingView, b: FindingView): number =>
    VERDICT_RANK[b.verdict] - VERDICT_RANK[a.verdict] || a.finding.checkId.localeCompare(b.finding.checkId) || a.subjectText.localeCompare(b.subjectText);
  return {
    runs,
    latest,
    trend: runs.map(trendPoint),
    matrix: buildMatrix(latest),
    failing: views.filter((v) => v.verdict === 'fail' || v.verdict === 'error' || v.verdict === 'warn').sort(byWorst),
    ...(previous ? { sincePrevious: diffRuns(previous, latest) } : {}),
    waived: views.filter((v) => v.verdict === 'waived'),
    waiverProblems: (latest.waivers?.details ?? []).filter((d) => d.status !== 'applied'),
    drills: latest.drills ?? [],
    garp: latest.garp ?? [],
  };
}

function trendPoint(r: RunResult): TrendPoint {
  return {
    runId: r.runId,
    startedAt: r.startedAt,
    verdict: r.verdict,
    summary: r.summary,
    open: r.findings.filter((f) => !f.waived && (f.verdict === 'fail' || f.verdict === 'error')).length,
    unreachable: r.nodes.filter((n) => !n.reachable).length,
  };
}

function viewOf(r: RunResult, finding: Finding, index: number): FindingView {
  const evidence = finding.evidence.map((id) => r.evidence.find((e) => e.id === id)).filter((e): e is EvidenceItem => !!e);
  return {
    index,
    finding,
    verdict: shownFindingVerdict(finding),
    subjectText: formatSubject(finding.subject),
    check: r.checks.find((c) => c.id === finding.checkId),
    evidence,
  };
}

/**
 * Rows: the run's nodes (inventory order), nodes only named by subjects, then "(cluster)" when a
 * router-level subject has no node. Columns: every router seen in topology namespaces or subjects.
 */
function buildMatrix(r: RunResult): ReportModel['matrix'] {
  const routers = new Set<string>();
  const rows = new Map<string, MatrixRow>();
  const rowFor = (node: string): MatrixRow => {
    let row = rows.get(node);
    if (!row) rows.set(node, (row = { node, reachable: true, cells: {}, otherNamespaces: [] }));
    return row;
  };
  const cellFor = (node: string, router: string): MatrixCell => {
    routers.add(router);
    const row = rowFor(node);
    return (row.cells[router] ??= { namespaces: [], verdict: 'none', findings: 0 });
  };
  for (const n of r.nodes) Object.assign(rowFor(n.name), { reachable: n.reachable, ...(n.reason ? { reason: n.reason } : {}) });
  for (const t of r.topology ?? []) {
    for (const ns of t.namespaces) {
      const router = routerOfNamespace(ns);
      if (router) addNamespace(cellFor(t.node, router), ns);
      else rowFor(t.node).otherNamespaces.push(ns);
    }
  }
  const judge = (subject: Finding['subject'], verdict: ShownVerdict, findings: number): void => {
    const router = routerOf(subject);
    if (!router) return;
    const cell = cellFor(subject.node ?? CLUSTER_ROW, router);
    if (subject.node && subject.namespace && routerOfNamespace(subject.namespace)) addNamespace(cell, subject.namespace);
    if (cell.verdict === 'none' || VERDICT_RANK[verdict] > VERDICT_RANK[cell.verdict]) cell.verdict = verdict;
    cell.findings += findings;
  };
  const cited = new Set<number>();
  for (const row of r.rows) {
    row.findingIndexes.forEach((i) => cited.add(i));
    const open = row.findingIndexes.filter((i) => r.findings[i] && r.findings[i].verdict !== 'pass').length;
    judge(row.subject, shownRowVerdict(r, row), open);
  }
  r.findings.forEach((f, i) => {
    if (!cited.has(i)) judge(f.subject, shownFindingVerdict(f), f.verdict === 'pass' ? 0 : 1);
  });
  const ordered = [...rows.values()].sort((a, b) => (a.node === CLUSTER_ROW ? 1 : 0) - (b.node === CLUSTER_ROW ? 1 : 0));
  return { routers: [...routers].sort(), rows: ordered };
}

function addNamespace(cell: MatrixCell, ns: string): void {
  if (!cell.namespaces.includes(ns)) cell.namespaces.push(ns);
}
