import { expect } from 'chai';
import * as fs from 'fs';
import { decodePcapBuffer } from '../../src/capture/pcap';
import { decodeRecord } from '../../src/capture/frame';
import { parseTcpdumpText } from '../../src/capture/tcpdump-text';
import { parseIcmp6Text } from '../../src/capture/tcpdump-icmp6';
import type { CapturedFrame } from '../../src/capture/types';
import { fixture } from './helpers/pcap-variants';

/**
 * ICMPv6 in `garp --text` (issue 12, §7 row 13): tcpdump's text of the same real frames must give
 * the fields the pcap decoder gives. Frames: a backup qg-'s DAD and MLDv2 reports on the l3ha lab
 * (backup-qg-ipv6.pcap) and kernel DAD/RS/NS/NA/echo between two private namespaces
 * (ns-na-veth.pcap, ns-na-veth.SOURCE.txt); the .txt beside each is tcpdump 4.99's own print of it.
 */
function pcapFrames(name: string): CapturedFrame[] {
  const r = decodePcapBuffer(fs.readFileSync(fixture(name)));
  expect(r.warnings).to.deep.equal([]);
  return r.records.map(decodeRecord);
}

function textFrames(name: string): CapturedFrame[] {
  const r = parseTcpdumpText(fs.readFileSync(fixture(name), 'utf8'));
  expect(r.warnings, name).to.deep.equal([]);
  return r.value;
}

/** what tcpdump's text carries, given its flags: -e (MACs), -v (hop limit, MLDv2 groups) */
function comparable(f: CapturedFrame, o: { e: boolean; v: boolean }): unknown {
  const icmp6 = f.icmp6 && { ...f.icmp6 };
  if (icmp6 && !o.v) {
    delete icmp6.groups;
    delete icmp6.recordTypes;
  }
  return {
    kind: f.kind,
    ...(o.e ? { ethSrc: f.ethSrc, ethDst: f.ethDst } : {}),
    src: f.ip?.src,
    dst: f.ip?.dst,
    proto: f.ip?.proto,
    ...(o.v ? { hlim: f.ip?.ttl } : {}),
    icmp6,
    ...(o.v ? { reason: f.reason } : {}),
  };
}

const CASES: { pcap: string; text: string; e: boolean; v: boolean }[] = [
  { pcap: 'backup-qg-ipv6.pcap', text: 'backup-qg-ipv6.tt-nne-v.txt', e: true, v: true },
  { pcap: 'backup-qg-ipv6.pcap', text: 'backup-qg-ipv6.tt-nne.txt', e: true, v: false },
  { pcap: 'backup-qg-ipv6.pcap', text: 'backup-qg-ipv6.n.txt', e: false, v: false },
  { pcap: 'ns-na-veth.pcap', text: 'ns-na-veth.tt-nne-v.txt', e: true, v: true },
  { pcap: 'ns-na-veth.pcap', text: 'ns-na-veth.nne.txt', e: true, v: false },
];

describe('tcpdump text: ICMPv6 frames as the pcap decoder reads them (issue 12)', () => {
  for (const c of CASES)
    it(`${c.text} equals the decode of ${c.pcap}`, () => {
      const want = pcapFrames(c.pcap);
      const got = textFrames(c.text);
      expect(got.length).to.equal(want.length);
      expect(got.map((f) => comparable(f, c))).to.deep.equal(want.map((f) => comparable(f, c)));
    });

  it('the kinds haprobe judges: DAD, MLDv2 with groups and record types, NS/NA targets, RS, echo as other', () => {
    const backup = textFrames('backup-qg-ipv6.tt-nne-v.txt');
    expect(backup.map((f) => f.icmp6?.kind)).to.deep.equal(['mld-report-v2', 'dad-ns', 'mld-report-v2', 'mld-report-v2', 'mld-report-v2', 'mld-report-v2', 'mld-report-v2', 'mld-report-v2']);
    expect(backup[0]!.icmp6).to.deep.equal({
      type: 143, code: 0, kind: 'mld-report-v2', extensionHeaders: [0], records: 2, groups: ['ff02::1:ffc0:bee8', 'ff02::2'], recordTypes: [4, 4],
    });
    expect(backup[3]!.reason).to.equal('MLDv2 report cut after 2 of 3 record(s) (snaplen)');
    const veth = textFrames('ns-na-veth.tt-nne-v.txt');
    expect(veth.map((f) => f.icmp6?.kind)).to.deep.equal(['dad-ns', 'dad-ns', 'rs', 'rs', 'ns', 'na', 'other', 'other', 'other', 'other']);
    expect(veth[5]!.icmp6).to.deep.equal({ type: 136, code: 0, kind: 'na', target: 'fe80::fc2a:2eff:fe63:dec' });
    expect(veth[5]!.ethSrc).to.equal('fe:2a:2e:63:0d:ec');
  });

  it('MLDv1 and query forms of print-icmp6.c (no lab capture: written as tcpdump prints them)', () => {
    expect(parseIcmp6Text('ICMP6, multicast listener report max resp delay: 0 addr: ff02::1:ff00:1, length 24', 'fe80::1')?.value)
      .to.deep.equal({ type: 131, code: 0, kind: 'mld-report-v1', groups: ['ff02::1:ff00:1'] });
    expect(parseIcmp6Text('HBH ICMP6, multicast listener done max resp delay: 0 addr: ff02::1:ff00:1, length 24', 'fe80::1')?.value)
      .to.deep.equal({ type: 132, code: 0, kind: 'mld-done', extensionHeaders: [0], groups: ['ff02::1:ff00:1'] });
    expect(parseIcmp6Text('UDP, length 12', 'fe80::1')).to.equal(undefined);
  });
});
