import { expect } from 'chai';
import * as fs from 'fs';
import { decodePcapBuffer } from '../../src/capture/pcap';
import { decodeFrame, decodeRecord } from '../../src/capture/frame';
import { parseTcpdumpText } from '../../src/capture/tcpdump-text';
import type { CapturedFrame } from '../../src/capture/types';
import { corpusPath, listCorpusFiles, readCorpusBody } from '../helpers/corpus';
import { compareFrames } from './helpers/compare-frames';
import { fixture, readFixture } from './helpers/pcap-variants';

const garpFrames = (): CapturedFrame[] => decodePcapBuffer(readFixture('garps.pcap')).records.map(decodeRecord);
const text = (name: string): string => fs.readFileSync(fixture(name), 'utf8');

describe('capture/frame: Ethernet, 802.1Q/QinQ, ARP, IPv4, VRRP', () => {
  const frames = garpFrames();
  const byTpa = (ip: string): CapturedFrame => frames.find((f) => f.arp?.tpa === ip) as CapturedFrame;

  it('decodes the arping -U frame captured here field by field', () => {
    const f = frames[0];
    expect(f).to.include({ kind: 'arp', ethSrc: 'fa:16:3e:11:22:33', ethDst: 'ff:ff:ff:ff:ff:ff', ethertype: 0x0806, clock: 'epoch' });
    expect(f.arp).to.deep.equal({ op: 1, sha: 'fa:16:3e:11:22:33', spa: '203.0.113.10', tha: 'ff:ff:ff:ff:ff:ff', tpa: '203.0.113.10' });
    expect(f.ts).to.equal(f.sec + f.usec / 1e6);
  });

  it('reads 802.1Q and QinQ tags, outer first', () => {
    expect(byTpa('203.0.113.35')).to.include({ vlan: 2 });
    expect(byTpa('203.0.113.35').vlans).to.deep.equal([2]);
    expect(byTpa('203.0.113.36').vlans).to.deep.equal([100, 2]);
    expect(byTpa('203.0.113.36').arp?.spa).to.equal('203.0.113.36');
  });

  it('VRRPv2 / v3 (also tagged) with interval in ms and the address list', () => {
    const vrrp = frames.filter((f) => f.kind === 'vrrp');
    expect(vrrp.map((f) => f.vrrp)).to.deep.equal([
      { version: 2, type: 1, vrid: 1, priority: 50, count: 1, advertIntervalMs: 2000, authType: 0, addresses: ['10.1.0.1'] },
      { version: 3, type: 1, vrid: 7, priority: 100, count: 2, advertIntervalMs: 1000, addresses: ['10.1.0.7', '10.1.0.8'] },
      { version: 2, type: 1, vrid: 1, priority: 50, count: 1, advertIntervalMs: 2000, authType: 0, addresses: ['10.1.0.1'] },
    ]);
    expect(vrrp[0].ip).to.deep.equal({ src: '169.254.192.1', dst: '224.0.0.18', proto: 112, ttl: 255, version: 4 });
    expect(vrrp[2].vlans).to.deep.equal([2]);
  });

  it('non-Ethernet ARP is other, a cut ARP is malformed; nothing throws on any prefix of any frame', () => {
    expect(frames.find((f) => f.reason?.startsWith('ARP htype 6'))?.kind).to.equal('other');
    expect(frames[frames.length - 1]).to.include({ kind: 'malformed', reason: 'ARP body cut: 8 of 28 bytes' });
    const corpus = decodePcapBuffer(fs.readFileSync(corpusPath('tcpdump/pcap/tcpdump-tests-vrrp.pcap'))).records;
    for (const r of [...decodePcapBuffer(readFixture('garps.pcap')).records, ...corpus.slice(0, 12)]) {
      for (let len = 0; len <= r.data.length; len++) {
        const f = decodeFrame(r.data.subarray(0, len), 1, r.sec, r.usec);
        if (len < 14) expect(f.kind).to.equal('malformed');
      }
    }
  });

  it('a VRRP address list cut by the snaplen keeps what was captured and says so', () => {
    const corpus = decodePcapBuffer(fs.readFileSync(corpusPath('tcpdump/pcap/tcpdump-tests-vrrp.pcap'))).records;
    const r = corpus[0]; // vrid 42 with 3 addresses + auth
    const f = decodeFrame(r.data.subarray(0, 14 + 20 + 8 + 6), 1, r.sec, r.usec);
    expect(f.kind).to.equal('vrrp');
    expect(f.vrrp?.addresses).to.deep.equal(['10.4.42.1']);
    expect(f.reason).to.match(/address list cut after 1 of 3/);
  });

  it('VRRPv3 over IPv6 from the corpus pcap', () => {
    const corpus = decodePcapBuffer(fs.readFileSync(corpusPath('tcpdump/pcap/tcpdump-tests-vrrp.pcap'))).records.map(decodeRecord);
    const v6 = corpus.find((f) => f.ip?.version === 6) as CapturedFrame;
    expect(v6.kind).to.equal('vrrp');
    expect(v6.ip).to.include({ src: 'fe80::d6ca:6dff:fe66:cf60', dst: 'ff02::12' });
    expect(v6.vrrp).to.include({ version: 3, vrid: 45, priority: 191, advertIntervalMs: 10000 });
    expect(v6.vrrp?.addresses).to.deep.equal(['fe80::200:5eff:fe00:22d', '2001::abcd:a']);
  });
});

describe('capture/tcpdump-text: parser', () => {
  it('parses every corpus tcpdump text file without warnings', () => {
    const files = listCorpusFiles('tcpdump');
    expect(files.length).to.be.greaterThan(8);
    for (const f of files) {
      const r = parseTcpdumpText(readCorpusBody(f));
      expect(r.warnings, f).to.deep.equal([]);
      expect(r.value.length, f).to.be.greaterThan(0);
    }
  });

  it('ARP request/reply with -nne from a qg- port (elatov): tha of a request is unknown, reply sha known', () => {
    const r = parseTcpdumpText(readCorpusBody('tcpdump/elatov-kolla-tcpdump-qg-nne-arp.txt')).value;
    expect(r.map((f) => f.kind)).to.deep.equal(['ipv4', 'arp', 'arp', 'ipv4']);
    expect(r[1]).to.include({ ethSrc: '78:24:af:7b:1f:08', ethDst: 'ff:ff:ff:ff:ff:ff', length: 60, clock: 'time-of-day' });
    expect(r[1].arp).to.deep.equal({ op: 1, tpa: '10.0.0.152', spa: '10.0.0.1' });
    expect(r[2].arp).to.deep.equal({ op: 2, spa: '10.0.0.152', sha: 'fa:16:3e:15:99:dc' });
    expect(r[1].sec).to.equal(18 * 3600 + 26 * 60 + 23);
    expect(r[1].usec).to.equal(175661);
  });

  it('-e -n -vvv VRRP on an ha- port: two-line format, ttl, proto, addrs (hopkins)', () => {
    const r = parseTcpdumpText(readCorpusBody('tcpdump/hopkins-l3ha-lb-tcpdump-e-n-vvv-ha-vrrp.txt')).value;
    expect(r).to.have.length(4);
    expect(r[0]).to.include({ kind: 'vrrp', ethSrc: 'fa:16:3e:d9:c0:7c', ethDst: '01:00:5e:00:00:12' });
    expect(r[0].ip).to.deep.equal({ version: 4, ttl: 255, proto: 112, src: '169.254.192.6', dst: '224.0.0.18' });
    expect(r[0].vrrp).to.deep.equal({ version: 2, type: 1, vrid: 1, priority: 50, advertIntervalMs: 2000, authType: 0, addresses: ['10.1.0.1'], count: 1 });
  });

  it('VRRP without -e/-v: addresses unknown (manuals network1)', () => {
    const r = parseTcpdumpText(readCorpusBody('tcpdump/manuals-l3ha-ovs-vrrp-network1.txt')).value;
    expect(r[0].ethSrc).to.equal(undefined);
    expect(r[0].vrrp?.addresses).to.equal(undefined);
    expect(r[0].ip?.src).to.equal('169.254.192.1');
  });

  it('the tcpdump test-suite -v output agrees with haprobe decoding the same pcap (165 frames)', () => {
    const t = parseTcpdumpText(readCorpusBody('tcpdump/tcpdump-tests-vrrp-v-out.txt'));
    expect(t.warnings).to.deep.equal([]);
    const p = decodePcapBuffer(fs.readFileSync(corpusPath('tcpdump/pcap/tcpdump-tests-vrrp.pcap'))).records.map(decodeRecord);
    // -tttt prints local time of the machine that ran the suite: compare whole-second offsets only
    const offset = t.value[0].sec - p[0].sec;
    const shifted = t.value.map((f) => ({ ...f, sec: f.sec - offset }));
    expect(compareFrames(p, shifted)).to.deep.equal([]);
    expect(t.value[0].vrrp?.addresses).to.deep.equal(['10.4.42.1', '10.4.42.2', '10.4.42.3']);
  });

  it('VXLAN: the inner frame line without a timestamp inherits the outer time', () => {
    const r = parseTcpdumpText(readCorpusBody('tcpdump/kaplonski-tcpdump-br-infra-vxlan-dhcp.txt')).value;
    expect(r).to.have.length(4);
    expect(r[1]).to.include({ ethSrc: 'fa:16:3e:3d:0f:f6', ethDst: 'ff:ff:ff:ff:ff:ff', sec: r[0].sec, usec: r[0].usec });
    expect(r[0].ip).to.include({ src: '10.120.0.101', dst: '10.120.0.102', proto: 17 });
  });

  it('unknown lines become warnings with 1-based line numbers, never exceptions', () => {
    const r = parseTcpdumpText('garbage here\n\n12:00:00.000001 ARP, Request who-has 10.0.0.1 tell 10.0.0.1, length 28\n12:00:01.000000 STP 802.1d\n');
    expect(r.value).to.have.length(2);
    expect(r.warnings.map((w) => w.line)).to.deep.equal([1, 4]);
  });

  it('accepts the "Gratuitous ARP"/"Announcement" wording of other tcpdump builds', () => {
    const r = parseTcpdumpText('12:00:00.5 fa:16:3e:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request, Gratuitous ARP for 203.0.113.10 (ff:ff:ff:ff:ff:ff), length 28');
    expect(r.warnings).to.deep.equal([]);
    expect(r.value[0].arp).to.deep.equal({ op: 1, spa: '203.0.113.10', tpa: '203.0.113.10', tha: 'ff:ff:ff:ff:ff:ff' });
  });

  for (const name of ['garps.nne.txt', 'garps.tt-nne.txt', 'garps.v-en.txt', 'garps.vvv-n.txt']) {
    it(`differential on the local capture: tcpdump ${name.replace(/garps\.|\.txt/g, '')} text == pcap decode`, () => {
      const t = parseTcpdumpText(text(name));
      expect(t.warnings).to.deep.equal([]);
      expect(compareFrames(garpFrames(), t.value)).to.deep.equal([]);
    });
  }

  it('the comparison itself notices a disagreement', () => {
    const t = parseTcpdumpText(text('garps.tt-nne.txt')).value;
    t[0] = { ...t[0], usec: t[0].usec + 1, arp: { ...t[0].arp!, spa: '203.0.113.99' } };
    expect(compareFrames(garpFrames(), t)).to.have.length(2);
  });
});
