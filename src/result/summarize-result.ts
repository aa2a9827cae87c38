import type { Finding, Verdict } from './finding';
import type { ResultRow, RunResult } from './run-result';

/** A verdict as reporters show it: a failure whose every finding is waived reads "waived". */
export type ShownVerdict = Verdict | 'waived';

/** Worst first: the order reporters sort rows in and the rank diff uses for "regressed". */
export const VERDICT_RANK: Record<ShownVerdict, number> = {
  error: 5,
  fail: 4,
  warn: 3,
  waived: 2,
  skip: 1,
  pass: 0,
};

export function shownFindingVerdict(finding: Finding): ShownVerdict {
  return finding.waived ? 'waived' : finding.verdict;
}

/**
 * A row is "waived" when it did not pass and every non-pass finding it cites is waived.
 * A row whose findingIndexes are empty keeps its own verdict.
 */
export function shownRowVerdict(result: RunResult, row: ResultRow): ShownVerdict {
  if (row.verdict === 'pass' || row.verdict === 'skip') return row.verdict;
  const findings = row.findingIndexes.map((i) => result.findings[i]).filter((f): f is Finding => f !== undefined);
  const open = findings.filter((f) => f.verdict !== 'pass' && f.verdict !== 'skip');
  if (open.length > 0 && open.every((f) => f.waived)) return 'waived';
  return row.verdict;
}

/**
 * Recomputes summary and verdict from rows, findings and nodes (contract of RunResult.verdict):
 * summary counts rows by shown verdict; the run passes only when no unwaived fail/error finding
 * exists, no row is fail/error unwaived, and every node was reached.
 */
export function summarizeResult(result: RunResult): Pick<RunResult, 'summary' | 'verdict'> {
  const summary = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0, waived: 0 };
  for (const row of result.rows) summary[shownRowVerdict(result, row)] += 1;
  const openFailure = result.findings.some((f) => !f.waived && (f.verdict === 'fail' || f.verdict === 'error'));
  const unreachable = result.nodes.some((n) => !n.reachable);
  const failed = openFailure || summary.fail > 0 || summary.error > 0 || unreachable;
  return { summary, verdict: failed ? 'fail' : 'pass' };
}
