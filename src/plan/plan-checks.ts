import { CHECKS } from '../../checks';
import type { Check } from '../engine/types';
import { HaprobeError } from '../errors';
import type { ResolvedProfile } from '../profile/types';
import type { PlannedCheck } from './types';

export interface CheckSelection {
  /** `--check`: only these (profile order first, then the named ones the profile does not list) */
  only?: string[];
  /** `--skip`: not these */
  skip?: string[];
}

/**
 * The check ids a run judges: the profile's, narrowed by --check (a named check the profile does
 * not list is added after the profile's) and --skip. An unknown id in either flag is a `check`
 * error listing the known ones; an empty selection is a usage error (DESIGN.md: empty selections
 * are errors). Pure. (Was selectChecks in cli/commands/run.ts.)
 */
export function selectCheckIds(profileChecks: readonly string[], sel: CheckSelection = {}, registry: readonly Check[] = CHECKS): string[] {
  const known = new Set(registry.map((c) => c.id));
  const { only, skip } = sel;
  for (const id of [...(only ?? []), ...(skip ?? [])]) {
    if (!known.has(id)) {
      throw new HaprobeError('check', `unknown check "${id}"`, { where: '--check/--skip', hint: `known checks: ${[...known].join(', ')}` });
    }
  }
  let ids = [...profileChecks];
  if (only && only.length > 0) ids = ids.filter((id) => only.includes(id)).concat(only.filter((id) => !ids.includes(id)));
  if (skip) ids = ids.filter((id) => !skip.includes(id));
  if (ids.length === 0) throw new HaprobeError('usage', 'no check selected', { where: '--check/--skip' });
  return ids;
}

/** The checks of a profile after --check/--skip, each with its resolved params (see selectCheckIds). Pure. */
export function planChecks(profile: ResolvedProfile, sel: CheckSelection = {}, registry: readonly Check[] = CHECKS): PlannedCheck[] {
  const byId = new Map(registry.map((c) => [c.id, c]));
  const params = new Map(profile.checks.map((c) => [c.id, c.params]));
  return selectCheckIds(profile.checks.map((c) => c.id), sel, registry).map((id) => ({
    check: byId.get(id) as Check,
    params: params.get(id) ?? {},
    fromProfile: params.has(id),
  }));
}

/**
 * Checks by id, for run files that name what they ran (`merge` of shards): an id this haprobe
 * does not know is a usage error naming the file.
 */
export function checksByIds(ids: readonly string[], where: string | undefined, registry: readonly Check[] = CHECKS): Check[] {
  const byId = new Map(registry.map((c) => [c.id, c]));
  return ids.map((id) => {
    const c = byId.get(id);
    if (!c) throw new HaprobeError('usage', `the shards ran check "${id}", which this haprobe does not know`, { where });
    return c;
  });
}
