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
import { framesBeforeChange, judgeAfterChange } from '../../src/garp/judge-after-change';
import type { CapturedFrame } from '../../src/capture/types';
import type { PointRole } from '../../src/garp/capture-points';

/**
 * Issue 14: frames of the FIP captured before the change was requested belong to the state
 * before it. Real frames (the DVR lab's fg- announcement of 203.0.113.102, dvr-fg-associate.pcap,
 * 3 rounds over 9 s) stand for both: the same announcement ending 2 s before the change, from the
 * other compute's fg- MAC, is the previous association's tail; the real one after it is the consequence.
 */
const FIXTURE = path.resolve(__dirname, '../../../test/garp/fixtures/dvr-fg-associate.pcap');
const FIP = '203.0.113.102';

describe('garp verify: frames before the change are set aside, not judged (issue 14)', () => {
  const plan = buildPlan('neutron-dvr');
  const facts = buildFacts(plan, { '203.0.113.101': 'vm1', [FIP]: 'vm2' });
  const announcer = planAnnouncer({ facts, profile: loadProfile('neutron-dvr'), fip: FIP });
  const host = announcer.expected.node;
  const other = announcer.candidates.find((c) => c.node !== host)!;
  const raw = fs.existsSync(FIXTURE) ? decodePcapBuffer(fs.readFileSync(FIXTURE)).records.map(decodeRecord) : [];
  const after: CapturedFrame[] = raw.map((f) => ({ ...f, node: host, device: `ns:${announcer.expected.namespace}:${announcer.expected.device}` }));
  const span = (after[after.length - 1]?.ts ?? 0) - (after[0]?.ts ?? 0);
  const shift = span + 2;
  const changeAt = (after[0]?.ts ?? 0) - 0.5;
  const windowStart = (after[0]?.ts ?? 0) - shift - 0.5;
  const sinceWindowMs = Math.round((changeAt - windowStart) * 1000);
  // the old owner's announcement, over before the change: same frames, the other compute's fg- MAC
  const earlier: CapturedFrame[] = after.map((f) => ({
    ...f, ts: f.ts - shift, node: other.node, device: `ns:${other.namespace}:${other.device}`,
    ethSrc: other.mac, arp: { ...f.arp!, sha: other.mac },
  }));
  const frames = [...earlier, ...after];
  const exp = { ip: FIP, mac: announcer.expected.mac, node: host, device: after[0]?.device ?? '', pattern: announcer.pattern, deadlineMs: 30_000 };
  const now = (after[after.length - 1]?.ts ?? 0) + 1;

  before(function () {
    if (after.length === 0) this.skip();
  });

  it('judged whole, the old owner\'s tail fails a healthy association (the false FAIL)', () => {
    const v = judgeGarp(frames, exp, { windowStart, final: true, now });
    expect(v.status).to.equal('FAIL');
  });

  it('the frames before the change are found and said, with the MAC that sent them', () => {
    const s = framesBeforeChange(frames, FIP, windowStart, changeAt);
    expect(s.before).to.have.length(earlier.length);
    expect(s.note).to.include(`${earlier.length} ARP frame(s) of ${FIP}`).and.include(other.mac).and.include(`+${sinceWindowMs} ms`);
    expect(framesBeforeChange(after, FIP, windowStart, changeAt).note).to.equal(undefined);
  });

  it('judged from the change on: PASS, times still measured from the window start', () => {
    const v = judgeAfterChange(frames, exp, windowStart, changeAt, () => true, now);
    expect(v.status).to.equal('PASS');
    expect(v.firstGarpAfterMs).to.be.at.least(sinceWindowMs);
  });

  it('a wrong announcement after the change still fails', () => {
    const late = earlier.map((f) => ({ ...f, ts: f.ts + shift + 0.3 }));
    const v = judgeAfterChange([...late, ...after], exp, windowStart, changeAt, () => true, now + 2);
    expect(v.status).to.equal('FAIL');
  });

  it('disassociation: claims before the request are the old association\'s, claims after it fail', () => {
    const dis = { kind: 'disassociate' as const };
    const v = judgeGarp([], exp, { windowStart, final: true, now });
    expect(decideStatus(v, dis, earlier, FIP, changeAt).status).to.equal('PASS');
    expect(decideStatus(v, dis, earlier, FIP, windowStart)).to.include({ status: 'FAIL', cause: 'too-many' });
    expect(decideStatus(v, dis, after, FIP, changeAt)).to.include({ status: 'FAIL', cause: 'too-many' });
  });

  it('disassociation through an API (the agent removes the address later): the old owner announcing with its own MAC is INCONCLUSIVE, anyone else still fails', () => {
    const dis = { kind: 'disassociate' as const };
    const v = judgeGarp([], exp, { windowStart, final: true, now });
    // `after` are the expected owner's frames (host, its fg- MAC): the owner the FIP was just taken from
    expect(decideStatus(v, dis, after, FIP, changeAt, announcer, true)).to.include({ status: 'INCONCLUSIVE', cause: 'announced-while-removing' });
    expect(decideStatus(v, dis, after, FIP, changeAt, announcer, false)).to.include({ status: 'FAIL', cause: 'too-many' });
    // the other compute's MAC after the API call: not the old owner, a fault
    expect(decideStatus(v, dis, earlier, FIP, windowStart, announcer, true)).to.include({ status: 'FAIL', cause: 'too-many' });
  });

  it('disassociation through an API: the old owner\'s frames seen again on another node\'s bridge port and at the receiver are copies, not other senders', () => {
    const dis = { kind: 'disassociate' as const };
    const v = judgeGarp([], exp, { windowStart, final: true, now });
    // CI of the twelfth submission: the primary's keepalived put the FIP back and announced it after the API call;
    // the same frames crossed the other node's ex-up and reached the upstream's ext0
    const copies: CapturedFrame[] = [
      ...after.map((f) => ({ ...f, node: other.node, device: 'ex-up' })),
      ...after.map((f) => ({ ...f, node: 'upstream', device: 'ext0' })),
    ];
    const roles = new Map<string, PointRole>([
      [`${host}|${after[0].device}`, 'origin'], [`${other.node}|ns:${other.namespace}:${other.device}`, 'origin'],
      [`${other.node}|ex-up`, 'wire'], ['upstream|ext0', 'receiver'],
    ]);
    const roleOf = (f: CapturedFrame): PointRole | undefined => roles.get(`${f.node}|${f.device}`);
    expect(decideStatus(v, dis, [...after, ...copies], FIP, changeAt, announcer, true, roleOf)).to.include({ status: 'INCONCLUSIVE', cause: 'announced-while-removing' });
    // without the capture points' roles a frame on another node is another sender (the old rule)
    expect(decideStatus(v, dis, [...after, ...copies], FIP, changeAt, announcer, true)).to.include({ status: 'FAIL', cause: 'too-many' });
    // the same MAC captured at another node's own router device: that node sent it (L3 HA replicas share the qg- MAC)
    const otherSent = after.map((f) => ({ ...f, node: other.node, device: `ns:${other.namespace}:${other.device}` }));
    expect(decideStatus(v, dis, [...after, ...otherSent], FIP, changeAt, announcer, true, roleOf)).to.include({ status: 'FAIL', cause: 'too-many' });
  });
});
