import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodePcapBuffer } from '../../src/capture/pcap';
import { decodeRecord } from '../../src/capture/frame';
import { judgeGarp } from '../../src/capture/verdict';
import { buildFacts, buildPlan } from '../../src/lab/plan';
import { loadProfile } from '../../src/profile';
import { planAnnouncer } from '../../src/garp/plan-announcer';
import { decideStatus } from '../../src/garp/verify-garp';
import { judgeSees } from '../../src/garp/route-frame';

/**
 * Real frames: the outbound capture of cmp2's fg- in fip-<ext> while the DVR lab associated
 * 203.0.113.102 with vm2 (saved by dvr.lab.test.ts with HAPROBE_SAVE_FIXTURES=1).
 */
const FIXTURE = path.resolve(__dirname, '../../../test/garp/fixtures/dvr-fg-associate.pcap');
const FIP = '203.0.113.102';

describe('garp/dvr: who announced a DVR floating IP, judged on frames from the lab', () => {
  const plan = buildPlan('neutron-dvr');
  const facts = buildFacts(plan, { '203.0.113.101': 'vm1', [FIP]: 'vm2' });
  const announcer = planAnnouncer({ facts, profile: loadProfile('neutron-dvr'), fip: FIP });
  const host = announcer.expected.node;
  const raw = fs.existsSync(FIXTURE) ? decodePcapBuffer(fs.readFileSync(FIXTURE)).records.map(decodeRecord) : [];
  const frames = raw.map((f) => ({ ...f, node: host, device: `ns:${announcer.expected.namespace}:${announcer.expected.device}` }));
  const t0 = (frames[0]?.ts ?? 0) - 0.1;
  const action = { kind: 'associate' as const, instance: 'vm2' };

  before(function () {
    if (frames.length === 0) this.skip();
  });

  it('the fixture holds 3 × (REQUEST + REPLY) with the fg- MAC of the instance\'s host', () => {
    expect(frames.map((f) => f.arp?.op)).to.deep.equal([1, 2, 1, 2, 1, 2]);
    expect(new Set(frames.map((f) => f.arp?.sha))).to.deep.equal(new Set([plan.router.fg[host].mac]));
  });

  it('judged against the instance\'s host: PASS', () => {
    const exp = { ip: FIP, mac: announcer.expected.mac, node: host, device: frames[0].device, pattern: announcer.pattern, deadlineMs: 10_000 };
    const v = judgeGarp(frames, exp, { windowStart: t0, final: true });
    expect(decideStatus(v, action, frames, FIP, t0, announcer).status).to.equal('PASS');
  });

  it('the same announcement when the instance lives on the other compute: wrong-node, naming the compute that sent it', () => {
    const other = announcer.candidates.find((c) => c.node !== host)!;
    const exp = { ip: FIP, mac: other.mac, node: other.node, device: `ns:${other.namespace}:${other.device}`, pattern: announcer.pattern, deadlineMs: 10_000 };
    const v = judgeGarp(frames, exp, { windowStart: t0, final: true });
    expect(v.cause).to.equal('wrong-mac');
    const shown = decideStatus(v, action, frames, FIP, t0, { ...announcer, expected: other });
    expect(shown).to.include({ status: 'FAIL', cause: 'wrong-node' });
    expect(shown.message).to.include(`from ${host} `);
  });

  it('wire captures feed the judge only foreign claims of the FIP', () => {
    const macs = new Set(announcer.candidates.map((c) => c.mac));
    expect(frames.every((f) => judgeSees(f, 'origin', FIP, macs))).to.equal(true);
    expect(frames.some((f) => judgeSees(f, 'wire', FIP, macs))).to.equal(false);
    const foreign = { ...frames[0], arp: { ...frames[0].arp!, sha: '02:00:5e:00:00:99' } };
    expect(judgeSees(foreign, 'wire', FIP, macs)).to.equal(true);
    const resolving = { ...frames[0], arp: { ...frames[0].arp!, spa: '203.0.113.1', sha: '02:00:5e:00:00:01' } };
    expect(judgeSees(resolving, 'receiver', FIP, macs)).to.equal(false);
  });
});
