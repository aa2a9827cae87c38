import type { Finding, Subject, Verdict } from '../engine/types';

/**
 * The versioned result model of one run. Every reporter renders this; history, diff
 * and report work from saved run files only. JSON Schema: reports/run-result.schema.json.
 */
export const RESULT_SCHEMA_VERSION = 1;

export interface EvidenceItem {
  id: string;
  node: string;
  /** the command that produced it (or "section:NAME" inside the batched script) */
  command: string;
  exitCode: number | null;
  output: string;
  durationMs?: number;
}

export interface NodeStatus {
  name: string;
  address: string;
  roles: string[];
  reachable: boolean;
  reason?: string;
  message?: string;
  collectMs?: number;
}

/** One row per check × subject: the unit JUnit turns into a testcase. */
export interface ResultRow {
  checkId: string;
  subject: Subject;
  verdict: Verdict;
  /** findings of this check on this subject (empty when it passed) */
  findingIndexes: number[];
}

export interface CheckSummary {
  id: string;
  title: string;
  severity: string;
  description: string;
  references: string[];
}

export interface RunResult {
  schemaVersion: number;
  runId: string;
  tool: { name: 'haprobe'; version: string };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  profile: string;
  inventory: { source: string; digest: string };
  facts?: { source: string; digest: string };
  nodes: NodeStatus[];
  checks: CheckSummary[];
  rows: ResultRow[];
  findings: Finding[];
  evidence: EvidenceItem[];
  /** overall verdict: pass only when no unwaived failure and every node was reached */
  verdict: 'pass' | 'fail';
  summary: { pass: number; fail: number; warn: number; skip: number; error: number; waived: number };
  /** optional extras attached by other commands */
  garp?: unknown[];
  drills?: unknown[];
  waivers?: { applied: string[]; expired: string[]; unmatched: string[] };
}
