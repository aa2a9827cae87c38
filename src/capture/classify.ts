import type { CapturedFrame } from './types';
import { BROADCAST_MAC, ZERO_MAC } from './format-address';

/**
 * ARP classification (DESIGN "G-ARP: what counts", ground-truth §0.6).
 * A G-ARP announces X with spa == tpa == X, Ethernet destination broadcast, sha == Ethernet
 * source. Fields a decoder did not see (tcpdump text) are listed in `unknown` and are not
 * held against the frame; fields that are seen and wrong make it a near miss (`reasons`).
 */

export type ArpClass =
  | 'garp-request'
  | 'garp-reply'
  | 'probe'
  | 'announcement-not-garp'
  | 'request'
  | 'reply'
  | 'other';

/**
 * Wire shapes (ground-truth §0.6). iputils `arping -U` and keepalived put the same bytes on
 * the wire (REQUEST, tha ff…ff); `arping -A` and nova-network's `arping -U … -A` likewise
 * (REPLY, tha = sha). `shapes` lists every sender a frame is consistent with, `shape` the
 * first of them.
 */
export type GarpShape = 'arping-U' | 'keepalived' | 'arping-A' | 'nova-network' | 'ovn' | 'reply-tha-broadcast' | 'debian-arping' | 'unknown';

export interface ArpClassification {
  class: ArpClass;
  shape?: GarpShape;
  shapes?: GarpShape[];
  /** the IP this frame claims (updates caches for): spa, or for announcement-not-garp the tpa it tries to announce */
  ip?: string;
  /** the MAC the claim points at: sha, or the Ethernet source when tcpdump did not print sha */
  mac?: string;
  /** why a frame with spa == tpa is not a correct G-ARP (near miss) */
  reasons: string[];
  /** fields the decoder did not see (tcpdump text): sha, tha, tpa, ethDst, ethSrc */
  unknown: string[];
}

export interface ClassifyOptions {
  /** IPs being watched (FIPs, VIPs): a broadcast request for one of them with another spa,
   *  sent by the announcer, is the Debian `arping` package shape, not a G-ARP */
  watchedIps?: ReadonlySet<string> | readonly string[];
  /**
   * MACs of the announcer: the MAC that must own the watched IP and the MACs of the router's
   * ports on that node. Only a frame SENT BY THE ANNOUNCER can be a failed announcement; the
   * same `who-has FIP tell X` from any other MAC is a peer (the upstream gateway) resolving the
   * address — context, never an anomaly (issue 15; elatov kolla capture: `who-has 10.0.0.152
   * tell 10.0.0.1` from the upstream's MAC). Unset = the announcer is unknown: such a request is
   * then an ordinary request, because nothing in the frame alone tells the two apart.
   */
  announcerMacs?: ReadonlySet<string> | readonly string[];
}

export function classifyArp(frame: CapturedFrame, options: ClassifyOptions = {}): ArpClassification | undefined {
  const arp = frame.arp;
  if (frame.kind !== 'arp' || !arp) return undefined;
  const unknown: string[] = [];
  const reasons: string[] = [];
  if (arp.sha === undefined) unknown.push('sha');
  if (arp.tha === undefined) unknown.push('tha');
  if (arp.tpa === undefined) unknown.push('tpa');
  if (frame.ethDst === undefined) unknown.push('ethDst');
  if (frame.ethSrc === undefined) unknown.push('ethSrc');
  const mac = arp.sha ?? frame.ethSrc;
  const base = { mac, reasons, unknown };

  if (arp.op !== 1 && arp.op !== 2) return { class: 'other', ip: arp.spa, ...base };
  if (arp.op === 1 && arp.spa === '0.0.0.0') return { class: 'probe', ip: arp.tpa, mac, reasons, unknown };

  const broadcast = frame.ethDst === undefined || frame.ethDst === BROADCAST_MAC;
  const shaIsSource = arp.sha === undefined || frame.ethSrc === undefined || arp.sha === frame.ethSrc;

  if (arp.op === 1) {
    if (arp.spa !== undefined && arp.spa === arp.tpa) {
      if (!broadcast) reasons.push(`Ethernet destination ${frame.ethDst} is not broadcast`);
      if (!shaIsSource) reasons.push(`sender MAC ${arp.sha} differs from Ethernet source ${frame.ethSrc}`);
      const shapes = requestShapes(arp.tha);
      if (reasons.length > 0) return { class: 'request', ip: arp.spa, shape: shapes[0], shapes, ...base };
      return { class: 'garp-request', ip: arp.spa, shape: shapes[0], shapes, ...base };
    }
    const sender = (arp.sha ?? frame.ethSrc)?.toLowerCase();
    if (broadcast && arp.tpa !== undefined && isWatched(arp.tpa, options.watchedIps) && sender !== undefined && isWatched(sender, options.announcerMacs)) {
      reasons.push(`announces ${arp.tpa} with sender IP ${arp.spa} (spa != tpa): caches keep the old MAC (RFC 5227)`);
      return { class: 'announcement-not-garp', ip: arp.tpa, shape: 'debian-arping', shapes: ['debian-arping'], ...base };
    }
    return { class: 'request', ip: arp.spa, ...base };
  }

  // REPLY: tcpdump text prints neither tpa nor tha; a broadcast reply is then taken as a G-ARP
  const tpaOk = arp.tpa === undefined || arp.tpa === arp.spa;
  if (arp.tpa === undefined && frame.ethDst === undefined) return { class: 'reply', ip: arp.spa, ...base };
  if (!tpaOk) return { class: 'reply', ip: arp.spa, ...base };
  if (arp.tpa === undefined && !broadcast) return { class: 'reply', ip: arp.spa, ...base };
  const thaOk = arp.tha === undefined || arp.tha === arp.sha || arp.tha === BROADCAST_MAC;
  if (!broadcast) reasons.push(`Ethernet destination ${frame.ethDst} is not broadcast`);
  if (!shaIsSource) reasons.push(`sender MAC ${arp.sha} differs from Ethernet source ${frame.ethSrc}`);
  if (!thaOk) reasons.push(`target MAC ${arp.tha} is neither the sender MAC nor broadcast`);
  const shapes: GarpShape[] =
    arp.tha === BROADCAST_MAC ? ['reply-tha-broadcast'] : arp.tha === undefined || arp.tha === arp.sha ? ['arping-A', 'nova-network'] : ['unknown'];
  if (reasons.length > 0) return { class: 'reply', ip: arp.spa, shape: shapes[0], shapes, ...base };
  return { class: 'garp-reply', ip: arp.spa, shape: shapes[0], shapes, ...base };
}

function requestShapes(tha: string | undefined): GarpShape[] {
  if (tha === BROADCAST_MAC) return ['arping-U', 'keepalived'];
  if (tha === ZERO_MAC) return ['ovn'];
  // tcpdump text omits a zero tha: that is the ovn-controller shape (print-arp.c isnonzero)
  if (tha === undefined) return ['ovn'];
  return ['unknown'];
}

function isWatched(key: string, watched: ReadonlySet<string> | readonly string[] | undefined): boolean {
  if (!watched) return false;
  if (watched instanceof Set) return watched.has(key);
  return (watched as readonly string[]).includes(key);
}

/** true for both G-ARP classes */
export function isGarp(c: ArpClassification | undefined): boolean {
  return c !== undefined && (c.class === 'garp-request' || c.class === 'garp-reply');
}
