import type { HaMode } from '../model/facts';
import type { ResolvedProfile } from '../profile/types';
import { PATTERNS, patternForRelease, type PatternId } from '../capture/patterns';
import { releaseIndex } from '../../checks/lib/release';

/** releases before the first of checks/lib/release.ts RELEASES whose neutron pattern is still known (Juno's) */
const OLDER_KNOWN = ['icehouse', 'havana'];

/** can the neutron pattern be chosen for this release? (unknown is never read as newest, issue 15) */
function isKnownRelease(release: string | undefined): boolean {
  if (release === undefined) return false;
  return releaseIndex(release) !== undefined || OLDER_KNOWN.includes(release.trim().toLowerCase());
}

/**
 * Profile event pattern names ("neutron-pike", "neutron-kilo", "keepalived", …; profile/types.ts)
 * → capture pattern ids. The neutron family is decided by the release (facts first, then the
 * profile): the profile names the sender, the release decides its timing (ground-truth §0.7).
 * With the release unknown the neutron shapes (Juno / Kilo–Newton / Pike+) cannot be told apart:
 * the pattern is `any` (every shape accepted: at least one G-ARP from the right sender) and the
 * source says why — never the newest shape by default (issue 15).
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
  const unknown = `release ${release ?? 'unknown'} names no neutron era: its G-ARP shape (Juno, Kilo–Newton or Pike+) cannot be judged, only "at least one G-ARP" is checked (set \`release\` in the facts)`;
  if (name === undefined) {
    if (mode === 'ha') return { pattern: 'keepalived', source: `${at} not set: default for ${mode} routers (release ${release ?? 'unknown'})` };
    if (!isKnownRelease(release)) return { pattern: 'any', source: `${at} not set: ${unknown}` };
    return { pattern: patternForRelease(release), source: `${at} not set: default for ${mode} routers (release ${release})` };
  }
  if (name.startsWith('neutron')) {
    if (!isKnownRelease(release)) return { pattern: 'any', source: `${at}: ${name}, ${unknown}` };
    return { pattern: patternForRelease(release), source: `${at}: ${name}, release ${release}` };
  }
  if (name in PATTERNS) return { pattern: name as PatternId, source: `${at}: ${name}` };
  return { pattern: 'any', source: `${at}: unknown pattern "${name}", only "at least one G-ARP" is checked` };
}
