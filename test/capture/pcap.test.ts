import { expect } from 'chai';
import * as fs from 'fs';
import { PcapStreamDecoder, decodePcapBuffer } from '../../src/capture/pcap';
import { decodeRecord } from '../../src/capture/frame';
import type { PcapRecord } from '../../src/capture/types';
import { corpusPath } from '../helpers/corpus';
import { readFixture, toSll, toSll2, writePcap } from './helpers/pcap-variants';

const VRRP_PCAP = corpusPath('tcpdump/pcap/tcpdump-tests-vrrp.pcap');

function feed(buf: Buffer, sizes: (i: number) => number): { records: PcapRecord[]; warnings: string[] } {
  const d = new PcapStreamDecoder();
  const records: PcapRecord[] = [];
  let off = 0;
  for (let i = 0; off < buf.length; i++) {
    const n = Math.max(1, sizes(i));
    records.push(...d.push(buf.subarray(off, off + n)));
    off += n;
  }
  return { records, warnings: d.end().warnings };
}

function summary(rs: PcapRecord[]): string[] {
  return rs.map((r) => `${r.sec}.${r.usec} ${r.caplen}/${r.origLen} ${r.data.toString('hex')}`);
}

describe('capture/pcap: streaming decoder', () => {
  const corpus = fs.readFileSync(VRRP_PCAP);
  const garps = readFixture('garps.pcap');

  it('decodes the tcpdump test-suite VRRP pcap (165 records, EN10MB, µs)', () => {
    const r = decodePcapBuffer(corpus);
    expect(r.warnings).to.deep.equal([]);
    expect(r.header).to.include({ linktype: 1, nanosecond: false, snaplen: 65535 });
    expect(r.records).to.have.length(165);
    expect(r.records[0]).to.include({ sec: 1394056506, usec: 745865, origLen: 62 });
  });

  it('gives the same records whatever the chunking (1 byte, odd sizes, inside headers)', () => {
    for (const buf of [corpus, garps]) {
      const whole = summary(decodePcapBuffer(buf).records);
      for (const size of [1, 3, 7, 15, 16, 17, 23, 24, 25, 61, 4096]) {
        const r = feed(buf, () => size);
        expect(r.warnings, `chunk ${size}`).to.deep.equal([]);
        expect(summary(r.records), `chunk ${size}`).to.deep.equal(whole);
      }
      let seed = 7;
      const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % 97;
      expect(summary(feed(buf, rnd).records)).to.deep.equal(whole);
    }
  });

  it('emits a record as soon as its last byte arrives', () => {
    const d = new PcapStreamDecoder();
    const first = decodePcapBuffer(garps).records[0];
    const end = 24 + 16 + first.caplen;
    expect(d.push(garps.subarray(0, end - 1))).to.have.length(0);
    expect(d.push(garps.subarray(end - 1, end))).to.have.length(1);
  });

  it('reads big-endian and nanosecond files', () => {
    const real = decodePcapBuffer(garps).records;
    for (const opts of [{ bigEndian: true }, { nanosecond: true }, { bigEndian: true, nanosecond: true }]) {
      const r = decodePcapBuffer(writePcap(real, opts));
      expect(r.warnings).to.deep.equal([]);
      expect(r.header?.littleEndian).to.equal(!opts.bigEndian);
      expect(r.records.map((x) => [x.sec, x.usec, x.data.toString('hex')])).to.deep.equal(real.map((x) => [x.sec, x.usec, x.data.toString('hex')]));
      if (opts.nanosecond) expect(r.records[0].nsec).to.equal(real[0].usec * 1000 + 123);
    }
  });

  it('decodes LINUX_SLL and LINUX_SLL2 captures (tcpdump -i any)', () => {
    const real = decodePcapBuffer(garps).records;
    const eth = real.map(decodeRecord);
    for (const [linktype, conv] of [[113, toSll], [276, toSll2]] as const) {
      const recs = real.map((r) => ({ ...r, data: conv(Buffer.from(r.data)) }));
      const frames = decodePcapBuffer(writePcap(recs, { linktype })).records.map(decodeRecord);
      frames.forEach((f, i) => {
        expect(f.kind).to.equal(eth[i].kind);
        expect(f.arp).to.deep.equal(eth[i].arp);
        expect(f.ethSrc).to.equal(eth[i].ethSrc);
        if (eth[i].ethDst === 'ff:ff:ff:ff:ff:ff') expect(f.ethDst).to.equal('ff:ff:ff:ff:ff:ff');
      });
    }
  });

  it('reports a stream cut inside a record, bad magic and pcapng without throwing', () => {
    const cut = decodePcapBuffer(garps.subarray(0, garps.length - 5));
    expect(cut.records.length).to.equal(decodePcapBuffer(garps).records.length - 1);
    expect(cut.warnings[0]).to.match(/ended inside a record/);
    expect(decodePcapBuffer(Buffer.from('hello world, this is not a pcap')).warnings[0]).to.match(/not a pcap stream/);
    const ng = Buffer.alloc(28);
    ng.writeUInt32LE(0x0a0d0d0a, 0);
    expect(decodePcapBuffer(ng).warnings[0]).to.match(/pcapng/);
    expect(decodePcapBuffer(Buffer.alloc(10)).warnings[0]).to.match(/before the 24-byte global header/);
  });

  it('stops on a corrupt record length instead of buffering forever', () => {
    const bad = Buffer.from(garps);
    bad.writeUInt32LE(0x7fffffff, 24 + 8);
    const r = decodePcapBuffer(bad);
    expect(r.records).to.have.length(0);
    expect(r.warnings[0]).to.match(/corrupt pcap record #1/);
  });
});
