/**
 * Pure readings of version outputs. Each returns undefined when the text says nothing known.
 */

export type ArpingKind = 'iputils' | 'habets' | 'unknown';

/**
 * `arping -V`: iputils prints "arping from iputils 20221126" (or "arping utility,
 * iputils-s20180629"); Thomas Habets' arping (Debian/Ubuntu package `arping`) does not know -V and
 * prints its usage, starting "ARPing 2.23, by Thomas Habets".
 */
export function classifyArping(text: string): { kind: ArpingKind; version?: string } {
  const iputils = /iputils[- ]?s?(\d{8}|\d+(?:\.\d+)*)/i.exec(text);
  if (iputils) return { kind: 'iputils', version: iputils[1] };
  const habets = /ARPing (\d+(?:\.\d+)*), by Thomas Habets/i.exec(text) ?? /(Thomas Habets)/i.exec(text);
  if (habets) return { kind: 'habets', version: habets[1] === 'Thomas Habets' ? undefined : habets[1] };
  return { kind: 'unknown' };
}

/** `iptables -V`: "iptables v1.8.9 (nf_tables)" / "(legacy)"; 1.6 and older print no backend (legacy) */
export function parseIptablesVersion(text: string): { version: string; backend: 'nf_tables' | 'legacy' } | undefined {
  const m = /iptables v(\d+(?:\.\d+)*)(?:\s+\((nf_tables|legacy)\))?/.exec(text);
  if (!m) return undefined;
  return { version: m[1], backend: (m[2] as 'nf_tables' | 'legacy' | undefined) ?? 'legacy' };
}

/** `keepalived --version`: "Keepalived v2.2.7 (01/16,2022)" → "2.2.7" */
export function parseKeepalivedVersion(text: string): string | undefined {
  return /Keepalived v(\d+(?:\.\d+)*)/i.exec(text)?.[1];
}

/** `tcpdump --version`: "tcpdump version 4.99.3" → "4.99.3" */
export function parseTcpdumpVersion(text: string): string | undefined {
  return /tcpdump version (\S+)/.exec(text)?.[1];
}

/** `ip -V`: "ip utility, iproute2-6.1.0, libbpf 1.1.0" / "ip utility, iproute2-ss170501" */
export function parseIproute2Version(text: string): string | undefined {
  return /iproute2-(?:ss)?([\w.]+)/.exec(text)?.[1];
}

/** the `which` section: lines "tool /path" → tool → path */
export function parseWhich(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(\S+) (\/\S*)$/.exec(line.trim());
    if (m) out.set(m[1], m[2]);
  }
  return out;
}
