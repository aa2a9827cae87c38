import { randomUUID } from 'node:crypto';
import type { Check, Finding } from './types';
import type { NodeCollection } from '../collect/collect';
import type { EvidenceItem, NodeStatus, RunResult, CheckSummary } from '../result/run-result';
import { RESULT_SCHEMA_VERSION } from '../result/run-result';
import { TOOL_VERSION } from '../version';
import type { Evaluation } from './evaluate';
import { NODE_REACHABLE_CHECK } from './evaluate';

export interface AssembleInput {
  profile: string;
  inventory: { source: string; digest: string };
  facts?: { source: string; digest: string };
  startedAt: Date;
  finishedAt: Date;
  collections: NodeCollection[];
  checks: Check[];
  evaluation: Evaluation;
  runId?: string;
}

/** Pure: collections + evaluation → the versioned RunResult (before waivers). */
export function assembleRunResult(input: AssembleInput): RunResult {
  const nodes: NodeStatus[] = input.collections.map((c) => ({
    name: c.node.name,
    address: c.node.address,
    roles: c.node.roles,
    reachable: c.failure === undefined,
    ...(c.failure ? { reason: c.failure.reason, message: c.failure.message } : {}),
    collectMs: c.durationMs,
  }));
  const evidence: EvidenceItem[] = input.collections.flatMap((c) => c.evidence);
  const findings: Finding[] = [...input.evaluation.findings];
  // node-reachable rows first, in inventory order, then the checks' rows
  const reachRows: typeof input.evaluation.rows = [];
  for (const c of input.collections) {
    const failed = c.failure !== undefined;
    const row = { checkId: NODE_REACHABLE_CHECK.id, subject: { node: c.node.name }, verdict: failed ? ('fail' as const) : ('pass' as const), findingIndexes: [] as number[] };
    if (c.failure) {
      row.findingIndexes.push(findings.length);
      findings.push({
        checkId: NODE_REACHABLE_CHECK.id,
        severity: NODE_REACHABLE_CHECK.severity,
        verdict: 'fail',
        subject: { node: c.node.name },
        message: `${c.node.name} (${c.node.address}:${c.node.port}): ${c.failure.reason}: ${c.failure.message}`,
        expected: 'SSH session and snapshot script run',
        actual: c.failure.reason,
        evidence: [],
      });
    }
    reachRows.push(row);
  }
  const rows = [...reachRows, ...input.evaluation.rows];
  const checks: CheckSummary[] = [NODE_REACHABLE_CHECK, ...input.checks].map((c) => ({
    id: c.id,
    title: c.title,
    severity: c.severity,
    description: c.description,
    references: c.references.map((r) => `${r.kind}:${r.ref}`),
  }));
  const result: RunResult = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    runId: input.runId ?? randomUUID(),
    tool: { name: 'haprobe', version: TOOL_VERSION },
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
    profile: input.profile,
    inventory: input.inventory,
    ...(input.facts ? { facts: input.facts } : {}),
    nodes,
    checks,
    rows,
    findings,
    evidence,
    verdict: 'pass',
    summary: { pass: 0, fail: 0, warn: 0, skip: 0, error: 0, waived: 0 },
  };
  return result;
}
