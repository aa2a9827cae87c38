/**
 * OVSDB JSON data (RFC 7047 §5.1, `ovs-vsctl --format=json --data=json`): atoms are plain JSON,
 * ["uuid", u] and ["named-uuid", u] are references, ["set", [...]] a set — a set of exactly one
 * element is printed as the bare atom — and ["map", [[k, v], ...]] a map.
 */
export type OvsdbValue = string | number | boolean | OvsdbValue[] | { [k: string]: OvsdbValue } | null;

/**
 * An OVSDB column is at most a map of atoms (atoms may be ["uuid", u]): nesting deeper than this
 * is not OVSDB and decodes to null — the decoder recursed without limit and a deeply nested
 * value overflowed the stack (issue 8).
 */
const MAX_DEPTH = 4;

export function decodeOvsdbValue(v: unknown, depth = 0): OvsdbValue {
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string') {
    const [tag, body] = v as [string, unknown];
    if ((tag === 'uuid' || tag === 'named-uuid') && typeof body === 'string') return body;
    if (depth >= MAX_DEPTH) return null;
    if (tag === 'set' && Array.isArray(body)) return body.map((x) => decodeOvsdbValue(x, depth + 1));
    if (tag === 'map' && Array.isArray(body)) {
      const out: { [k: string]: OvsdbValue } = {};
      for (const pair of body) {
        if (Array.isArray(pair) && pair.length === 2) out[String(decodeOvsdbValue(pair[0], depth + 1))] = decodeOvsdbValue(pair[1], depth + 1);
      }
      return out;
    }
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return null;
}

/** A set column as a list (a bare atom is a one-element set). */
export function asList(v: OvsdbValue): OvsdbValue[] {
  if (Array.isArray(v)) return v;
  if (v === null) return [];
  return [v];
}

/** An optional scalar column (set of 0 or 1): the atom or undefined. */
export function asOptional(v: OvsdbValue): string | number | boolean | undefined {
  if (Array.isArray(v)) return v.length === 1 ? asOptional(v[0]) : undefined;
  if (v === null || typeof v === 'object') return undefined;
  return v;
}

export function asStringMap(v: OvsdbValue): Record<string, string> {
  const out: Record<string, string> = {};
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) out[k] = String(x);
  }
  return out;
}
