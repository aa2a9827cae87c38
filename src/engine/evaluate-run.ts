import type { Facts } from '../model/facts';
import type { Check, CheckContext, CloudSnapshot } from './types';
import type { RunResult } from '../result/run-result';
import type { NodeCollection } from '../collect/collect';
import type { SectionWarning } from '../collect/snapshot';
import { evaluateChecks } from './evaluate';
import { assertProfileFitsDataPlane, dataPlaneOfProfile } from './detect-deployment';
import { assembleRunResult } from './assemble';
import { summarizeResult } from '../result/summarize-result';

/**
 * What evaluateRun reads of a run plan (src/plan/ RunPlan is one): the profile's id and each
 * check with the params it is judged with, in report order.
 */
export interface PlanOfEvaluation {
  profile: { id: string };
  checks: readonly { check: Check; params: Record<string, unknown> }[];
}

/** What the run file records beside the verdicts; every time comes from the caller (no clock of its own). */
export interface RunRecord {
  /** where the nodes came from ("inventory.yaml", "analyze:<paths>") and a digest of it */
  inventory: { source: string; digest: string };
  facts?: { facts: Facts; source: string; digest: string };
  startedAt: Date;
  /** a time, or the injected clock read once the checks are judged (analyze records its judging time) */
  finishedAt: Date | (() => Date);
  /** the run's id; a random UUID when absent (the one thing a run result holds that its inputs do not decide) */
  runId?: string;
  /** warnings known before parsing (analyze: what each source lacked, section "(missing)"), listed first */
  sourceWarnings?: RunWarning[];
}

export type RunWarning = NonNullable<RunResult['warnings']>[number];

export interface RunOutput {
  result: RunResult;
  collections: NodeCollection[];
  warnings: SectionWarning[];
}

/**
 * evaluate → assemble (issue 14): the verdicts of a plan on the snapshots a SnapshotSource gave,
 * whichever source it was (SSH, sosreport, evidence bundle, pasted outputs, merged shards). Pure:
 * no I/O, no clock but the one `record` may inject (and a random run id unless `record` names one). `run`, `analyze` and `merge` all end here, so the
 * same snapshots judge the same way whatever read them. A data plane of another kind than the
 * profile is refused (HaprobeError 'profile'): an OVN cloud would "pass" every neutron check.
 */
export function evaluateRun(plan: PlanOfEvaluation, collections: NodeCollection[], record: RunRecord): RunOutput {
  const snapshot = buildCloudSnapshot(collections);
  assertProfileFitsDataPlane(plan.profile.id, snapshot, dataPlaneOfProfile(plan.profile.id));
  const unreachable = new Set(snapshot.unreachable.map((u) => u.node));
  const checks = plan.checks.map((c) => c.check);
  const paramsFor = new Map(plan.checks.map((c) => [c.check.id, c.params]));
  const ctxFor = (check: Check): CheckContext => ({
    snapshot,
    facts: record.facts?.facts,
    params: paramsFor.get(check.id) ?? {},
    profileId: plan.profile.id,
  });
  const evaluation = evaluateChecks(checks, ctxFor, unreachable);
  const result = assembleRunResult({
    profile: plan.profile.id,
    inventory: record.inventory,
    facts: record.facts ? { source: record.facts.source, digest: record.facts.digest } : undefined,
    startedAt: record.startedAt,
    finishedAt: typeof record.finishedAt === 'function' ? record.finishedAt() : record.finishedAt,
    collections,
    checks,
    evaluation,
    ...(record.runId !== undefined ? { runId: record.runId } : {}),
  });
  // for the report's nodes × routers matrix: routers that had no finding still show up
  result.topology = snapshot.nodes.map((n) => ({ node: n.node, namespaces: n.namespaces.map((ns) => ns.name) }));
  const warnings = collections.flatMap((c) => c.warnings);
  const all = [...(record.sourceWarnings ?? []), ...warnings.map((w) => ({ node: w.node, section: w.section, line: w.line, message: w.message }))];
  if (all.length > 0) result.warnings = all;
  Object.assign(result, summarizeResult(result));
  return { result, collections, warnings };
}

/**
 * The checks of a profile by id, each with the profile's params ({} for one the profile does not
 * list): the plan of a run that names its checks (merge's shards), as planChecks gives it.
 */
export function planOfChecks(profile: { id: string; checks: readonly { id: string; params: Record<string, unknown> }[] }, checks: readonly Check[]): PlanOfEvaluation {
  const params = new Map(profile.checks.map((c) => [c.id, c.params]));
  return { profile, checks: checks.map((check) => ({ check, params: params.get(check.id) ?? {} })) };
}

export function buildCloudSnapshot(collections: NodeCollection[]): CloudSnapshot {
  return {
    nodes: collections.flatMap((c) => (c.snapshot ? [c.snapshot] : [])),
    unreachable: collections
      .filter((c) => c.failure)
      .map((c) => ({ node: c.node.name, reason: c.failure!.reason, message: c.failure!.message })),
  };
}
