import { isIP } from 'node:net';
import { HaprobeError } from '../errors';

/** What `where` looks for: an IPv4/IPv6 address (no prefix) or a MAC (lower case, colon form). */
export type WhereTarget = { kind: 'ip'; value: string; family: 4 | 6 } | { kind: 'mac'; value: string };

/** "203.0.113.101", "2001:db8::1", "FA:16:3E:00:00:01", "fa-16-3e-00-00-01", "fa16.3e00.0001" */
export function parseWhereTarget(text: string): WhereTarget {
  const t = text.trim();
  const v = isIP(t);
  if (v === 4) return { kind: 'ip', value: t, family: 4 };
  if (v === 6) return { kind: 'ip', value: canonicalIpv6(t), family: 6 };
  const hex = t.toLowerCase().replace(/[:.-]/g, '');
  if (/^[0-9a-f]{12}$/.test(hex) && /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$|^([0-9a-f]{4}\.){2}[0-9a-f]{4}$/i.test(t)) {
    return { kind: 'mac', value: hex.match(/../g)!.join(':') };
  }
  throw new HaprobeError('usage', `"${text}" is neither an IP address nor a MAC address`, { where: 'where ADDRESS', hint: 'e.g. 203.0.113.101 or fa:16:3e:12:34:56 (no prefix length)' });
}

/** the full lower-case form of an IPv6 address, so "2001:db8::1" and "2001:0db8:0:0::1" compare equal */
export function canonicalIpv6(ip: string): string {
  const [head, tail] = ip.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail !== undefined ? Array(8 - h.length - t.length).fill('0') : [];
  return [...h, ...fill, ...t].map((p) => p.replace(/^0+(?=.)/, '')).join(':');
}

/** does an address as printed ("203.0.113.101", "203.0.113.101/32", "fa:16:3e:…") name the target? */
export function namesTarget(target: WhereTarget, text: string | undefined): boolean {
  if (text === undefined || text === '') return false;
  if (target.kind === 'mac') return text.toLowerCase() === target.value;
  const [addr, len] = text.split('/');
  const full = target.family === 4 ? 32 : 128;
  if (len !== undefined && Number(len) !== full) return false;
  if (target.family === 4) return addr === target.value;
  return isIP(addr) === 6 && canonicalIpv6(addr) === target.value;
}

/**
 * Does a free text (an iptables rule spec, flow actions) name the target: the IPv4 address (alone
 * or /32) or the MAC as a whole token (`mod_dl_src:fa:16:…`, `set_field:…->eth_src` included),
 * an IPv6 address as a whole word in any spelling.
 */
export function textNamesTarget(target: WhereTarget, text: string): boolean {
  const lower = text.toLowerCase();
  if (target.kind === 'mac') return new RegExp(`(?<![0-9a-f]{2}:)(?<![0-9a-f])${target.value}(?![0-9a-f]|:[0-9a-f]{2})`).test(lower);
  if (target.family === 4) return new RegExp(`(?<![0-9.])${target.value.replace(/\./g, '\\.')}(?:/32)?(?![0-9.]|/[0-9])`).test(lower);
  return lower.split(/[\s,=]+/).some((tok) => namesTarget(target, tok));
}
