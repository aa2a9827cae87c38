import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodePcapBuffer } from '../../src/capture/pcap';
import { decodeRecord } from '../../src/capture/frame';
import { judgeGarp } from '../../src/capture/verdict';
import { buildFacts, buildPlan } from '../../src/lab/plan';
import { loadProfile } from '../../src/profile';
import { planAnnouncer } from '../../src/garp/plan-announcer';
import { computePingOutage, parsePingLine } from '../../src/garp/ping-outage';
import { measureClockOffset, measureClockOffsets } from '../../src/garp/clock-offset';
import { correctTs, describeOffsets, estimateOffset, offsetOf, parseDateOutput, type NodeClockOffset } from '../../src/garp/estimate-offset';
import type { ExecResult, Transport, TransportFailure } from '../../src/transport/types';

const FIXTURES = path.resolve(__dirname, '../../../test/garp/fixtures');

describe('garp/estimate-offset: a node clock against the local one', () => {
  it('takes the sample with the smallest round trip', () => {
    const e = estimateOffset([
      { localSendMs: 1000, localRecvMs: 1200, remoteMs: 3150 }, // rtt 200
      { localSendMs: 1300, localRecvMs: 1308, remoteMs: 3304 }, // rtt 8: the one
      { localSendMs: 1400, localRecvMs: 1450, remoteMs: 3400 }, // rtt 50
    ])!;
    expect(e.rttMs).to.equal(8);
    expect(e.offsetMs).to.equal(3304 - 1304);
    expect(e.uncertaintyMs).to.equal(4);
    expect(e.samples).to.equal(3);
  });

  it('sign: positive when the node is ahead, negative when behind', () => {
    expect(estimateOffset([{ localSendMs: 10_000, localRecvMs: 10_010, remoteMs: 11_325 }])!.offsetMs).to.equal(1320);
    expect(estimateOffset([{ localSendMs: 10_000, localRecvMs: 10_010, remoteMs: 9_005 }])!.offsetMs).to.equal(-1000);
  });

  it('no usable sample: undefined (receive before send, NaN)', () => {
    expect(estimateOffset([])).to.equal(undefined);
    expect(estimateOffset([{ localSendMs: 10, localRecvMs: 5, remoteMs: 7 }, { localSendMs: 1, localRecvMs: 2, remoteMs: NaN }])).to.equal(undefined);
  });

  it('parses date +%s.%N, rejects a date without %N', () => {
    expect(parseDateOutput('1795308185.757261123\n')).to.be.closeTo(1795308185757.261123, 1e-3);
    expect(parseDateOutput('1795308185.5')).to.equal(1795308185500);
    expect(parseDateOutput('1795308185.N')).to.equal(undefined);
    expect(parseDateOutput('')).to.equal(undefined);
  });

  it('output lines: only beyond 50 ms, and every node that could not be sampled', () => {
    const o = (node: string, offsetMs: number, uncertaintyMs = 4, error?: string): NodeClockOffset => ({ node, offsetMs, uncertaintyMs, rttMs: 2 * uncertaintyMs, samples: 3, ...(error ? { error } : {}) });
    expect(describeOffsets([o('net1', 12), o('net2', 1320.4, 3.6), o('up', -120), o('cmp1', 0, 0, 'timeout: no answer')])).to.deep.equal([
      'clock offset net2 +1.32 s ±4 ms (corrected)',
      'clock offset up -120 ms ±4 ms (corrected)',
      'clock offset cmp1 unknown (timeout: no answer): its timestamps are used uncorrected',
    ]);
    expect(offsetOf([o('net2', 1320), o('cmp1', 55, 1, 'x')], 'net2')).to.equal(1320);
    expect(offsetOf([o('cmp1', 55, 1, 'x')], 'cmp1')).to.equal(0);
    expect(offsetOf([], undefined)).to.equal(0);
  });

  it('an offset within its own uncertainty (seen on the lab: one clock, +227 ms ±228 ms) is shown but not corrected', () => {
    const o = (node: string, offsetMs: number, uncertaintyMs: number): NodeClockOffset => ({ node, offsetMs, uncertaintyMs, rttMs: 2 * uncertaintyMs, samples: 3 });
    const lab = [o('net2', 227, 228), o('net3', 94, 96), o('far', 1500, 40)];
    expect(offsetOf(lab, 'net2')).to.equal(0);
    expect(offsetOf(lab, 'net3')).to.equal(0);
    expect(offsetOf(lab, 'far')).to.equal(1500);
    expect(describeOffsets(lab)).to.deep.equal([
      'clock offset net2 +227 ms ±228 ms (within its uncertainty: not corrected)',
      'clock offset net3 +94 ms ±96 ms (within its uncertainty: not corrected)',
      'clock offset far +1.50 s ±40 ms (corrected)',
    ]);
  });
});

/** a Transport whose `date` answers from a clock `skewMs` ahead of the test's fake local clock */
function fakeNode(node: string, skewMs: number, clock: { t: number }, rtts: number[], fail?: TransportFailure): Transport {
  let i = 0;
  return {
    node,
    connect: async () => fail,
    exec: async (command: string): Promise<ExecResult> => {
      const rtt = rtts[i++ % rtts.length];
      clock.t += rtt / 2;
      const remote = (clock.t + skewMs) / 1000;
      clock.t += rtt / 2;
      return { command, stdout: `${remote.toFixed(9)}\n`, stderr: '', exitCode: 0, durationMs: rtt, startedAt: '' };
    },
    stream: () => {
      throw new Error('not used');
    },
    close: async () => undefined,
  };
}

describe('garp/clock-offset: sampling date over a Transport', () => {
  it('3 samples, min round trip, offset and uncertainty from it', async () => {
    const clock = { t: 1_795_308_185_000 };
    const r = await measureClockOffset({ node: 'net2', transport: fakeNode('net2', 2000, clock, [40, 6, 90]) }, { now: () => clock.t });
    expect(r.node).to.equal('net2');
    expect(r.error).to.equal(undefined);
    expect(r.samples).to.equal(3);
    expect(r.rttMs).to.be.closeTo(6, 1e-3);
    expect(r.offsetMs).to.be.closeTo(2000, 1e-3);
    expect(r.uncertaintyMs).to.be.closeTo(3, 1e-3);
  });

  it('a node that cannot be reached keeps offset 0 and says why', async () => {
    const clock = { t: 1_795_308_185_000 };
    const [a, b] = await measureClockOffsets([
      { node: 'net1', transport: fakeNode('net1', -500, clock, [4]) },
      { node: 'net3', transport: fakeNode('net3', 0, clock, [4], { reason: 'unreachable', message: 'connect ECONNREFUSED' }) },
      { node: 'net1', transport: fakeNode('net1', -500, clock, [4]) },
    ], { now: () => clock.t });
    expect(b).to.include({ node: 'net3', offsetMs: 0, error: 'unreachable: connect ECONNREFUSED' });
    expect(a.node).to.equal('net1');
    expect(a.offsetMs).to.be.closeTo(-500, 1e-3);
  });
});

describe('garp/clock-offset: correction of remote timestamps on a real lab capture', () => {
  // cmp2's fg- while the DVR lab associated 203.0.113.102 (dvr-frames.test.ts); the lab has one clock
  const FIP = '203.0.113.102';
  const PCAP = path.join(FIXTURES, 'dvr-fg-associate.pcap');
  const plan = buildPlan('neutron-dvr');
  const facts = buildFacts(plan, { '203.0.113.101': 'vm1', [FIP]: 'vm2' });
  const announcer = planAnnouncer({ facts, profile: loadProfile('neutron-dvr'), fip: FIP });
  const host = announcer.expected.node;
  const frames = fs.existsSync(PCAP)
    ? decodePcapBuffer(fs.readFileSync(PCAP)).records.map(decodeRecord).map((f) => ({ ...f, node: host, device: `ns:${announcer.expected.namespace}:${announcer.expected.device}` }))
    : [];
  /** the association, on the local clock, 100 ms before the first G-ARP */
  const t0 = (frames[0]?.ts ?? 0) - 0.1;
  const exp = { ip: FIP, mac: announcer.expected.mac, node: host, device: frames[0]?.device, pattern: announcer.pattern, deadlineMs: 1000 };
  const rel = (v: ReturnType<typeof judgeGarp>): number[] => v.timeline.map((e) => Math.round(e.t * 1000));

  before(function () {
    if (frames.length === 0) this.skip();
  });

  for (const skewMs of [2000, -2000]) {
    it(`node clock ${skewMs > 0 ? '+' : ''}${skewMs / 1000} s: corrected with the sampled offset, the same timeline and verdict as with one clock`, async () => {
      const clock = { t: t0 * 1000 - 5000 };
      const offset = await measureClockOffset({ node: host, transport: fakeNode(host, skewMs, clock, [30, 8, 12]) }, { now: () => clock.t });
      const skewed = frames.map((f) => ({ ...f, ts: f.ts + skewMs / 1000 }));
      const truth = judgeGarp(frames, exp, { windowStart: t0, final: true });
      const corrected = judgeGarp(skewed.map((f) => correctTs(f, offsetOf([offset], f.node))), exp, { windowStart: t0, final: true });
      expect(truth.status).to.equal('PASS');
      expect(rel(corrected)).to.deep.equal(rel(truth));
      expect(corrected.firstGarpAfterMs).to.equal(truth.firstGarpAfterMs);
      expect(corrected.status).to.equal(truth.status);
      // uncorrected, the skew moves (or hides) the announcement: the bug this fixes
      const raw = judgeGarp(skewed, exp, { windowStart: t0, final: true });
      expect(raw.status).to.not.equal('PASS');
    });
  }

  it('ping -D from a node 2 s ahead: corrected, the same outage as with one clock', () => {
    const replies = fs.readFileSync(path.join(FIXTURES, 'ping-d-loopback.txt'), 'utf8').split('\n').map(parsePingLine).filter((r) => r !== undefined).map((r) => r!);
    expect(replies).to.have.length(4);
    const lossy = [replies[0], replies[3]];
    const faultTs = replies[0].ts + 0.05;
    const endTs = replies[3].ts + 0.1;
    const truth = computePingOutage(lossy, faultTs, 200, endTs);
    const skewed = lossy.map((r) => ({ ...r, ts: r.ts + 2 }));
    const corrected = computePingOutage(skewed.map((r) => correctTs(r, 2000)), faultTs, 200, endTs);
    expect(corrected.lost).to.equal(truth.lost);
    expect(corrected.outageMs).to.equal(truth.outageMs);
    expect(corrected.lastBefore! - faultTs).to.be.closeTo(truth.lastBefore! - faultTs, 1e-6);
    expect(corrected.firstAfter! - faultTs).to.be.closeTo(truth.firstAfter! - faultTs, 1e-6);
    // uncorrected, the loss is placed 2 s late on the fault's time axis
    expect(computePingOutage(skewed, faultTs, 200, endTs).lastBefore! - faultTs).to.be.closeTo(truth.lastBefore! - faultTs + 2, 1e-6);
  });
});
