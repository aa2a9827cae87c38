import { createHash } from 'node:crypto';
import type { Inventory } from './types';

/**
 * sha256 (hex) of a canonical form: nodes sorted by name, roles sorted, keys sorted, `source`
 * left out — the same nodes read from another path or file format give the same digest.
 */
export function inventoryDigest(inv: Inventory): string {
  const nodes = [...inv.nodes]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((n) => ({ ...n, roles: [...n.roles].sort() }));
  return createHash('sha256').update(canonicalJson({ knownHosts: inv.knownHosts, nodes })).digest('hex');
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
