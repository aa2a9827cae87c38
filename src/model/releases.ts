/**
 * OpenStack releases, in order: the one home of their names, spellings and order (issue 14,
 * STYLE.md "one home per domain rule"). The checks' era rules (checks/lib/release.ts), the G-ARP
 * capture patterns (src/capture/patterns.ts) and the release read from nova's API
 * (src/openstack/release-from-api.ts) all index through RELEASES. The lab keeps its own list of
 * the releases it can render (src/lab/releases.ts) on purpose: an independent oracle.
 *
 * A release family is what facts, profiles and the API reading name: one release ("ocata",
 * "2024.1", "Caracal"), or one with "+" ("pike+": that release or any later one). Unknown names
 * stay unknown (undefined): callers accept every form or say skip/warn, never read an unknown
 * release as the newest, and never fail on it.
 */

/** oldest first; the year releases from 2023.1 on are named by their year (ground-truth §0.2) */
export const RELEASES = [
  'havana', 'icehouse', 'juno', 'kilo', 'liberty', 'mitaka', 'newton', 'ocata', 'pike', 'queens', 'rocky', 'stein',
  'train', 'ussuri', 'victoria', 'wallaby', 'xena', 'yoga', 'zed',
  '2023.1', '2023.2', '2024.1', '2024.2', '2025.1', '2025.2', '2026.1', '2026.2',
] as const;

export type ReleaseName = (typeof RELEASES)[number];

/** the newest release haprobe knows: what `master` means */
export const NEWEST_RELEASE: ReleaseName = RELEASES[RELEASES.length - 1]!;

/** code names of the year releases (2026.2 is the series "hibiscus" in openstack/releases) */
export const RELEASE_CODE_NAMES: Readonly<Record<string, ReleaseName>> = {
  antelope: '2023.1', bobcat: '2023.2', caracal: '2024.1', dalmatian: '2024.2', epoxy: '2025.1',
  flamingo: '2025.2', gazpacho: '2026.1', hibiscus: '2026.2',
};

/**
 * `master`: the development branch, read as the newest release known here. A cloud running a
 * master newer than NEWEST_RELEASE still gets that release's rules (no later era edge is known).
 */
export const MASTER_ALIAS = 'master';

/** One release name in any accepted spelling (case and surrounding blanks ignored), or undefined. */
export function resolveReleaseName(word: string | undefined): ReleaseName | undefined {
  if (word === undefined) return undefined;
  const w = word.trim().toLowerCase();
  if (w === MASTER_ALIAS) return NEWEST_RELEASE;
  const name = RELEASE_CODE_NAMES[w] ?? w;
  return (RELEASES as readonly string[]).includes(name) ? (name as ReleaseName) : undefined;
}

/** position of a known release in RELEASES (0 = oldest) */
export function releaseOrder(name: ReleaseName): number {
  return RELEASES.indexOf(name);
}

export interface ReleaseFamily {
  release: ReleaseName;
  /** releaseOrder(release) */
  index: number;
  /** "X+": X or any later release */
  orLater: boolean;
}

/**
 * A release family written as exactly one release name, optionally followed by "+"
 * ("pike+", "2023.1+", "Caracal", "master"); anything else (absent, "martian", "kilo-newton")
 * is unknown: undefined.
 */
export function parseReleaseFamily(text: string | undefined): ReleaseFamily | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  const orLater = t.endsWith('+');
  const release = resolveReleaseName(orLater ? t.slice(0, -1) : t);
  return release === undefined ? undefined : { release, index: releaseOrder(release), orLater };
}

/**
 * The release a family starts with, reading only its first word (split at blanks, "/", "-" and
 * "–"): "2023.1 antelope", "kilo/liberty" and "kilo-newton" start with their first name. The
 * checks' ordering reads families this leniently (an era predicate still sees "+" only at the
 * very end); the capture patterns use parseReleaseFamily, where such text is unknown.
 */
export function leadingRelease(text: string | undefined): ReleaseName | undefined {
  if (!text) return undefined;
  const word = text.trim().toLowerCase().replace(/\+$/, '').split(/[\s/–-]+/)[0] ?? '';
  return resolveReleaseName(word);
}
