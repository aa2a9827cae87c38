import { createHash } from 'node:crypto';

/**
 * Deterministic identifiers: the same profile always yields the same uuids and MACs,
 * so lab runs (and their facts files, captures, reports) are reproducible.
 */
function digest(seed: string, key: string): string {
  return createHash('sha256').update(`${seed}\u0000${key}`).digest('hex');
}

/** RFC 4122-shaped (version 4 bits set) uuid derived from seed + key */
export function makeUuid(seed: string, key: string): string {
  const h = digest(seed, key);
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** MAC under a 3-byte base ("fa:16:3e" neutron ports, "fa:16:3f" DVR host MACs — ground-truth §0.4) */
export function makeMac(seed: string, key: string, base = 'fa:16:3e'): string {
  const h = digest(seed, `mac:${key}`);
  return `${base}:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
}

/** neutron device name: (prefix + id)[:14] (ground-truth §0.3, LINUX_DEV_LEN) */
export function deviceName(prefix: string, id: string): string {
  return (prefix + id).slice(0, 14);
}

/** integer in [lo, hi] derived from seed + key: what neutron draws at random (VRIDs, HA port addresses), reproducible */
export function makeNumber(seed: string, key: string, lo: number, hi: number): number {
  return lo + (parseInt(digest(seed, `n:${key}`).slice(0, 8), 16) % (hi - lo + 1));
}
