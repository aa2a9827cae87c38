import type { Icmp6Fields, Icmp6Kind } from './types';
import { formatIpv6 } from './format-address';

/**
 * ICMPv6 as far as haprobe needs it: which message an L3 HA router's qg- sent (MLD report or
 * done, DAD neighbour solicitation, other neighbour discovery), with its target or groups.
 * Pure and total: a message cut by the snaplen keeps what was read and says so in `cut`.
 * Ground-truth §7 row 13 (lp#1859832): a backup's qg- must send none of these.
 */

/** RFC 4443 / 4861 / 2710 / 3810 type numbers */
const TYPE_KIND: Record<number, Icmp6Kind> = {
  130: 'mld-query',
  131: 'mld-report-v1',
  132: 'mld-done',
  133: 'rs',
  134: 'ra',
  135: 'ns',
  136: 'na',
  137: 'redirect',
  143: 'mld-report-v2',
};

export const NEXT_HEADER_ICMP6 = 58;
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const DEST_OPTS = 60;

/**
 * Walk the extension headers from the fixed header's next-header `next` at payload offset `off`
 * (Hop-by-Hop, Routing, Destination Options; a first fragment). Returns the offset of the
 * upper-layer header and its protocol, or undefined when the chain is cut or a later fragment.
 */
export function walkExtensionHeaders(d: Uint8Array, next: number, off: number, end: number): { proto: number; off: number; crossed: number[] } | undefined {
  const crossed: number[] = [];
  for (let i = 0; i < 8; i++) {
    if (next === HOP_BY_HOP || next === ROUTING || next === DEST_OPTS) {
      if (off + 2 > end) return undefined;
      crossed.push(next);
      const len = (d[off + 1] + 1) * 8;
      next = d[off];
      off += len;
    } else if (next === FRAGMENT) {
      if (off + 8 > end) return undefined;
      const fragOffset = ((d[off + 2] << 8) | d[off + 3]) >> 3;
      if (fragOffset !== 0) return undefined;
      crossed.push(next);
      next = d[off];
      off += 8;
    } else {
      return { proto: next, off, crossed };
    }
  }
  return undefined;
}

/** the ICMPv6 message at `off` (its first byte is the type), `src` the IPv6 source; `cut` says what the snaplen took */
export function decodeIcmp6(d: Uint8Array, off: number, end: number, src: string): { value?: Icmp6Fields; cut?: string } {
  if (end - off < 4) return { cut: `ICMPv6 header cut: ${Math.max(0, end - off)} bytes` };
  const type = d[off];
  const code = d[off + 1];
  let kind: Icmp6Kind = TYPE_KIND[type] ?? 'other';
  const value: Icmp6Fields = { type, code, kind };
  const addrAt = off + 8;
  const hasAddr = addrAt + 16 <= end;
  if (kind === 'ns' || kind === 'na' || kind === 'redirect') {
    if (!hasAddr) return { value, cut: `ICMPv6 type ${type} target cut` };
    value.target = formatIpv6(d, addrAt);
    // RFC 4862 5.4.2: a DAD probe is an NS whose source is the unspecified address
    if (kind === 'ns' && src === '::') value.kind = kind = 'dad-ns';
    return { value };
  }
  if (kind === 'mld-query' || kind === 'mld-report-v1' || kind === 'mld-done') {
    if (!hasAddr) return { value, cut: `MLD group cut` };
    value.groups = [formatIpv6(d, addrAt)];
    return { value };
  }
  if (kind === 'mld-report-v2') return decodeMldv2Report(d, off, end, value);
  return { value };
}

/** RFC 3810 5.2: header (type, code, checksum, reserved, number of records), then the records */
function decodeMldv2Report(d: Uint8Array, off: number, end: number, value: Icmp6Fields): { value: Icmp6Fields; cut?: string } {
  if (off + 8 > end) return { value, cut: 'MLDv2 report header cut' };
  const records = (d[off + 6] << 8) | d[off + 7];
  value.records = records;
  value.groups = [];
  value.recordTypes = [];
  let r = off + 8;
  for (let i = 0; i < records; i++) {
    if (r + 20 > end) return { value, cut: `MLDv2 report cut after ${i} of ${records} record(s) (snaplen)` };
    const auxWords = d[r + 1];
    const sources = (d[r + 2] << 8) | d[r + 3];
    value.recordTypes.push(d[r]);
    value.groups.push(formatIpv6(d, r + 4));
    r += 20 + sources * 16 + auxWords * 4;
  }
  return { value };
}

/** "MLDv2 report" etc., for rows and findings */
export function describeIcmp6Kind(kind: Icmp6Kind): string {
  switch (kind) {
    case 'mld-query':
      return 'MLD query';
    case 'mld-report-v1':
      return 'MLDv1 report';
    case 'mld-done':
      return 'MLD done';
    case 'mld-report-v2':
      return 'MLDv2 report';
    case 'dad-ns':
      return 'DAD neighbour solicitation';
    case 'ns':
      return 'neighbour solicitation';
    case 'na':
      return 'neighbour advertisement';
    case 'rs':
      return 'router solicitation';
    case 'ra':
      return 'router advertisement';
    case 'redirect':
      return 'redirect';
    default:
      return 'ICMPv6';
  }
}
