import { isIPv4, isIPv6 } from 'node:net';

/**
 * The string formats haprobe accepts from facts, inventories, flags and (later) the Neutron API.
 * One home for each rule (issue 8): every value that may reach a remote command line or a file
 * name is checked against one of these when it is loaded, not where it is used.
 * Pure predicates; `describeFormat` says in words what was expected, for error messages.
 */

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const LABEL_RE = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/** Neutron ids (routers, ports, networks, subnets, instances, floating IPs): 8-4-4-4-12 hex */
export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

/** dotted quad, no leading zeros (node:net rules) */
export function isIpv4(s: string): boolean {
  return isIPv4(s);
}

/** IPv6 without zone index ("fe80::1%eth0" is refused: a zone is local to one host) */
export function isIpv6(s: string): boolean {
  return !s.includes('%') && isIPv6(s);
}

export function isIp(s: string): boolean {
  return isIpv4(s) || isIpv6(s);
}

/** "10.0.0.0/24", "2001:db8::/64": address and a prefix length within its family's range */
export function isCidr(s: string): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  if (!m) return false;
  const len = Number(m[2]);
  if (isIpv4(m[1])) return len <= 32;
  if (isIpv6(m[1])) return len <= 128;
  return false;
}

export function isIpOrCidr(s: string): boolean {
  return isIp(s) || isCidr(s);
}

/** Ethernet MAC, colon-separated ("fa:16:3e:00:00:01"), either case */
export function isMac(s: string): boolean {
  return MAC_RE.test(s);
}

/**
 * Linux interface name, the kernel's dev_valid_name(): 1-15 bytes (IFNAMSIZ 16 with the NUL),
 * not "." or "..", no '/', ':' or whitespace. Anything else is legal: `vlan#10` and `eth0@x` are.
 */
export function isInterfaceName(s: string): boolean {
  const bytes = Buffer.byteLength(s, 'utf8');
  if (bytes < 1 || bytes > 15 || s === '.' || s === '..') return false;
  return !/[/:\s\0]/.test(s);
}

/**
 * Network namespace name as `ip netns add` accepts it (a file under /run/netns): 1-255 bytes,
 * not "." or "..", no '/'. Whitespace and control characters are refused as well: the snapshot
 * script splits `ip netns list` on spaces, so such a name could never be read back.
 */
export function isNamespaceName(s: string): boolean {
  const bytes = Buffer.byteLength(s, 'utf8');
  if (bytes < 1 || bytes > 255 || s === '.' || s === '..') return false;
  return !/[/\s\0-\x1f\x7f]/.test(s);
}

/**
 * Host name (RFC 1123 labels, '_' tolerated as deployers use it): dot-separated labels of 1-63
 * letters, digits, '-' and '_', not starting or ending with '-', at most 253 characters.
 * Also what neutron's binding:host_id and agent `host` hold, and inventory node names.
 */
export function isHostname(s: string): boolean {
  if (s.length < 1 || s.length > 253) return false;
  const t = s.endsWith('.') ? s.slice(0, -1) : s;
  return t.length > 0 && t.split('.').every((label) => LABEL_RE.test(label));
}

/** an SSH destination: a host name or an IP address */
export function isHostOrIp(s: string): boolean {
  return isIp(s) || isHostname(s);
}

export const FORMATS = {
  uuid: { test: isUuid, expected: 'a UUID (8-4-4-4-12 hex digits)' },
  ipv4: { test: isIpv4, expected: 'an IPv4 address' },
  ipv6: { test: isIpv6, expected: 'an IPv6 address' },
  ip: { test: isIp, expected: 'an IPv4 or IPv6 address' },
  cidr: { test: isCidr, expected: 'a CIDR (address/prefix length)' },
  'ip-or-cidr': { test: isIpOrCidr, expected: 'an IP address or a CIDR' },
  mac: { test: isMac, expected: 'a MAC address (xx:xx:xx:xx:xx:xx)' },
  ifname: { test: isInterfaceName, expected: "a Linux interface name (1-15 bytes, no '/', ':' or whitespace, not '.' or '..')" },
  netns: { test: isNamespaceName, expected: "a network namespace name (no '/', no whitespace, not '.' or '..')" },
  hostname: { test: isHostname, expected: 'a host name (letters, digits, -, _ and dots)' },
  'host-or-ip': { test: isHostOrIp, expected: 'a host name or an IP address' },
} as const;

export type FormatName = keyof typeof FORMATS;

export function describeFormat(name: string): string {
  return (FORMATS as Record<string, { expected: string }>)[name]?.expected ?? `format "${name}"`;
}
