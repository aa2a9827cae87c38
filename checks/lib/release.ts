/**
 * Neutron release order (ground-truth §0.2). Profiles and facts name a release family
 * like "pike+", "newton", "2023.1+"; only the first release name matters for ordering.
 */
export const RELEASES = [
  'juno', 'kilo', 'liberty', 'mitaka', 'newton', 'ocata', 'pike', 'queens', 'rocky', 'stein', 'train',
  'ussuri', 'victoria', 'wallaby', 'xena', 'yoga', 'zed', '2023.1', '2023.2', '2024.1', '2024.2', '2025.1',
  '2025.2', '2026.1',
] as const;

const ALIASES: Record<string, string> = {
  antelope: '2023.1', bobcat: '2023.2', caracal: '2024.1', dalmatian: '2024.2', epoxy: '2025.1',
  flamingo: '2025.2', gazpacho: '2026.1', master: '2026.1',
};

/** index into RELEASES, or undefined for an unknown / absent family */
export function releaseIndex(family: string | undefined): number | undefined {
  if (!family) return undefined;
  const word = family.trim().toLowerCase().replace(/\+$/, '').split(/[\s/–-]+/)[0] ?? '';
  const name = ALIASES[word] ?? word;
  const i = (RELEASES as readonly string[]).indexOf(name);
  return i < 0 ? undefined : i;
}

/** true when family is known and at least `release`; undefined when family is unknown */
export function releaseAtLeast(family: string | undefined, release: (typeof RELEASES)[number]): boolean | undefined {
  const i = releaseIndex(family);
  return i === undefined ? undefined : i >= RELEASES.indexOf(release);
}

/** release family for a check: facts.release (what the cloud runs) wins over the profile's default */
export function releaseOf(params: Record<string, unknown>, factsRelease?: string): string | undefined {
  return factsRelease ?? (typeof params['release'] === 'string' ? (params['release'] as string) : undefined);
}
