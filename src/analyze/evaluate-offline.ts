import { createHash } from 'node:crypto';
import type { Check } from '../engine/types';
import type { Facts } from '../model/facts';
import type { ResolvedProfile } from '../profile/types';
import type { RunResult } from '../result/run-result';
import { evaluateRun, planOfChecks } from '../engine/evaluate-run';
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
 * Judges offline collections exactly as a live run judges its own (evaluateRun: same data-plane
 * refusal, same checks, same run result and summary): only the snapshot source differs. The run
 * file's inventory is `analyze:<paths>` with a digest of the evidence read; what each source
 * lacked is recorded as a warning of section `(missing)` per node, so reports show it. Pure
 * but for the clock.
 */
export function evaluateOffline(input: OfflineRunInput): RunResult {
  const now = input.now ?? (() => new Date());
  const startedAt = now();
  const digest = createHash('sha256');
  for (const c of input.collections) for (const e of c.evidence) digest.update(e.id).update('\0').update(e.output).update('\0');
  return evaluateRun(planOfChecks(input.profile, input.checks), input.collections, {
    inventory: { source: `analyze:${input.paths.join(',')}`, digest: digest.digest('hex') },
    facts: input.facts,
    startedAt,
    finishedAt: now,
    sourceWarnings: input.collections.flatMap((c) => c.missing.map((m) => ({ node: c.node.name, section: '(missing)', line: 0, message: m }))),
  }).result;
}
