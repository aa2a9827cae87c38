import { createHash } from 'node:crypto';
import type { Check, CheckContext } from '../engine/types';
import type { Facts } from '../model/facts';
import type { ResolvedProfile } from '../profile/types';
import type { RunResult } from '../result/run-result';
import { buildCloudSnapshot } from '../engine/run';
import { evaluateChecks } from '../engine/evaluate';
import { assertProfileFitsDataPlane, dataPlaneOfProfile } from '../engine/detect-deployment';
import { assembleRunResult } from '../engine/assemble';
import { summarizeResult } from '../result/summarize-result';
import type { OfflineCollection } from './build-collections';

export interface OfflineRunInput {
  collections: OfflineCollection[];
  profile: ResolvedProfile;
  checks: Check[];
  facts?: { facts: Facts; source: string; digest: string };
  /** the PATHs analyzed, as given (the run file's inventory.source) */
  paths: string[];
  now?: () => Date;
}

/**
 * Judges offline collections exactly as executeRun judges live ones (same data-plane refusal,
 * same evaluateChecks, same assembleRunResult and summary): only collection differs. The run
 * file's inventory is `analyze:<paths>` with a digest of the evidence read; what each source
 * lacked is recorded as a warning of section `(missing)` per node, so reports show it. Pure
 * but for the clock.
 */
export function evaluateOffline(input: OfflineRunInput): RunResult {
  const now = input.now ?? (() => new Date());
  const startedAt = now();
  const snapshot = buildCloudSnapshot(input.collections);
  assertProfileFitsDataPlane(input.profile.id, snapshot, dataPlaneOfProfile(input.profile.id));
  const unreachable = new Set(snapshot.unreachable.map((u) => u.node));
  const paramsFor = new Map(input.profile.checks.map((c) => [c.id, c.params]));
  const ctxFor = (check: Check): CheckContext => ({ snapshot, facts: input.facts?.facts, params: paramsFor.get(check.id) ?? {}, profileId: input.profile.id });
  const evaluation = evaluateChecks(input.checks, ctxFor, unreachable);
  const digest = createHash('sha256');
  for (const c of input.collections) for (const e of c.evidence) digest.update(e.id).update('\0').update(e.output).update('\0');
  const result = assembleRunResult({
    profile: input.profile.id,
    inventory: { source: `analyze:${input.paths.join(',')}`, digest: digest.digest('hex') },
    facts: input.facts ? { source: input.facts.source, digest: input.facts.digest } : undefined,
    startedAt,
    finishedAt: now(),
    collections: input.collections,
    checks: input.checks,
    evaluation,
  });
  result.topology = snapshot.nodes.map((n) => ({ node: n.node, namespaces: n.namespaces.map((ns) => ns.name) }));
  const warnings = [
    ...input.collections.flatMap((c) => c.missing.map((m) => ({ node: c.node.name, section: '(missing)', line: 0, message: m }))),
    ...input.collections.flatMap((c) => c.warnings.map((w) => ({ node: w.node, section: w.section, line: w.line, message: w.message }))),
  ];
  if (warnings.length > 0) result.warnings = warnings;
  Object.assign(result, summarizeResult(result));
  return result;
}
