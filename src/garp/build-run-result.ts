import { randomBytes } from 'node:crypto';
import type { Inventory } from '../inventory/types';
import type { DrillResult, GarpVerification, NodeStatus, RunResult } from '../result/run-result';
import { RESULT_SCHEMA_VERSION } from '../result/run-result';
import { TOOL_VERSION } from '../version';

/**
 * A run file for `garp verify` / `drill failover`: no check rows, the verification or drill
 * in RunResult.garp / drills, so `haprobe report` draws their timelines next to check runs.
 */
export interface GarpRunInput {
  profile: string;
  inventory: Inventory;
  inventoryDigest: string;
  facts?: { source: string; digest: string };
  startedAt: string;
  finishedAt: string;
  /** nodes used, with whether they answered */
  nodes: NodeStatus[];
  garp?: GarpVerification[];
  drills?: DrillResult[];
}

export function buildGarpRunResult(input: GarpRunInput): RunResult {
  const verdicts = [...(input.garp ?? []).map((g) => g.verdict), ...(input.drills ?? []).map((d) => d.verdict)];
  const count = (v: string): number => verdicts.filter((x) => x === v).length;
  const result: RunResult = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    runId: `g-${randomBytes(4).toString('hex')}`,
    tool: { name: 'haprobe', version: TOOL_VERSION },
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    durationMs: Math.max(0, Date.parse(input.finishedAt) - Date.parse(input.startedAt)),
    profile: input.profile,
    inventory: { source: input.inventory.source, digest: input.inventoryDigest },
    nodes: input.nodes,
    checks: [],
    rows: [],
    findings: [],
    evidence: [],
    verdict: verdicts.length > 0 && verdicts.every((v) => v === 'pass') && input.nodes.every((n) => n.reachable) ? 'pass' : 'fail',
    summary: { pass: count('pass'), fail: count('fail'), warn: count('warn'), skip: count('skip'), error: count('error'), waived: 0 },
  };
  if (input.facts) result.facts = input.facts;
  if (input.garp) result.garp = input.garp;
  if (input.drills) result.drills = input.drills;
  return result;
}
