import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { decodePcapBuffer } from '../../src/capture/pcap';
import { decodeRecord } from '../../src/capture/frame';
import { classifyArp } from '../../src/capture/classify';
import { fitPattern } from '../../src/capture/fit-pattern';

/**
 * G-ARPs of REAL neutron Zed + keepalived 2.2.7, captured on the upstream of the real-Neutron lab
 * engine (issue 16; test/fixtures/real-engine/*.SOURCE.txt): what keepalived really emits at an
 * L3 HA failover and on a FIP association, and that haprobe's decoder, classifier and the
 * `keepalived` pattern read them as such.
 */
const DIR = path.resolve(__dirname, '../../../test/fixtures/real-engine');

function garpsByIp(file: string, mac = 'fa:16:3e:67:95:45'): Map<string, { ts: number; op: 'request' | 'reply' }[]> {
  const { records, warnings } = decodePcapBuffer(fs.readFileSync(path.join(DIR, file)));
  expect(warnings).to.deep.equal([]);
  const out = new Map<string, { ts: number; op: 'request' | 'reply' }[]>();
  for (const r of records) {
    const f = decodeRecord(r);
    const c = classifyArp(f);
    if (!c || (c.class !== 'garp-request' && c.class !== 'garp-reply') || !c.ip) continue;
    expect(c.mac).to.equal(mac);
    const list = out.get(c.ip) ?? [];
    list.push({ ts: f.ts, op: c.class === 'garp-request' ? 'request' : 'reply' });
    out.set(c.ip, list);
  }
  return out;
}

describe('real neutron Zed G-ARPs (real-Neutron lab engine captures)', () => {
  it('failover: 5 requests per VIP (gateway and FIP) within a millisecond, again 60 s later; fits `keepalived`', () => {
    const g = garpsByIp('zed-l3ha-failover-upstream-ext0.pcap');
    expect([...g.keys()].sort()).to.deep.equal(['203.0.113.64', '203.0.113.89']);
    for (const [, frames] of g) {
      expect(frames).to.have.length(10);
      expect(frames.every((f) => f.op === 'request')).to.equal(true);
      expect((frames[4].ts - frames[0].ts) * 1000).to.be.lessThan(3);
      const gap = frames[5].ts - frames[4].ts;
      expect(gap).to.be.within(59, 61);
      const fit = fitPattern(frames, 'keepalived');
      expect(fit.ok, JSON.stringify(fit)).to.equal(true);
      expect(fit.complete).to.equal(true);
    }
  });

  it('FIP association on the primary: keepalived (SIGHUP) sends 5 requests for every VIP, the agent no arping', () => {
    const g = garpsByIp('zed-l3ha-fip-associate-upstream-ext0.pcap');
    const fip = g.get('203.0.113.89')!;
    expect(fip).to.have.length(5);
    expect((fip[4].ts - fip[0].ts) * 1000).to.be.lessThan(5);
    expect(fitPattern(fip, 'keepalived').ok).to.equal(true);
    // the gateway VIP is re-announced too (keepalived announces every VIP on reload)
    expect(g.get('203.0.113.64')).to.have.length(5);
  });

  it('DVR FIP association: the agent\'s arping on fg- (-U then -A, three rounds): fits `neutron-pike+`, not `keepalived`', () => {
    const g = garpsByIp('zed-dvr-fip-associate-upstream-ext0.pcap', 'fa:16:3e:0d:c4:d0');
    const fip = g.get('203.0.113.88')!;
    expect(fip.map((f) => f.op)).to.deep.equal(['request', 'reply', 'request', 'reply', 'request', 'reply']);
    const fit = fitPattern(fip, 'neutron-pike+');
    expect(fit.ok, JSON.stringify(fit)).to.equal(true);
    expect(fit.complete).to.equal(true);
    expect(fitPattern(fip, 'keepalived').ok).to.equal(false);
  });
});
