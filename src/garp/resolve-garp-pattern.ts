import type { HaMode } from '../model/facts';
import type { ResolvedProfile } from '../profile/types';
import { PATTERNS, patternForRelease, type PatternId } from '../capture/patterns';

/**
 * Profile event pattern names ("neutron-pike", "neutron-kilo", "keepalived", …; profile/types.ts)
 * → capture pattern ids. The neutron family is decided by the release (facts first, then the
 * profile): the profile names the sender, the release decides its timing (ground-truth §0.7).
 */
export function resolveGarpPattern(
  profile: Pick<ResolvedProfile, 'id' | 'garp' | 'release'>,
  event: string,
  factsRelease: string | undefined,
  mode: HaMode,
): { pattern: PatternId; source: string } {
  const release = factsRelease ?? profile.release;
  const name = profile.garp.events[event]?.pattern;
  const at = `profile ${profile.id} garp.events.${event}`;
  if (name === undefined) {
    const pattern = mode === 'ha' ? 'keepalived' : patternForRelease(release);
    return { pattern, source: `${at} not set: default for ${mode} routers (release ${release ?? 'unknown'})` };
  }
  if (name.startsWith('neutron')) {
    return { pattern: patternForRelease(release), source: `${at}: ${name}, release ${release ?? 'unknown → pike+'}` };
  }
  if (name in PATTERNS) return { pattern: name as PatternId, source: `${at}: ${name}` };
  return { pattern: 'any', source: `${at}: unknown pattern "${name}", only "at least one G-ARP" is checked` };
}
