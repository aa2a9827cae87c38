import * as path from 'path';
import * as fs from 'fs';
import type { PcapRecord } from '../../../src/capture/types';

/** Fixture folder in the source tree (tests run from dist/test/capture/). */
export const FIXTURES = path.resolve(__dirname, '../../../../test/capture/fixtures');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

export function readFixture(name: string): Buffer {
  return fs.readFileSync(fixture(name));
}

/**
 * Re-encode real records as a pcap in another byte order / time resolution / link type,
 * to exercise the decoder on variants tcpdump on this machine does not write.
 */
export function writePcap(
  records: Pick<PcapRecord, 'sec' | 'usec' | 'origLen' | 'data'>[],
  opts: { bigEndian?: boolean; nanosecond?: boolean; linktype?: number; snaplen?: number } = {},
): Buffer {
  const be = opts.bigEndian === true;
  const parts: Buffer[] = [];
  const g = Buffer.alloc(24);
  const w32 = (b: Buffer, v: number, o: number): void => void (be ? b.writeUInt32BE(v, o) : b.writeUInt32LE(v, o));
  const w16 = (b: Buffer, v: number, o: number): void => void (be ? b.writeUInt16BE(v, o) : b.writeUInt16LE(v, o));
  w32(g, opts.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(g, 2, 4);
  w16(g, 4, 6);
  w32(g, opts.snaplen ?? 262144, 16);
  w32(g, opts.linktype ?? 1, 20);
  parts.push(g);
  for (const r of records) {
    const h = Buffer.alloc(16);
    w32(h, r.sec, 0);
    w32(h, opts.nanosecond ? r.usec * 1000 + 123 : r.usec, 4);
    w32(h, r.data.length, 8);
    w32(h, r.origLen, 12);
    parts.push(h, Buffer.from(r.data));
  }
  return Buffer.concat(parts);
}

/** Ethernet frame → LINUX_SLL (cooked v1) frame: pkttype from the destination, source MAC kept. */
export function toSll(eth: Buffer): Buffer {
  const h = Buffer.alloc(16);
  const bcast = eth.subarray(0, 6).equals(Buffer.alloc(6, 0xff));
  h.writeUInt16BE(bcast ? 1 : 0, 0);
  h.writeUInt16BE(1, 2);
  h.writeUInt16BE(6, 4);
  eth.copy(h, 6, 6, 12);
  eth.copy(h, 14, 12, 14);
  return Buffer.concat([h, eth.subarray(14)]);
}

/** Ethernet frame → LINUX_SLL2 (cooked v2) frame. */
export function toSll2(eth: Buffer): Buffer {
  const h = Buffer.alloc(20);
  eth.copy(h, 0, 12, 14);
  h.writeUInt32BE(3, 4);
  h.writeUInt16BE(1, 8);
  h[10] = eth.subarray(0, 6).equals(Buffer.alloc(6, 0xff)) ? 1 : 0;
  h[11] = 6;
  eth.copy(h, 12, 6, 12);
  return Buffer.concat([h, eth.subarray(14)]);
}
