import { expect } from 'chai';
import * as fs from 'fs';
import { checkConsistency } from '../../src/capture/consistency';
import { decodePcapBuffer } from '../../src/capture/pcap';
import { decodeRecord } from '../../src/capture/frame';
import type { CapturedFrame } from '../../src/capture/types';
import { corpusPath } from '../helpers/corpus';
import { fromMac, loadGarpFixture, shifted } from './helpers/garp-frames';

describe('capture/consistency: IP/MAC and VRRP consistency over a window', () => {
  const fx = loadGarpFixture();
  const A = 'fa:16:3e:11:22:33';
  const B = 'fa:16:3e:de:ad:00';

  it('real capture: every IP has one MAC, no finding', () => {
    expect(checkConsistency(fx.all)).to.deep.equal([]);
  });

  it('flip-flop A,B,A is an error; a single move A→B is a warning', () => {
    const g = fx.pike[0];
    const flip = [g, fromMac(shifted(g, 1), B), shifted(g, 2)];
    const [f] = checkConsistency(flip);
    expect(f).to.include({ kind: 'ip-claimed-by-two-macs', severity: 'error', pattern: 'flip-flop', ip: '203.0.113.10' });
    expect(f.macs).to.deep.equal([A, B]);
    const [m] = checkConsistency([g, fromMac(shifted(g, 1), B)]);
    expect(m).to.include({ severity: 'warning', pattern: 'moved' });
  });

  it('the window limits what is judged', () => {
    const g = fx.pike[0];
    const flip = [g, fromMac(shifted(g, 1), B), shifted(g, 2)];
    expect(checkConsistency(flip, { windowStart: g.ts + 0.5 })[0]).to.include({ pattern: 'moved' });
  });

  it('DVR: a FIP claimed from a node other than the instance host is claim-from-wrong-place', () => {
    const onWrongHost = fx.pike.map((f) => ({ ...f, node: 'compute2', device: 'fg-aaa' }));
    const rules = [{ ip: '203.0.113.10', allowed: [{ node: 'compute1', device: 'fg-bbb' }], reason: "DVR: only fg- on the instance's host" }];
    const [f] = checkConsistency(onWrongHost, { rules });
    expect(f).to.include({ kind: 'claim-from-wrong-place', severity: 'error', ip: '203.0.113.10' });
    expect(f.segments).to.deep.equal([`compute2 fg-aaa ${A}`]);
    const right = fx.pike.map((x) => ({ ...x, node: 'compute1', device: 'fg-bbb' }));
    expect(checkConsistency(right, { rules })).to.deep.equal([]);
  });

  it('VRRP: successive masters in the tcpdump test-suite capture are not a split brain', () => {
    const frames = decodePcapBuffer(fs.readFileSync(corpusPath('tcpdump/pcap/tcpdump-tests-vrrp.pcap'))).records.map(decodeRecord);
    expect(checkConsistency(frames)).to.deep.equal([]);
  });

  it('VRRP: two sources advertising the same vrid at the same time are a split brain (reported once for several capture points)', () => {
    const adv = fx.vrrp[0];
    const other = (f: CapturedFrame): CapturedFrame => ({ ...f, ethSrc: 'fa:16:3e:00:00:02', ip: { ...f.ip!, src: '169.254.192.2' } });
    const frames: CapturedFrame[] = [];
    for (const node of ['net1', 'net2']) {
      for (let i = 0; i < 4; i++) {
        frames.push({ ...shifted(adv, 2 * i), node, device: 'ha-1' });
        frames.push({ ...other(shifted(adv, 2 * i + 1)), node, device: 'ha-1' });
      }
    }
    const found = checkConsistency(frames);
    expect(found).to.have.length(1);
    expect(found[0]).to.include({ kind: 'vrrp-split-brain', vrid: 1, severity: 'error' });
    expect(found[0].segments).to.deep.equal(['net1 ha-1', 'net2 ha-1']);
    // a hand-over (old master stops, new one starts) is not
    const handover = [0, 2, 4].map((s) => shifted(adv, s)).concat([6, 8, 10].map((s) => other(shifted(adv, s))));
    expect(checkConsistency(handover)).to.deep.equal([]);
  });
});
