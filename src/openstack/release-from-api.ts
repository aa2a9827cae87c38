import type { Json } from './api-bodies';
import type { ReleaseName } from '../model/releases';

/**
 * The OpenStack release, read from the compute API's maximum microversion (GET / on nova:
 * versions[].version of the CURRENT v2.1). Neutron's API does not tell its release; nova's
 * maximum is fixed per release (nova/api/openstack/compute/rest_api_version_history.rst,
 * "(Maximum in …)"). Where two releases share a maximum (Ussuri/Victoria, Xena/Yoga, …) or the
 * value lies between two releases (a development build), the answer is an open family "ussuri+"
 * so era rules straddling the edge stay undecided (checks/lib/release.ts), never a guess.
 * Assumes neutron runs the same release as nova (a rolling upgrade can break that: the facts
 * file or the profile's `release` param overrides it). Release names are those of
 * src/model/releases.ts (typed, so a misspelt row does not compile).
 */
const NOVA_MAXIMA: [number, ReleaseName, boolean][] = [
  // [minor of 2.x, release, shared with the next release]
  [3, 'kilo', false],
  [12, 'liberty', false],
  [25, 'mitaka', false],
  [38, 'newton', false],
  [42, 'ocata', false],
  [53, 'pike', false],
  [60, 'queens', false],
  [65, 'rocky', false],
  [72, 'stein', false],
  [79, 'train', false],
  [87, 'ussuri', true],
  [88, 'wallaby', false],
  [90, 'xena', true],
  [93, 'zed', false],
  [95, '2023.1', true],
  [96, '2024.1', true],
  [100, '2025.1', true],
  [103, '2026.1', false],
];

/** "2.79" → "train"; "2.87" → "ussuri+"; "2.55" → "pike+"; unknown / absent → undefined */
export function releaseFromNovaMaxVersion(version: string | undefined): string | undefined {
  const m = /^2\.(\d+)$/.exec(version ?? '');
  if (!m) return undefined;
  const minor = Number(m[1]);
  let best: [number, ReleaseName, boolean] | undefined;
  for (const row of NOVA_MAXIMA) if (row[0] <= minor) best = row;
  if (!best) return undefined;
  // exact and unshared: that release; shared or in between (a development build): open family
  return best[0] === minor && !best[2] ? best[1] : `${best[1]}+`;
}

/** the release from nova's version document (GET / on the compute endpoint), or undefined */
export function releaseFromComputeVersions(versions: Json[] | undefined): { release?: string; maxVersion?: string } {
  const v21 = (versions ?? []).find((v) => v.id === 'v2.1');
  const max = typeof v21?.version === 'string' && v21.version !== '' ? v21.version : undefined;
  const release = releaseFromNovaMaxVersion(max);
  return { ...(release ? { release } : {}), ...(max ? { maxVersion: max } : {}) };
}
