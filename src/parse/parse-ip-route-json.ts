import type { Route } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning } from './lines';
import { num, parseJsonArray, previewJson, str } from './parse-json-array';

/**
 * `ip -j route [show table all]`. `raw` is rebuilt in ip's text order (type dst via dev table
 * proto scope src metric flags) so reports read the same for JSON and text collections.
 */
export function parseIpRouteJson(text: string): ParseResult<Route[]> {
  const warnings: ParseWarning[] = [];
  const routes: Route[] = [];
  parseJsonArray(text, warnings, 'ip -j route').forEach((o, idx) => {
    const dst = str(o.dst);
    if (dst === undefined) {
      addWarning(warnings, 1, `ip -j route: element ${idx} has no dst`, previewJson(o));
      return;
    }
    const route: Route = { dst, raw: '' };
    const type = str(o.type);
    if (type !== undefined) route.type = type;
    let via = gateway(o.gateway, o.via);
    let dev = str(o.dev);
    if (Array.isArray(o.nexthops) && o.nexthops.length > 0) {
      const hop = o.nexthops[0] as Record<string, unknown>;
      via = via ?? gateway(hop?.gateway, hop?.via);
      dev = dev ?? str(hop?.dev);
    }
    if (via !== undefined) route.via = via;
    if (dev !== undefined) route.dev = dev;
    const table = str(o.table);
    if (table !== undefined) route.table = table;
    const proto = str(o.protocol);
    if (proto !== undefined) route.proto = proto;
    const scope = str(o.scope);
    if (scope !== undefined) route.scope = scope;
    const src = str(o.prefsrc);
    if (src !== undefined) route.src = src;
    const metric = num(o.metric);
    if (metric !== undefined) route.metric = metric;
    const flags = Array.isArray(o.flags) ? o.flags.filter((f): f is string => typeof f === 'string') : [];
    route.raw = [
      type, dst, via !== undefined ? `via ${via}` : undefined, dev !== undefined ? `dev ${dev}` : undefined,
      table !== undefined ? `table ${table}` : undefined, proto !== undefined ? `proto ${proto}` : undefined,
      scope !== undefined ? `scope ${scope}` : undefined, src !== undefined ? `src ${src}` : undefined,
      metric !== undefined ? `metric ${metric}` : undefined, ...flags,
    ].filter((p) => p !== undefined).join(' ');
    routes.push(route);
  });
  return { value: routes, warnings };
}

/** "gateway": "10.0.0.1", or "via": {"family": "inet6", "host": "fe80::1"} (IPv4 route, IPv6 next hop) */
function gateway(g: unknown, via: unknown): string | undefined {
  const s = str(g);
  if (s !== undefined) return s;
  if (via !== null && typeof via === 'object') return str((via as Record<string, unknown>).host);
  return undefined;
}
