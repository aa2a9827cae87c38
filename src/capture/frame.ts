import type { ArpFields, CapturedFrame, PcapRecord, VrrpFields } from './types';
import { LINKTYPE } from './types';
import { BROADCAST_MAC, formatIpv4, formatIpv6, formatMac } from './format-address';
import { decodeIcmp6, NEXT_HEADER_ICMP6, walkExtensionHeaders } from './icmp6';

/**
 * Decode one captured frame into a CapturedFrame. Total: short or malformed frames become
 * kind 'malformed' with a reason; it never throws (the snaplen of live capture is 128 bytes,
 * which always covers Ethernet + 2 VLAN tags + IPv4 + VRRP with a few addresses).
 */

const ETH_ARP = 0x0806;
const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_VLAN = 0x8100;
const ETH_QINQ = 0x88a8;
const ETH_QINQ_OLD = 0x9100;
const PROTO_VRRP = 112;

export function decodeRecord(rec: PcapRecord): CapturedFrame {
  return decodeFrame(rec.data, rec.linktype, rec.sec, rec.usec, rec.origLen);
}

export function decodeFrame(data: Uint8Array, linktype: number, sec: number, usec: number, origLen?: number): CapturedFrame {
  const frame: CapturedFrame = {
    ts: sec + usec / 1e6,
    sec,
    usec,
    clock: 'epoch',
    kind: 'other',
    length: origLen ?? data.length,
    caplen: data.length,
  };
  let off: number;
  let ethertype: number;
  if (linktype === LINKTYPE.EN10MB) {
    if (data.length < 14) return malformed(frame, `Ethernet header cut: ${data.length} bytes`);
    frame.ethDst = formatMac(data, 0);
    frame.ethSrc = formatMac(data, 6);
    ethertype = (data[12] << 8) | data[13];
    off = 14;
  } else if (linktype === LINKTYPE.LINUX_SLL) {
    // 16-byte cooked header: pkttype(2) arphrd(2) halen(2) addr(8) protocol(2)
    if (data.length < 16) return malformed(frame, `LINUX_SLL header cut: ${data.length} bytes`);
    const pkttype = (data[0] << 8) | data[1];
    const halen = (data[4] << 8) | data[5];
    if (halen === 6) frame.ethSrc = formatMac(data, 6);
    if (pkttype === 1) frame.ethDst = BROADCAST_MAC;
    frame.direction = directionOf(pkttype);
    ethertype = (data[14] << 8) | data[15];
    off = 16;
  } else if (linktype === LINKTYPE.LINUX_SLL2) {
    // 20-byte cooked v2 header: protocol(2) reserved(2) ifindex(4) arphrd(2) pkttype(1) halen(1) addr(8)
    if (data.length < 20) return malformed(frame, `LINUX_SLL2 header cut: ${data.length} bytes`);
    ethertype = (data[0] << 8) | data[1];
    const pkttype = data[10];
    if (data[11] === 6) frame.ethSrc = formatMac(data, 12);
    if (pkttype === 1) frame.ethDst = BROADCAST_MAC;
    frame.direction = directionOf(pkttype);
    off = 20;
  } else {
    frame.reason = `unsupported link type ${linktype}`;
    return frame;
  }
  // 802.1Q / 802.1ad tags (QinQ: several)
  while (ethertype === ETH_VLAN || ethertype === ETH_QINQ || ethertype === ETH_QINQ_OLD) {
    if (data.length < off + 4) return malformed(frame, 'VLAN tag cut');
    const vid = ((data[off] << 8) | data[off + 1]) & 0x0fff;
    if (frame.vlans) frame.vlans.push(vid);
    else {
      frame.vlans = [vid];
      frame.vlan = vid;
    }
    ethertype = (data[off + 2] << 8) | data[off + 3];
    off += 4;
  }
  frame.ethertype = ethertype;
  if (ethertype === ETH_ARP) return decodeArp(frame, data, off);
  if (ethertype === ETH_IPV4) return decodeIpv4(frame, data, off);
  if (ethertype === ETH_IPV6) return decodeIpv6(frame, data, off);
  return frame;
}

/** Linux packet type (if_packet.h): 4 PACKET_OUTGOING = sent by the device; 0–3 = received */
function directionOf(pkttype: number): 'in' | 'out' | undefined {
  if (pkttype === 4) return 'out';
  return pkttype <= 3 ? 'in' : undefined;
}

function malformed(frame: CapturedFrame, reason: string): CapturedFrame {
  frame.kind = 'malformed';
  frame.reason = reason;
  return frame;
}

function decodeArp(frame: CapturedFrame, d: Uint8Array, off: number): CapturedFrame {
  if (d.length < off + 8) return malformed(frame, `ARP header cut: ${d.length - off} bytes`);
  const htype = (d[off] << 8) | d[off + 1];
  const ptype = (d[off + 2] << 8) | d[off + 3];
  const hlen = d[off + 4];
  const plen = d[off + 5];
  const op = (d[off + 6] << 8) | d[off + 7];
  if (htype !== 1 || ptype !== ETH_IPV4 || hlen !== 6 || plen !== 4) {
    frame.reason = `ARP htype ${htype} ptype 0x${ptype.toString(16).padStart(4, '0')} hlen ${hlen} plen ${plen}: not Ethernet/IPv4`;
    return frame;
  }
  if (d.length < off + 28) return malformed(frame, `ARP body cut: ${d.length - off} of 28 bytes`);
  const arp: ArpFields = {
    op,
    sha: formatMac(d, off + 8),
    spa: formatIpv4(d, off + 14),
    tha: formatMac(d, off + 18),
    tpa: formatIpv4(d, off + 24),
  };
  frame.kind = 'arp';
  frame.arp = arp;
  return frame;
}

function decodeIpv4(frame: CapturedFrame, d: Uint8Array, off: number): CapturedFrame {
  if (d.length < off + 20) return malformed(frame, `IPv4 header cut: ${d.length - off} bytes`);
  const vihl = d[off];
  const ihl = (vihl & 0x0f) * 4;
  if (vihl >> 4 !== 4 || ihl < 20) return malformed(frame, `bad IPv4 version/IHL byte 0x${vihl.toString(16)}`);
  const totalLen = (d[off + 2] << 8) | d[off + 3];
  const proto = d[off + 9];
  frame.ip = { src: formatIpv4(d, off + 12), dst: formatIpv4(d, off + 16), proto, ttl: d[off + 8], version: 4 };
  frame.kind = 'ipv4';
  if (proto !== PROTO_VRRP) return frame;
  const fragOff = ((d[off + 6] & 0x1f) << 8) | d[off + 7];
  if (fragOff !== 0) return frame;
  const end = Math.min(d.length, off + Math.max(totalLen, ihl));
  return decodeVrrp(frame, d, off + ihl, end, 4);
}

/**
 * IPv6 is decoded far enough to recognise VRRPv3 (next header 112, no extension headers) and
 * ICMPv6 behind any Hop-by-Hop / Routing / Destination-options header (MLD carries a Router
 * Alert Hop-by-Hop header): the messages a backup's qg- must never send (§7 row 13, lp#1859832).
 */
function decodeIpv6(frame: CapturedFrame, d: Uint8Array, off: number): CapturedFrame {
  if (d.length < off + 40) return frame;
  const next = d[off + 6];
  const payloadLen = (d[off + 4] << 8) | d[off + 5];
  const end = Math.min(d.length, off + 40 + payloadLen);
  if (next === PROTO_VRRP) {
    frame.ip = { src: formatIpv6(d, off + 8), dst: formatIpv6(d, off + 24), proto: next, ttl: d[off + 7], version: 6 };
    return decodeVrrp(frame, d, off + 40, end, 6);
  }
  const upper = walkExtensionHeaders(d, next, off + 40, end);
  if (!upper || upper.proto !== NEXT_HEADER_ICMP6) return frame;
  const src = formatIpv6(d, off + 8);
  frame.ip = { src, dst: formatIpv6(d, off + 24), proto: NEXT_HEADER_ICMP6, ttl: d[off + 7], version: 6 };
  const r = decodeIcmp6(d, upper.off, end, src);
  if (!r.value) return malformed(frame, r.cut ?? 'ICMPv6 cut');
  if (upper.crossed.length > 0) r.value.extensionHeaders = upper.crossed;
  frame.kind = 'icmp6';
  frame.icmp6 = r.value;
  if (r.cut) frame.reason = r.cut;
  return frame;
}

function decodeVrrp(frame: CapturedFrame, d: Uint8Array, off: number, end: number, ipVersion: 4 | 6): CapturedFrame {
  if (end - off < 8) return malformed(frame, `VRRP header cut: ${Math.max(0, end - off)} bytes`);
  const version = d[off] >> 4;
  const type = d[off] & 0x0f;
  const count = d[off + 3];
  let advertIntervalMs: number;
  let authType: number | undefined;
  if (version === 2) {
    authType = d[off + 4];
    advertIntervalMs = d[off + 5] * 1000;
  } else if (version === 3) {
    advertIntervalMs = (((d[off + 4] & 0x0f) << 8) | d[off + 5]) * 10;
  } else {
    return malformed(frame, `VRRP version ${version}`);
  }
  const addrLen = ipVersion === 4 ? 4 : 16;
  const addresses: string[] = [];
  let a = off + 8;
  for (let i = 0; i < count; i++, a += addrLen) {
    if (a + addrLen > end) {
      frame.reason = `VRRP address list cut after ${i} of ${count} (snaplen)`;
      break;
    }
    addresses.push(ipVersion === 4 ? formatIpv4(d, a) : formatIpv6(d, a));
  }
  const vrrp: VrrpFields = { version, type, vrid: d[off + 1], priority: d[off + 2], count, advertIntervalMs, addresses };
  if (authType !== undefined) vrrp.authType = authType;
  frame.kind = 'vrrp';
  frame.vrrp = vrrp;
  return frame;
}
