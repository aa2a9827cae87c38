import type { ProfileCheckEntry, ProfileDoc } from './types';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge of plain mappings: `over` wins; arrays and scalars are replaced, not concatenated. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isObject(base) || !isObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out as T;
}

/** checks merge by id: same id → params deep-merged, `enabled` overridden; new ids appended */
function mergeChecks(base: ProfileCheckEntry[] = [], over: ProfileCheckEntry[] = []): ProfileCheckEntry[] {
  const out = base.map((c) => ({ ...c }));
  for (const c of over) {
    const i = out.findIndex((x) => x.id === c.id);
    if (i < 0) out.push({ ...c });
    else {
      const merged: ProfileCheckEntry = { id: c.id, params: deepMerge(out[i]!.params ?? {}, c.params ?? {}) };
      const enabled = c.enabled ?? out[i]!.enabled;
      if (enabled !== undefined) merged.enabled = enabled;
      out[i] = merged;
    }
  }
  return out;
}

/**
 * Child over parent (extends) or override over profile. Identity fields (id, title,
 * description, seed) come from the child when present; `abstract` is never inherited.
 * Pure.
 */
export function mergeProfileDocs(parent: ProfileDoc, child: ProfileDoc, opts: { inheritAbstract?: boolean } = {}): ProfileDoc {
  const out: ProfileDoc = { ...parent, ...stripUndefined(child) };
  if (!opts.inheritAbstract) out.abstract = child.abstract ?? false;
  out.params = deepMerge(parent.params ?? {}, child.params ?? {});
  out.roles = deepMerge(parent.roles ?? {}, child.roles ?? {});
  out.garp = deepMerge(parent.garp ?? {}, child.garp ?? {});
  out.checks = mergeChecks(parent.checks, child.checks);
  delete out.extends;
  return out;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
