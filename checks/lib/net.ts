import type { Address, Device } from '../../src/model/types';

/** "10.0.0.1" → 167772161; undefined when not a dotted IPv4 address */
export function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** "10.0.0.5/32" → "10.0.0.5" */
export function stripPrefix(ip: string): string {
  const i = ip.indexOf('/');
  return i < 0 ? ip : ip.slice(0, i);
}

/** true when ip (with or without /len) lies inside cidr ("10.0.0.0/24"); IPv4 only */
export function cidrContains(cidr: string, ip: string): boolean {
  const [net, lenText] = cidr.split('/');
  const len = lenText === undefined ? 32 : Number(lenText);
  const a = ipv4ToInt(net ?? '');
  const b = ipv4ToInt(stripPrefix(ip));
  if (a === undefined || b === undefined || !(len >= 0 && len <= 32)) return false;
  if (len === 0) return true;
  const size = 2 ** (32 - len);
  return Math.floor(a / size) === Math.floor(b / size);
}

/** "203.0.113.10" matches "203.0.113.10", "203.0.113.10/32" */
export function sameHost(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const pa = a.split('/');
  const pb = b.split('/');
  if (pa[1] !== undefined && pa[1] !== '32') return false;
  if (pb[1] !== undefined && pb[1] !== '32') return false;
  return pa[0] === pb[0];
}

export function ipv4Addresses(dev: Device | undefined): Address[] {
  return (dev?.addresses ?? []).filter((a) => a.family === 'inet');
}

/** addresses that carry meaning for checks: IPv4 and global IPv6 (link-local fe80:: is ignored) */
export function meaningfulAddresses(dev: Device | undefined): Address[] {
  return (dev?.addresses ?? []).filter((a) => a.family === 'inet' || !a.address.toLowerCase().startsWith('fe80:'));
}

export function hasAddress(dev: Device | undefined, ip: string, prefixLen?: number): boolean {
  const bare = stripPrefix(ip);
  return (dev?.addresses ?? []).some((a) => a.address === bare && (prefixLen === undefined || a.prefixLen === prefixLen));
}

export function normMac(mac: string | undefined): string | undefined {
  return mac?.toLowerCase();
}

export function formatAddresses(addrs: Address[]): string {
  return addrs.length === 0 ? '(none)' : addrs.map((a) => `${a.address}/${a.prefixLen}`).join(', ');
}
