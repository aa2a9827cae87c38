import { decodePcapBuffer } from '../../../src/capture/pcap';
import { decodeRecord } from '../../../src/capture/frame';
import type { CapturedFrame } from '../../../src/capture/types';
import { readFixture } from './pcap-variants';

/** Frames of the real local capture (test/capture/fixtures/capture-garps.sh), by role. */
export function loadGarpFixture(): {
  all: CapturedFrame[];
  pike: CapturedFrame[];
  kilo: CapturedFrame[];
  probe: CapturedFrame;
  request: CapturedFrame;
  reply: CapturedFrame;
  ovn: CapturedFrame;
  debian: CapturedFrame;
  shaMismatch: CapturedFrame;
  unicastReply: CapturedFrame;
  replyThaBroadcast: CapturedFrame;
  vlan: CapturedFrame;
  qinq: CapturedFrame;
  vrrp: CapturedFrame[];
} {
  const all = decodePcapBuffer(readFixture('garps.pcap')).records.map(decodeRecord);
  const tpa = (ip: string): CapturedFrame[] => all.filter((f) => f.arp?.tpa === ip);
  return {
    all,
    pike: tpa('203.0.113.10'),
    kilo: tpa('203.0.113.11'),
    probe: tpa('203.0.113.12')[0],
    request: tpa('203.0.113.20')[0],
    reply: all.find((f) => f.arp?.spa === '203.0.113.20') as CapturedFrame,
    ovn: tpa('203.0.113.30')[0],
    debian: tpa('203.0.113.31')[0],
    shaMismatch: tpa('203.0.113.32')[0],
    unicastReply: tpa('203.0.113.33')[0],
    replyThaBroadcast: tpa('203.0.113.34')[0],
    vlan: tpa('203.0.113.35')[0],
    qinq: tpa('203.0.113.36')[0],
    vrrp: all.filter((f) => f.kind === 'vrrp'),
  };
}

/** a copy of a real frame moved in time (seconds) and optionally re-labelled / re-addressed */
export function shifted(f: CapturedFrame, dt: number, patch: Partial<CapturedFrame> = {}): CapturedFrame {
  const ts = Math.round((f.ts + dt) * 1e6) / 1e6;
  const sec = Math.floor(ts);
  return { ...f, arp: f.arp ? { ...f.arp } : undefined, ts, sec, usec: Math.round((ts - sec) * 1e6), ...patch };
}

/** the same frame sent by another MAC (Ethernet source and sha) */
export function fromMac(f: CapturedFrame, mac: string): CapturedFrame {
  const arp = f.arp ? { ...f.arp, sha: mac, tha: f.arp.tha === f.arp.sha ? mac : f.arp.tha } : undefined;
  return { ...f, ethSrc: mac, arp };
}
