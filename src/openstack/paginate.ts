/**
 * Neutron pagination (api-ref "Pagination"): a list answer carries `<collection>_links`, an
 * array of {rel, href}; rel "next" points at the next page (its query has marker and limit).
 * Pure helpers; the loop is in session.ts.
 */

export type Query = Record<string, string | number | boolean | (string | number)[] | undefined>;

/** the query of the "next" link, or undefined on the last page */
export function nextPageQuery(body: unknown, collection: string): Record<string, string> | undefined {
  const links = (body as Record<string, unknown> | undefined)?.[`${collection}_links`];
  if (!Array.isArray(links)) return undefined;
  const next = links.find((l) => l && typeof l === 'object' && (l as { rel?: unknown }).rel === 'next') as { href?: unknown } | undefined;
  if (!next || typeof next.href !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(next.href, 'http://relative.invalid');
  } catch {
    return undefined;
  }
  const q: Record<string, string> = {};
  url.searchParams.forEach((v, k) => {
    q[k] = v;
  });
  return q;
}

/**
 * The next request's query: the caller's filters, with the paging keys of the next link.
 * Only the paging keys are taken from the link, and the request goes to the endpoint from the
 * catalog, not to the link's host: behind a TLS-terminating proxy neutron writes http:// links
 * with its internal host name.
 */
export function mergePageQuery(base: Query, next: Record<string, string>): Query {
  const out: Query = { ...base };
  for (const k of ['marker', 'limit', 'page_reverse']) if (next[k] !== undefined) out[k] = next[k];
  return out;
}

/** query object → "?a=1&b=x&b=y" ("" when empty); arrays repeat the key (neutron's fields=…) */
export function formatQuery(q: Query | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, String(x));
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}
