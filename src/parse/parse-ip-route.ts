import type { Route } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning, isElisionLine, isPromptLine, splitLines, splitWords, toInt } from './lines';

/** Route types ip prints before the destination (with -d: also "unicast"). */
export const ROUTE_TYPES = new Set([
  'unicast', 'local', 'broadcast', 'multicast', 'unreachable', 'prohibit', 'blackhole', 'throw', 'nat', 'anycast',
]);
/** Keywords followed by one value; those the model keeps are mapped below. */
const VALUE_KEYS = new Set([
  'via', 'dev', 'table', 'proto', 'scope', 'src', 'metric', 'preference', 'pref', 'mtu', 'advmss', 'rtt', 'rttvar',
  'reordering', 'window', 'cwnd', 'initcwnd', 'initrwnd', 'ssthresh', 'realms', 'rto_min', 'hoplimit', 'expires',
  'features', 'quickack', 'congctl', 'fastopen_no_cookie', 'tos', 'dsfield', 'from', 'weight', 'nhid', 'encap',
  'error', 'age', 'cache', 'users', 'used', 'iif', 'ttl-propagate', 'vrf',
]);
const FLAG_WORDS = new Set(['onlink', 'linkdown', 'dead', 'pervasive', 'offload', 'trap', 'rt_offload', 'rt_trap', 'notify', 'rt_offload_failed', 'lock', 'nexthop']);

/**
 * `ip route [show table X|all]`, `ip -6 route`, `ip -d route` text. `table` is only set when
 * printed: `ip route show table 16` does not repeat "table 16" on its lines (the caller knows
 * which table it asked for). Multipath "nexthop via … dev …" continuation lines fill via/dev of
 * the route above when it has none and are appended to its raw text.
 */
export function parseIpRoute(text: string): ParseResult<Route[]> {
  const warnings: ParseWarning[] = [];
  const routes: Route[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '') continue;
    const words = splitWords(t);
    if (words[0] === 'nexthop' && routes.length > 0 && /^\s/.test(raw)) {
      const prev = routes[routes.length - 1];
      prev.raw = `${prev.raw} ${t}`;
      const via = words.indexOf('via');
      const dev = words.indexOf('dev');
      if (prev.via === undefined && via > 0 && via + 1 < words.length) prev.via = words[via + 1];
      if (prev.dev === undefined && dev > 0 && dev + 1 < words.length) prev.dev = words[dev + 1];
      continue;
    }
    if (/^\s/.test(raw) && routes.length > 0 && (words[0] === 'cache' || VALUE_KEYS.has(words[0]) || FLAG_WORDS.has(words[0]))) {
      // indented attribute line of the route above (IPv6 "    cache expires 300sec", wrapped text)
      const prev = routes[routes.length - 1];
      prev.raw = `${prev.raw} ${t.replace(/\s+/g, ' ')}`;
      continue;
    }
    if (isElisionLine(t) || isPromptLine(t)) {
      addWarning(warnings, i + 1, isElisionLine(t) ? 'elided output' : 'shell prompt line', raw);
      continue;
    }
    const route = parseRouteWords(words, warnings, i + 1, raw);
    if (route) routes.push(route);
  }
  return { value: routes, warnings };
}

export function parseRouteWords(words: string[], warnings: ParseWarning[], lineNo: number, raw: string): Route | undefined {
  let i = 0;
  let type: string | undefined;
  if (ROUTE_TYPES.has(words[0]) && words.length > 1) type = words[i++];
  const dst = words[i++];
  if (dst === undefined || !looksLikeDestination(dst)) {
    addWarning(warnings, lineNo, 'not a route line', raw);
    return undefined;
  }
  const route: Route = { dst, raw: raw.trim().replace(/\s+/g, ' ') };
  if (type !== undefined) route.type = type;
  for (; i < words.length; i++) {
    const w = words[i];
    if (VALUE_KEYS.has(w) && i + 1 < words.length) {
      let v = words[++i];
      // "via inet6 fe80::1" (IPv4 route with IPv6 next hop), "mtu lock 1400"
      if ((w === 'via' && (v === 'inet' || v === 'inet6')) || (v === 'lock' && i + 1 < words.length)) v = words[++i];
      if (w === 'via') route.via = v;
      else if (w === 'dev') route.dev = v;
      else if (w === 'table') route.table = v;
      else if (w === 'proto') route.proto = v;
      else if (w === 'scope') route.scope = v;
      else if (w === 'src') route.src = v;
      else if (w === 'metric' || w === 'preference') route.metric = toInt(v);
      continue;
    }
    if (FLAG_WORDS.has(w)) continue;
    addWarning(warnings, lineNo, `unknown word in route: ${w}`, raw);
  }
  return route;
}

function looksLikeDestination(s: string): boolean {
  return s === 'default' || /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(s);
}
