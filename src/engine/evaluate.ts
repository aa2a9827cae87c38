import type { Check, CheckContext, Finding, Subject, Verdict } from './types';
import type { ResultRow } from '../result/run-result';

export const NODE_REACHABLE_CHECK: Pick<Check, 'id' | 'title' | 'description' | 'severity' | 'references'> = {
  id: 'node-reachable',
  title: 'Node answers over SSH',
  description:
    'Every node of the inventory must be reachable (SSH connect, auth, host key, sudo) so its data plane can be read; ' +
    'an unreachable node is one finding with its reason, and the rest of the run goes on.',
  severity: 'critical',
  references: [{ kind: 'doc', ref: 'DESIGN.md: a node that cannot be reached is a finding with a reason' }],
};

/** Canonical key of a subject, used to group findings into rows and to diff runs. */
export function subjectKey(subject: Subject): string {
  const parts: string[] = [];
  for (const k of ['node', 'namespace', 'router', 'floatingIp', 'device', 'port'] as const) {
    if (subject[k]) parts.push(`${k}=${subject[k]}`);
  }
  return parts.join(',');
}

const RANK: Record<Verdict, number> = { pass: 0, skip: 1, warn: 2, fail: 3, error: 4 };

export interface Evaluation {
  rows: ResultRow[];
  findings: Finding[];
}

/**
 * Run the checks (pure): each check's subjects become rows; its findings attach to the row of
 * their subject (a finding on a subject the check did not list gets a row of its own). A check
 * that throws is an `error` row, not a crash: the other checks still run.
 * Findings on unreachable nodes are turned into `skip`: haprobe could not see those nodes, and
 * the node-reachable finding already says so.
 */
export function evaluateChecks(checks: Check[], ctxFor: (check: Check) => CheckContext, unreachable: Set<string>): Evaluation {
  const rows: ResultRow[] = [];
  const findings: Finding[] = [];
  for (const check of checks) {
    const rowByKey = new Map<string, ResultRow>();
    const rowFor = (subject: Subject): ResultRow => {
      const key = subjectKey(subject);
      let row = rowByKey.get(key);
      if (!row) {
        row = { checkId: check.id, subject, verdict: 'pass', findingIndexes: [] };
        rowByKey.set(key, row);
        rows.push(row);
      }
      return row;
    };
    try {
      const outcome = check.evaluate(ctxFor(check));
      for (const subject of outcome.subjects) {
        if (subject.node && unreachable.has(subject.node)) continue;
        rowFor(subject);
      }
      for (const finding of outcome.findings) {
        const skipped = finding.subject.node !== undefined && unreachable.has(finding.subject.node);
        const f: Finding = skipped ? { ...finding, verdict: 'skip', message: `not judged: node unreachable (${finding.message})` } : finding;
        const row = rowFor(f.subject);
        row.findingIndexes.push(findings.length);
        findings.push(f);
        if (RANK[f.verdict] > RANK[row.verdict]) row.verdict = f.verdict;
      }
      // nothing judged (no subject at all, or every subject on an unreachable node): one skip row
      if (rowByKey.size === 0) {
        rows.push({ checkId: check.id, subject: {}, verdict: 'skip', findingIndexes: [] });
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const row = rowFor({});
      row.verdict = 'error';
      row.findingIndexes.push(findings.length);
      findings.push({
        checkId: check.id,
        severity: check.severity,
        verdict: 'error',
        subject: {},
        message: `check failed to evaluate: ${message}`,
        evidence: [],
      });
    }
  }
  return { rows, findings };
}
