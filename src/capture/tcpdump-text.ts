import type { ParseResult, ParseWarning } from '../parse/types';
import type { ArpFields, CapturedFrame, Icmp6Fields, Ipv4Fields, VrrpFields } from './types';
import { NEXT_HEADER_ICMP6 } from './icmp6';
import { parseIcmp6Text } from './tcpdump-icmp6';
import { normalizeMac } from './format-address';

/**
 * Parser for tcpdump's TEXT output (`-n`/`-nn`, with or without `-e`, `-v`…`-vvv`, `-tt`,
 * `-tttt`, `-#`) into the same CapturedFrame shape as the pcap decoder. Pure and total:
 * lines it does not understand become warnings with their 1-based line number.
 *
 * What tcpdump does not print stays undefined: the sender MAC of a request (sha; with -e
 * the Ethernet source stands in for it in classification), a zero tha of a request
 * (print-arp.c prints tha only when non-zero), tpa/tha of a reply, MACs without -e,
 * VRRP addresses without -v, VLAN tags without -e.
 */

const TS = String.raw`(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?|\d{2}:\d{2}:\d{2}(?:\.\d+)?|\d{9,11}\.\d+)`;
const FRAME_START = new RegExp(String.raw`^\s*(?:\d+\s+)?` + TS + String.raw` (.*)$`);
const MAC = String.raw`[0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{1,2}){5}`;
const ETH_HEADER = new RegExp(String.raw`^(${MAC}) > (${MAC}|[\w.:-]+), (.*)$`);
const ETHERTYPE = /^ethertype ([^,(]+?)(?: \(0x([0-9a-fA-F]{4})\))?, length (\d+): ?(.*)$/;
const VLAN_TAG = /^vlan (\d+), p (\d+)(?:, DEI)?, ethertype ([^,(]+?)(?: \(0x([0-9a-fA-F]{4})\))?, ?(.*)$/;
const NOISE = [
  /^tcpdump: /,
  /^listening on /,
  /^reading from file /,
  /^\d+ packets? (captured|received by filter|dropped by kernel)/,
  /^dropped privs to /,
];

export function parseTcpdumpText(text: string): ParseResult<CapturedFrame[]> {
  const frames: CapturedFrame[] = [];
  const warnings: ParseWarning[] = [];
  const lines = text.split(/\r?\n/);
  /** the previous frame waits for its `-v` second line (IP header printed first) */
  let awaiting: CapturedFrame | undefined;
  let last: CapturedFrame | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const lineNo = i + 1;
    if (line.trim() === '') continue;
    if (NOISE.some((re) => re.test(line.trim()))) continue;
    const start = FRAME_START.exec(line);
    if (start) {
      const frame = newFrame(start[1]);
      const rest = start[2];
      const problem = parseAfterTimestamp(frame, rest);
      frames.push(frame);
      last = frame;
      awaiting = frame.kind === 'ipv4' && frame.ip?.src === undefined ? frame : undefined;
      if (problem) warnings.push({ line: lineNo, message: problem, text: line });
      continue;
    }
    if (/^\s/.test(line) && awaiting) {
      const problem = parseIpPayload(awaiting, line.trim());
      if (problem) warnings.push({ line: lineNo, message: problem, text: line });
      awaiting = undefined;
      continue;
    }
    // `-e` without a timestamp: inner frame of an encapsulated packet (VXLAN) or `-t` output
    if (ETH_HEADER.test(line)) {
      const frame = newFrameFrom(last);
      const problem = parseLinkLayer(frame, line);
      frames.push(frame);
      last = frame;
      awaiting = frame.kind === 'ipv4' && frame.ip?.src === undefined ? frame : undefined;
      if (problem) warnings.push({ line: lineNo, message: problem, text: line });
      continue;
    }
    if (/^\s/.test(line) && last && last.kind !== 'arp' && last.kind !== 'vrrp') {
      continue; // extra decode lines of a protocol haprobe does not judge (DHCP options, TCP -vvv)
    }
    warnings.push({ line: lineNo, message: 'not a tcpdump packet line', text: line });
  }
  return { value: frames, warnings };
}

function newFrame(ts: string): CapturedFrame {
  const { sec, usec, clock } = parseTimestamp(ts);
  return { ts: sec + usec / 1e6, sec, usec, clock, kind: 'other' };
}

function newFrameFrom(prev: CapturedFrame | undefined): CapturedFrame {
  if (!prev) return { ts: 0, sec: 0, usec: 0, kind: 'other' };
  return { ts: prev.ts, sec: prev.sec, usec: prev.usec, clock: prev.clock, kind: 'other' };
}

/** HH:MM:SS.ffffff → seconds since midnight; -tt epoch; -tttt date (local time, read as UTC) */
export function parseTimestamp(ts: string): { sec: number; usec: number; clock: 'epoch' | 'time-of-day' } {
  const [whole, frac = ''] = ts.split('.');
  const usec = frac === '' ? 0 : Math.floor(Number((frac + '000000').slice(0, 6)));
  if (/^\d+$/.test(whole)) return { sec: Number(whole), usec, clock: 'epoch' };
  const date = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(whole);
  if (date) {
    const [, y, mo, d, h, mi, s] = date.map(Number);
    return { sec: Date.UTC(y, mo - 1, d, h, mi, s) / 1000, usec, clock: 'epoch' };
  }
  const [h, m, s] = whole.split(':').map(Number);
  return { sec: h * 3600 + m * 60 + s, usec, clock: 'time-of-day' };
}

/** Returns a warning message, or undefined when the line was understood. */
function parseAfterTimestamp(frame: CapturedFrame, rest: string): string | undefined {
  if (ETH_HEADER.test(rest)) return parseLinkLayer(frame, rest);
  return parseNetworkLayer(frame, rest);
}

function parseLinkLayer(frame: CapturedFrame, text: string): string | undefined {
  const eth = ETH_HEADER.exec(text) as RegExpExecArray;
  frame.ethSrc = normalizeMac(eth[1]);
  frame.ethDst = normalizeMac(eth[2]) ?? (eth[2] === 'Broadcast' ? 'ff:ff:ff:ff:ff:ff' : undefined);
  let rest = eth[3];
  const et = ETHERTYPE.exec(rest);
  if (!et) {
    frame.reason = 'not an Ethernet II frame (802.3/LLC)';
    return undefined;
  }
  frame.length = Number(et[3]);
  let name = et[1].trim();
  let hex = et[2];
  rest = et[4];
  while (isVlanEthertype(name, hex)) {
    const tag = VLAN_TAG.exec(rest);
    if (!tag) return 'VLAN tag not understood';
    const vid = Number(tag[1]);
    if (frame.vlans) frame.vlans.push(vid);
    else {
      frame.vlans = [vid];
      frame.vlan = vid;
    }
    name = tag[3].trim();
    hex = tag[4];
    rest = tag[5];
  }
  const ethertype = hex ? parseInt(hex, 16) : ethertypeOfName(name);
  if (ethertype !== undefined) frame.ethertype = ethertype;
  if (name === 'ARP') return parseArp(frame, rest);
  if (name === 'IPv4') return parseIpv4(frame, rest);
  if (name === 'IPv6') return parseIpv6(frame, rest);
  return undefined; // other ethertypes: kind 'other'
}

/**
 * tcpdump 4.9 (Ubuntu 18.04, CentOS 7 ships 4.5) prints the ethertype after a VLAN tag by name
 * only — "vlan 4034, p 0, ethertype ARP, Request who-has …" — or as "0x88cc" when it has no name
 * (print-ether.c, tok2str(ethertype_values, "0x%04x")). 4.99 adds " (0x0806)" everywhere.
 */
const ETHERTYPE_BY_NAME: Record<string, number> = {
  IPv4: 0x0800, ARP: 0x0806, IPv6: 0x86dd, 'Reverse ARP': 0x8035, '802.1Q': 0x8100, '802.1Q-QinQ': 0x88a8,
  '802.1Q-9100': 0x9100, LLDP: 0x88cc, MPLS: 0x8847, 'MPLS multicast': 0x8848, EAPOL: 0x888e,
};

function ethertypeOfName(name: string): number | undefined {
  if (/^0x[0-9a-fA-F]{4}$/.test(name)) return parseInt(name, 16);
  return Object.prototype.hasOwnProperty.call(ETHERTYPE_BY_NAME, name) ? ETHERTYPE_BY_NAME[name] : undefined;
}

function isVlanEthertype(name: string, hex: string | undefined): boolean {
  const type = hex ? parseInt(hex, 16) : ethertypeOfName(name);
  if (type !== undefined) return type === 0x8100 || type === 0x88a8 || type === 0x9100;
  return name.startsWith('802.1Q');
}

/** Without -e: "ARP, …", "IP …", "IP6 …" */
function parseNetworkLayer(frame: CapturedFrame, rest: string): string | undefined {
  if (rest.startsWith('ARP, ')) {
    frame.ethertype = 0x0806;
    return parseArp(frame, rest.slice(5));
  }
  if (rest.startsWith('IP ')) {
    frame.ethertype = 0x0800;
    return parseIpv4(frame, rest.slice(3));
  }
  if (rest.startsWith('IP6 ')) {
    frame.ethertype = 0x86dd;
    return parseIpv6(frame, rest.slice(4));
  }
  if (/^\s*\[\|\w+\]/.test(rest)) {
    frame.kind = 'malformed';
    frame.reason = `truncated: ${rest.trim()}`;
    return undefined;
  }
  return 'unknown packet type (only -e frames, ARP, IP and IP6 lines are understood)';
}

const ARP_HW = /^(\S+(?: \S+)?) \(len (\d+)\), (\S+) \(len (\d+)\)(?:, )?(.*)$/;
const ARP_REQUEST = /^Request who-has (\d+\.\d+\.\d+\.\d+)(?: \((\S+)\))? tell (\d+\.\d+\.\d+\.\d+)(?:, length (\d+))?/;
const ARP_REPLY = /^Reply (\d+\.\d+\.\d+\.\d+) is-at (\S+?)(?:,|$)(?: length (\d+))?/;
/** wording of some tcpdump builds/forks for spa == tpa requests (not in tcpdump 4.99 print-arp.c) */
const ARP_ANNOUNCE = /^(?:(Request|Reply),? )?(?:Gratuitous ARP|Announcement)(?: for)? (\d+\.\d+\.\d+\.\d+)(?: \((\S+)\))?/;

function parseArp(frame: CapturedFrame, text: string): string | undefined {
  let rest = text.trim();
  if (/^\[\|arp\]/.test(rest) || rest === '') {
    frame.kind = 'malformed';
    frame.reason = 'truncated ARP ([|arp])';
    return undefined;
  }
  const hw = ARP_HW.exec(rest);
  if (hw) {
    if (hw[1] !== 'Ethernet' || hw[3] !== 'IPv4' || hw[2] !== '6' || hw[4] !== '4') {
      frame.kind = 'other';
      frame.reason = `ARP ${hw[1]} (len ${hw[2]}), ${hw[3]} (len ${hw[4]}): not Ethernet/IPv4`;
      return undefined;
    }
    rest = hw[5].replace(/^, /, '');
  }
  let arp: ArpFields | undefined;
  const req = ARP_REQUEST.exec(rest);
  const rep = req ? null : ARP_REPLY.exec(rest);
  const ann = req || rep ? null : ARP_ANNOUNCE.exec(rest);
  if (req) {
    arp = { op: 1, tpa: req[1], spa: req[3] };
    const tha = req[2] ? normalizeMac(req[2]) : undefined;
    if (tha) arp.tha = tha;
  } else if (rep) {
    const sha = normalizeMac(rep[2]);
    arp = { op: 2, spa: rep[1] };
    if (sha) arp.sha = sha;
  } else if (ann) {
    arp = { op: ann[1] === 'Reply' ? 2 : 1, spa: ann[2], tpa: ann[2] };
    const mac = ann[3] ? normalizeMac(ann[3]) : undefined;
    if (mac && ann[1] === 'Reply') arp.sha = mac;
    else if (mac) arp.tha = mac;
  } else if (/^(Reverse |Inverse )?(Request|Reply) who-is|^Unknown|^.* at \S+$/.test(rest)) {
    frame.kind = 'other';
    frame.reason = `ARP operation not judged: ${rest}`;
    return undefined;
  } else {
    frame.kind = 'other';
    return `ARP line not understood: ${rest}`;
  }
  frame.kind = 'arp';
  frame.arp = arp;
  return undefined;
}

/**
 * The -v header "(tos 0x0, ttl 64, …, proto VRRP (112), length 40)": one level of nested
 * parentheses. The classes exclude both '(' and ')' so a line has one way to match: the former
 * `[^)]*?(?:\([^)]*\)[^)]*?)*` let '(' be read two ways and backtracked quadratically
 * (32K '(' 2.4 s; issue 8). `s`: a \r or U+2028 inside the line must not make `(.*)$` retry.
 */
const IPV4_HEADER = /^\((tos [^()]*(?:\([^()]*\)[^()]*)*)\)\s*(.*)$/s;
/** IPv6 -v header "(class 0xc0, hlim 255, next-header VRRP (112) payload length: 40)" */
const IPV6_HEADER = /^\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*(.*)$/s;

/** "SRC > DST: …" or the -v header "(tos …, ttl N, …, proto NAME (N), length N)" [+ same line payload] */
function parseIpv4(frame: CapturedFrame, text: string): string | undefined {
  frame.kind = 'ipv4';
  let rest = text.trim();
  const hdr = IPV4_HEADER.exec(rest);
  const ip: Ipv4Fields = frame.ip ?? ({} as Ipv4Fields);
  frame.ip = ip;
  ip.version = 4;
  if (hdr) {
    const ttl = /ttl (\d+)/.exec(hdr[1]);
    const proto = /proto \S+ \((\d+)\)/.exec(hdr[1]);
    if (ttl) ip.ttl = Number(ttl[1]);
    if (proto) ip.proto = Number(proto[1]);
    rest = hdr[2];
    if (rest === '') return undefined; // payload on the next, indented line
  }
  return parseIpPayload(frame, rest);
}

function parseIpv6(frame: CapturedFrame, text: string): string | undefined {
  let rest = text.trim();
  const hdr = IPV6_HEADER.exec(rest);
  const ip = { version: 6 } as Ipv4Fields;
  if (hdr) {
    const hlim = /hlim (\d+)/.exec(hdr[1]);
    const next = /next-header \S+ \((\d+)\)/.exec(hdr[1]);
    if (hlim) ip.ttl = Number(hlim[1]);
    if (next) ip.proto = Number(next[1]);
    rest = hdr[2];
  }
  const m = /^(\S+) > (\S+): (.*)$/.exec(rest);
  // issue 12, §7 row 13: ICMPv6 (MLD, DAD, NS/NA, RS/RA) as the pcap decoder gives it (tcpdump-icmp6.ts)
  const icmp6 = m && !/VRRPv3/.test(m[3]) ? parseIcmp6Text(m[3], m[1]) : undefined;
  if (m && icmp6) {
    frame.ip = { ...ip, src: m[1], dst: m[2], proto: NEXT_HEADER_ICMP6 };
    frame.kind = 'icmp6';
    frame.icmp6 = icmp6.value;
    if (icmp6.cut) frame.reason = cutReason(icmp6.value);
    return undefined;
  }
  if (!m || !/VRRPv3/.test(m[3])) {
    frame.kind = 'other'; // other IPv6 is not judged
    return undefined;
  }
  ip.src = m[1];
  ip.dst = m[2];
  frame.ip = ip;
  return parseVrrp(frame, m[3]);
}

/** the pcap decoder's words for a message the snaplen cut (frame.ts / icmp6.ts) */
function cutReason(v: Icmp6Fields): string {
  if (v.kind === 'mld-report-v2' && v.records !== undefined) return `MLDv2 report cut after ${v.groups?.length ?? 0} of ${v.records} record(s) (snaplen)`;
  return `ICMPv6 type ${v.type} cut (snaplen)`;
}

const IP_PAYLOAD = /^(\S+) > (\S+?):? (.*)$/;

function parseIpPayload(frame: CapturedFrame, text: string): string | undefined {
  const m = IP_PAYLOAD.exec(text);
  if (!m) return 'IPv4 line without "SRC > DST:"';
  const ip = frame.ip ?? ({ version: 4 } as Ipv4Fields);
  frame.ip = ip;
  ip.src = hostOf(m[1]);
  ip.dst = hostOf(m[2]);
  let payload = m[3];
  // old tcpdump repeats "vrrp SRC > DST: " before the VRRP decode
  const again = /^vrrp \S+ > \S+: (.*)$/.exec(payload);
  if (again) payload = again[1];
  if (payload.startsWith('VRRPv')) return parseVrrp(frame, payload);
  if (ip.proto === undefined) {
    if (payload.startsWith('ICMP')) ip.proto = 1;
    else if (/^Flags \[/.test(payload)) ip.proto = 6;
    else if (/^(UDP|VXLAN|BOOTP)/.test(payload)) ip.proto = 17;
  }
  return undefined;
}

/** strip a port suffix: "172.16.0.31.44874" → "172.16.0.31", "10.0.0.1.vxlan" → "10.0.0.1" */
function hostOf(s: string): string {
  const v4 = /^(\d+\.\d+\.\d+\.\d+)(?:\.\S+)?$/.exec(s);
  return v4 ? v4[1] : s;
}

const VRRP_LINE =
  /^VRRPv(\d+), ([\w-]+), vrid (\d+), prio (\d+)(?:, authtype (\w+))?, intvl (\d+)(s|cs), length (\d+)(.*)$/;

function parseVrrp(frame: CapturedFrame, text: string): string | undefined {
  const m = VRRP_LINE.exec(text.trim());
  if (!m) return `VRRP line not understood: ${text}`;
  const version = Number(m[1]);
  const interval = Number(m[6]);
  const vrrp: VrrpFields = {
    version,
    type: m[2] === 'Advertisement' ? 1 : 0,
    vrid: Number(m[3]),
    priority: Number(m[4]),
    advertIntervalMs: m[7] === 'cs' ? interval * 10 : interval * 1000,
  };
  if (m[5] !== undefined) vrrp.authType = ({ none: 0, simple: 1, ah: 2 } as Record<string, number>)[m[5]] ?? -1;
  const addrs = /addrs(?:\((\d+)\))?: ([0-9a-fA-F.:,]+)/.exec(m[9]);
  if (addrs) {
    vrrp.addresses = addrs[2].split(',').filter((a) => a !== '');
    vrrp.count = addrs[1] !== undefined ? Number(addrs[1]) : vrrp.addresses.length;
  }
  frame.kind = 'vrrp';
  if (frame.ip) frame.ip.proto = 112;
  frame.vrrp = vrrp;
  return undefined;
}
