/**
 * Plain data produced by the capture decoders (pcap and tcpdump text) and consumed by
 * classification, verdicts and consistency checks. Everything is JSON-serialisable.
 */

export type FrameKind = 'arp' | 'vrrp' | 'ipv4' | 'icmp6' | 'other' | 'malformed';

/** ARP body, Ethernet/IPv4 only (htype 1, ptype 0x0800). MACs lower-case "aa:bb:…". */
export interface ArpFields {
  /** 1 REQUEST, 2 REPLY, anything else as on the wire */
  op: number;
  sha?: string;
  spa?: string;
  /** undefined = unknown: tcpdump text does not print a zero tha of a request */
  tha?: string;
  tpa?: string;
}

export interface VrrpFields {
  version: number;
  /** 1 = advertisement */
  type: number;
  vrid: number;
  priority: number;
  /** address count field as on the wire (undefined: tcpdump text without -v) */
  count?: number;
  /** advertisement interval in milliseconds (v2: seconds × 1000, v3: centiseconds × 10) */
  advertIntervalMs: number;
  /** v2 only: 0 none, 1 simple, 2 AH */
  authType?: number;
  /** undefined when not printed (tcpdump text without -v) */
  addresses?: string[];
}

export interface Ipv4Fields {
  src: string;
  dst: string;
  /** undefined when tcpdump text did not show it */
  proto?: number;
  ttl?: number;
  /** 4 or 6 (IPv6: VRRPv3 and ICMPv6 only, other IPv6 frames are kind 'other' without addresses) */
  version?: number;
}

/**
 * What an ICMPv6 message is, as far as "who speaks on the external network" goes (issue 12, §7
 * row 13): MLD reports and DAD probes are what a kernel sends by itself when a device gets an
 * IPv6 address (its link-local one on link up) and joins the solicited-node group.
 */
export type Icmp6Kind =
  | 'mld-query'
  | 'mld-report-v1'
  | 'mld-done'
  | 'mld-report-v2'
  /** neighbour solicitation from the unspecified address :: (RFC 4862 duplicate address detection) */
  | 'dad-ns'
  | 'ns'
  | 'na'
  | 'rs'
  | 'ra'
  | 'redirect'
  | 'other';

export interface Icmp6Fields {
  type: number;
  code: number;
  kind: Icmp6Kind;
  /** NS/NA/redirect: the target address */
  target?: string;
  /** MLD: the multicast group(s) of the message (v1/done/query: one; v2 report: one per record) */
  groups?: string[];
  /** MLDv2 report: record type per group (1 IS_IN … 4 TO_EX, 5 ALLOW, 6 BLOCK), same order as groups */
  recordTypes?: number[];
  /** MLDv2 report: number of records announced in the header (groups may be fewer: snaplen) */
  records?: number;
  /** extension headers crossed before ICMPv6 (0 Hop-by-Hop: MLD carries the Router Alert option) */
  extensionHeaders?: number[];
}

export interface CapturedFrame {
  /** seconds as a number with microsecond precision; epoch for pcap and -tt text,
   *  seconds since midnight for plain tcpdump text (see `clock`) */
  ts: number;
  /** the original integer seconds and microseconds (nanosecond pcaps: floor(ns / 1000)) */
  sec: number;
  usec: number;
  clock?: 'epoch' | 'time-of-day';
  /** undefined when not printed (tcpdump text without -e) or not captured (LINUX_SLL) */
  ethSrc?: string;
  ethDst?: string;
  /** outer 802.1Q / 802.1ad VLAN id; `vlans` lists every tag, outer first */
  vlan?: number;
  vlans?: number[];
  /** ethertype after the VLAN tags */
  ethertype?: number;
  kind: FrameKind;
  arp?: ArpFields;
  vrrp?: VrrpFields;
  icmp6?: Icmp6Fields;
  ip?: Ipv4Fields;
  /** why the frame is 'malformed' (or why an ARP is 'other') */
  reason?: string;
  /** original length on the wire, bytes (when known) */
  length?: number;
  /** bytes actually captured (pcap) */
  caplen?: number;
  /** labels added by live capture / the CLI: node name, device ("br-ex", "ns:qrouter-x:qg-1") */
  node?: string;
  device?: string;
  /**
   * 'out': the labelled device sent it (a `-Q out` capture, or the SLL/SLL2 packet type
   * OUTGOING); 'in': it merely received it. undefined = not known (a plain capture, a file).
   * L3 HA qg- ports share one MAC on every replica, so only the direction says which node
   * sent a frame; a received frame is never that node's announcement (issue 15).
   */
  direction?: 'in' | 'out';
}

/** Link-layer header types understood by the decoder (pcap LINKTYPE_* values). */
export const LINKTYPE = { EN10MB: 1, LINUX_SLL: 113, LINUX_SLL2: 276 } as const;

export interface PcapRecord {
  sec: number;
  /** microseconds, also for nanosecond files (floor) */
  usec: number;
  /** nanoseconds within the second (usec × 1000 for microsecond files) */
  nsec: number;
  caplen: number;
  origLen: number;
  linktype: number;
  data: Buffer;
}

export interface PcapHeader {
  littleEndian: boolean;
  nanosecond: boolean;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  linktype: number;
}
