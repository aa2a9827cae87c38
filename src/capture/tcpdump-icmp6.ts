import type { Icmp6Fields, Icmp6Kind } from './types';

/**
 * tcpdump's text for an ICMPv6 message (print-icmp6.c, tcpdump 4.9–4.99), the part after
 * "SRC > DST: ", into the Icmp6Fields the pcap decoder gives (issue 12, §7 row 13: a pasted
 * capture of a backup's qg- shows its MLD reports and DAD probes like a pcap does). Pure.
 *
 *   HBH (rtalert: 0x0000) (padn) [icmp6 sum ok] ICMP6, multicast listener report v2, 2 group record(s) [gaddr ff02::2 to_ex, 0 source(s)] …
 *   ICMP6, neighbor solicitation, who has fe80::1, length 32          (-v: "…, length 32, who has fe80::1")
 *   ICMP6, neighbor advertisement, tgt is fe80::1, length 32          (-v: "…, length 32, tgt is fe80::1, Flags [solicited, override]")
 *   ICMP6, multicast listener report max resp delay: 0 addr: ff02::1:ff00:1, length 24
 *
 * What tcpdump does not print stays undefined: MLDv2 groups without -v, the checksum. The code is
 * not printed either; it is 0 for every message named here (RFC 4443/4861/2710/3810), so 0 it is.
 * Returns undefined when the text is not an ICMPv6 message.
 */

/** print-icmp6.c icmp6_type_values, longest names first ("report v2" before "report") */
const TYPE_BY_NAME: readonly [string, number, Icmp6Kind][] = [
  ['multicast listener report v2', 143, 'mld-report-v2'],
  ['multicast listener query', 130, 'mld-query'],
  ['multicast listener report', 131, 'mld-report-v1'],
  ['multicast listener done', 132, 'mld-done'],
  ['router solicitation', 133, 'rs'],
  ['router advertisement', 134, 'ra'],
  ['neighbor solicitation', 135, 'ns'],
  ['neighbor advertisement', 136, 'na'],
  ['redirect', 137, 'redirect'],
  ['echo request', 128, 'other'],
  ['echo reply', 129, 'other'],
  ['destination unreachable', 1, 'other'],
  ['packet too big', 2, 'other'],
  ['time exceeded', 3, 'other'],
  ['parameter problem', 4, 'other'],
];

/** print-icmp6.c mldv2report2str: record types 1…6 */
const RECORD_TYPES: Record<string, number> = { is_in: 1, is_ex: 2, to_in: 3, to_ex: 4, allow: 5, block: 6 };

/** extension headers tcpdump names before "ICMP6," (ip6_print): HBH 0, DSTOPT 60, srcrt 43 */
const EXT_HEADERS: readonly [RegExp, number][] = [
  [/(^|\s)HBH\b/, 0],
  [/(^|\s)srcrt\b/, 43],
  [/(^|\s)DSTOPT\b/, 60],
];

export interface Icmp6Text {
  value: Icmp6Fields;
  /** tcpdump marked the message cut by the snaplen ("[|icmp6]") */
  cut: boolean;
}

export function parseIcmp6Text(payload: string, src: string): Icmp6Text | undefined {
  const at = payload.indexOf('ICMP6, ');
  if (at < 0) return undefined;
  const before = payload.slice(0, at);
  const body = payload.slice(at + 'ICMP6, '.length);
  const entry = TYPE_BY_NAME.find(([name]) => body.startsWith(name));
  const typeNum = entry ? entry[1] : /^type-#(\d+)/.exec(body)?.[1];
  if (typeNum === undefined) return undefined;
  let kind: Icmp6Kind = entry ? entry[2] : 'other';
  const value: Icmp6Fields = { type: Number(typeNum), code: 0, kind };
  const ext = EXT_HEADERS.filter(([re]) => re.test(before)).map(([, n]) => n);
  if (ext.length > 0) value.extensionHeaders = ext;
  const target = /(?:who has|tgt is) ([0-9a-fA-F:.]+)/.exec(body)?.[1];
  if (target && (kind === 'ns' || kind === 'na' || kind === 'redirect')) value.target = target.toLowerCase();
  if (kind === 'ns' && src === '::') value.kind = kind = 'dad-ns';
  if (kind === 'mld-report-v2') {
    const records = /(\d+) group record\(s\)/.exec(body);
    if (records) value.records = Number(records[1]);
    const recs = [...body.matchAll(/\[gaddr ([0-9a-fA-F:.]+) (\w+)/g)];
    if (recs.length > 0) {
      value.groups = recs.map((m) => m[1]!.toLowerCase());
      value.recordTypes = recs.map((m) => RECORD_TYPES[m[2]!] ?? 0);
    }
  } else if (kind === 'mld-query' || kind === 'mld-report-v1' || kind === 'mld-done') {
    const group = /addr: ([0-9a-fA-F:.]+)/.exec(body)?.[1] ?? /\[gaddr ([0-9a-fA-F:.]+)/.exec(body)?.[1];
    if (group) value.groups = [group.toLowerCase()];
  }
  return { value, cut: /\[\|icmp6\]/.test(body) };
}
