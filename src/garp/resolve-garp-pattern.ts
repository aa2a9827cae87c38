import type { HaMode } from '../model/facts';
import type { ResolvedProfile } from '../profile/types';
import { PATTERNS, haPatternForRelease, patternForRelease, type PatternId } from '../capture/patterns';

/**
 * Profile event pattern names ("neutron-pike", "neutron-kilo", "keepalived", …; profile/types.ts)
 * → capture pattern ids. The profile names the sender, the release decides what that sender
 * puts on the wire (facts first, then the profile; an unknown release accepts every shape that
 * sender ever had, it is never read as the newest — issue 15):
 * - neutron's arping (legacy, DVR fg-/snat): patternForRelease (Pike shape backported to Newton/Ocata);
 * - keepalived (L3 HA, DVR-HA snat failover): haPatternForRelease, which adds the state-change
 *   daemon's arping from Mitaka stable to Victoria and Juno–Liberty keepalived timings;
 * - a centralized floating IP of a DVR-HA router: the agent's own arping on the primary plus the
 *   VIP keepalived holds (dvr_edge_ha_router.add_centralized_floatingip), 'dvr-ha-centralized'.
 */
export function resolveGarpPattern(
  profile: Pick<ResolvedProfile, 'id' | 'garp' | 'release'>,
  event: string,
  factsRelease: string | undefined,
  mode: HaMode,
  where: { centralized?: boolean } = {},
): { pattern: PatternId; source: string } {
  const release = factsRelease ?? profile.release;
  const rel = `release ${release ?? 'unknown: every shape of it'}`;
  const name = profile.garp.events[event]?.pattern;
  const at = `profile ${profile.id} garp.events.${event}`;
  if (mode === 'dvr-ha' && where.centralized && event === 'fip-associate') {
    return { pattern: 'dvr-ha-centralized', source: `${at}: centralized FIP of a DVR-HA router (agent arping and/or keepalived), ${rel}` };
  }
  if (name === undefined) {
    const pattern = mode === 'ha' ? haPatternForRelease(release) : patternForRelease(release);
    return { pattern, source: `${at} not set: default for ${mode} routers, ${rel}` };
  }
  if (name.startsWith('neutron')) return { pattern: patternForRelease(release), source: `${at}: ${name}, ${rel}` };
  if (name === 'keepalived') return { pattern: haPatternForRelease(release), source: `${at}: ${name}, ${rel}` };
  if (name in PATTERNS) return { pattern: name as PatternId, source: `${at}: ${name}` };
  return { pattern: 'any', source: `${at}: unknown pattern "${name}", only "at least one G-ARP" is checked` };
}
