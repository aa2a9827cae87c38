import { findCheck } from '../../checks/index';
import type { Check } from '../engine/types';
import { HaprobeError } from '../errors';
import type { ResolvedProfile } from './types';

/**
 * The checks a resolved profile runs, each with its params, in profile order; `only`
 * narrows to some ids (`haprobe run --check …`). An empty selection is an error (DESIGN.md:
 * empty selections are errors), as is an id that is not in the profile.
 */
export function checksForProfile(profile: ResolvedProfile, only?: string[]): { check: Check; params: Record<string, unknown> }[] {
  const wanted = only && only.length > 0 ? only : undefined;
  for (const id of wanted ?? [])
    if (!profile.checks.some((c) => c.id === id))
      throw new HaprobeError('check', `check "${id}" is not part of profile ${profile.id}`, {
        where: `--check ${id}`,
        hint: `checks of ${profile.id}: ${profile.checks.map((c) => c.id).join(', ')}`,
      });
  const out = profile.checks
    .filter((c) => !wanted || wanted.includes(c.id))
    .map((c) => {
      const check = findCheck(c.id);
      if (!check) throw new HaprobeError('profile', `unknown check "${c.id}"`, { where: profile.sources.at(-1) });
      return { check, params: c.params };
    });
  if (out.length === 0) throw new HaprobeError('profile', `profile ${profile.id} selects no check`, { where: profile.sources.at(-1) });
  return out;
}
