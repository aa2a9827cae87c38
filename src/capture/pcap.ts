import type { PcapHeader, PcapRecord } from './types';

/**
 * Streaming libpcap decoder for `tcpdump -U -w -` output. Pure: it is fed Buffers as they
 * arrive (split anywhere, also inside headers) and returns the records completed by each
 * chunk. It never throws: a bad file puts it in an error state (`error`), a record cut at
 * the end of the stream becomes a warning from `end()`.
 */

const GLOBAL_HEADER_LEN = 24;
const RECORD_HEADER_LEN = 16;
/** larger than any snaplen tcpdump writes (262144); a record beyond it means corruption */
const MAX_CAPLEN = 262144 * 4;

const MAGIC_USEC = 0xa1b2c3d4;
const MAGIC_NSEC = 0xa1b23c4d;
const MAGIC_PCAPNG = 0x0a0d0d0a;

export interface PcapStreamState {
  header?: PcapHeader;
  /** set once the stream cannot be decoded further (bad magic, corrupt record length) */
  error?: string;
  records: number;
  bytes: number;
}

export class PcapStreamDecoder {
  /**
   * Chunks not decoded yet, and their length. They are joined only once they can complete the
   * header or record they start: joining on every push copied a large record's bytes again for
   * each small chunk (a 1 MB record in 64-byte chunks: 16k copies of up to 1 MB; issue 8).
   */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** bytes the pending data must reach before decoding can progress */
  private needed = GLOBAL_HEADER_LEN;
  private state: PcapStreamState = { records: 0, bytes: 0 };

  get header(): PcapHeader | undefined {
    return this.state.header;
  }

  get error(): string | undefined {
    return this.state.error;
  }

  get recordCount(): number {
    return this.state.records;
  }

  /** Feed the next chunk; returns the records it completed, in order. */
  push(chunk: Buffer): PcapRecord[] {
    const out: PcapRecord[] = [];
    this.pushTo(chunk, (r) => out.push(r));
    return out;
  }

  /** Same as push() without an intermediate array (used by live capture and the benchmark). */
  pushTo(chunk: Buffer, emit: (record: PcapRecord) => void): void {
    if (this.state.error) return;
    this.state.bytes += chunk.length;
    if (this.pendingLength + chunk.length < this.needed) {
      this.pending.push(Buffer.from(chunk)); // a copy: the caller may reuse its buffer
      this.pendingLength += chunk.length;
      return;
    }
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([...this.pending, chunk]);
    this.pending = [];
    this.pendingLength = 0;
    let off = 0;
    if (!this.state.header) {
      const parsed = readGlobalHeader(buf);
      if (typeof parsed === 'string') {
        this.state.error = parsed;
        return;
      }
      this.state.header = parsed;
      off = GLOBAL_HEADER_LEN;
    }
    off = readRecords(buf, off, this.state, emit);
    if (this.state.error || off >= buf.length) {
      this.needed = RECORD_HEADER_LEN;
      return;
    }
    // keep only the unfinished tail; copy it so the big chunk can be collected
    const tail = Buffer.from(buf.subarray(off));
    this.pending = [tail];
    this.pendingLength = tail.length;
    this.needed = tail.length < RECORD_HEADER_LEN ? RECORD_HEADER_LEN : RECORD_HEADER_LEN + readCaplen(tail, this.state.header);
  }

  /** End of stream: a non-empty tail is a truncated record (or header). */
  end(): { warnings: string[] } {
    const warnings: string[] = [];
    if (this.state.error) warnings.push(this.state.error);
    else if (!this.state.header) warnings.push(`pcap stream ended after ${this.pendingLength} bytes, before the 24-byte global header`);
    else if (this.pendingLength > 0) {
      warnings.push(`pcap stream ended inside a record: ${this.pendingLength} trailing bytes dropped (capture interrupted?)`);
    }
    this.pending = [];
    this.pendingLength = 0;
    return { warnings };
  }
}

/** Decode a whole pcap file held in memory. */
export function decodePcapBuffer(buf: Buffer): { header?: PcapHeader; records: PcapRecord[]; warnings: string[] } {
  const decoder = new PcapStreamDecoder();
  const records = decoder.push(buf);
  const { warnings } = decoder.end();
  return { header: decoder.header, records, warnings };
}

export function readGlobalHeader(buf: Buffer): PcapHeader | string {
  const le = buf.readUInt32LE(0);
  const be = buf.readUInt32BE(0);
  let littleEndian: boolean;
  let nanosecond: boolean;
  if (le === MAGIC_USEC || le === MAGIC_NSEC) {
    littleEndian = true;
    nanosecond = le === MAGIC_NSEC;
  } else if (be === MAGIC_USEC || be === MAGIC_NSEC) {
    littleEndian = false;
    nanosecond = be === MAGIC_NSEC;
  } else if (le === MAGIC_PCAPNG) {
    return 'pcapng is not supported: capture with tcpdump -w (libpcap format), or convert with editcap -F pcap';
  } else {
    return `not a pcap stream: magic 0x${be.toString(16).padStart(8, '0')}`;
  }
  const u16 = (o: number): number => (littleEndian ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number): number => (littleEndian ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  return {
    littleEndian,
    nanosecond,
    versionMajor: u16(4),
    versionMinor: u16(6),
    snaplen: u32(16),
    // upper bits of the link-type field carry FCS information (pcap spec "LinkType and additional information")
    linktype: u32(20) & 0x0fffffff,
  };
}

/** captured length field of the record header at the start of `buf` */
function readCaplen(buf: Buffer, h: PcapHeader): number {
  return h.littleEndian ? buf.readUInt32LE(8) : buf.readUInt32BE(8);
}

function readRecords(buf: Buffer, start: number, state: PcapStreamState, emit: (r: PcapRecord) => void): number {
  const h = state.header as PcapHeader;
  const le = h.littleEndian;
  const linktype = h.linktype;
  let off = start;
  while (buf.length - off >= RECORD_HEADER_LEN) {
    const sec = le ? buf.readUInt32LE(off) : buf.readUInt32BE(off);
    const frac = le ? buf.readUInt32LE(off + 4) : buf.readUInt32BE(off + 4);
    const caplen = le ? buf.readUInt32LE(off + 8) : buf.readUInt32BE(off + 8);
    const origLen = le ? buf.readUInt32LE(off + 12) : buf.readUInt32BE(off + 12);
    if (caplen > MAX_CAPLEN) {
      state.error = `corrupt pcap record #${state.records + 1}: captured length ${caplen} bytes`;
      return buf.length;
    }
    const end = off + RECORD_HEADER_LEN + caplen;
    if (end > buf.length) break;
    const usec = h.nanosecond ? Math.floor(frac / 1000) : frac;
    emit({
      sec,
      usec,
      nsec: h.nanosecond ? frac : frac * 1000,
      caplen,
      origLen,
      linktype,
      data: buf.subarray(off + RECORD_HEADER_LEN, end),
    });
    state.records++;
    off = end;
  }
  return off;
}
