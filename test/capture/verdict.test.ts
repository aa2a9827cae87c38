import { expect } from 'chai';
import { judgeGarp } from '../../src/capture/verdict';
import type { GarpExpectation } from '../../src/capture/verdict';
import { GarpJudge } from '../../src/capture/garp-judge';
import type { CapturedFrame } from '../../src/capture/types';
import { patternForRelease } from '../../src/capture/patterns';
import { fromMac, loadGarpFixture, shifted } from './helpers/garp-frames';

const MAC = 'fa:16:3e:11:22:33';

describe('capture/verdict: judgeGarp on real captured G-ARPs', () => {
  const fx = loadGarpFixture();
  const t0 = fx.pike[0].ts - 0.5; // the "event": half a second before the first G-ARP
  const pike: GarpExpectation = { ip: '203.0.113.10', mac: MAC, pattern: 'neutron-pike+', deadlineMs: 5000 };
  const kilo: GarpExpectation = { ip: '203.0.113.11', mac: MAC, pattern: 'neutron-kilo-newton', deadlineMs: 5000 };
  const judge = (frames: CapturedFrame[], exp: GarpExpectation, start = t0) => judgeGarp(frames, exp, { windowStart: start, final: true });

  it('PASS: neutron Pike+ 3×(REQUEST+REPLY) from iputils arping, with a timeline relative to the event', () => {
    const v = judge(fx.all, pike);
    expect(v.status, JSON.stringify(v.problems)).to.equal('PASS');
    expect(v.counted).to.equal(6);
    expect(v.firstGarpAfterMs).to.equal(500);
    expect(v.timeline[0]).to.include({ t: 0.5, kind: 'garp-request', role: 'counted', sha: MAC, spa: '203.0.113.10', tpa: '203.0.113.10' });
  });

  it('PASS: Kilo–Newton / nova-network 3 REPLYs 1 s apart', () => {
    const k0 = fx.kilo[0].ts - 0.2;
    expect(judge(fx.all, kilo, k0).status).to.equal('PASS');
    expect(judge(fx.all, { ...kilo, pattern: 'nova-network' }, k0).status).to.equal('PASS');
    expect(judge(fx.all, { ...kilo, pattern: 'any' }, k0).status).to.equal('PASS');
  });

  it('FAIL no-garp: nothing for the IP by the deadline; INCONCLUSIVE before it', () => {
    const exp = { ...pike, ip: '203.0.113.99' };
    expect(judge(fx.all, exp)).to.include({ status: 'FAIL', cause: 'no-garp' });
    const early = judgeGarp(fx.all, exp, { windowStart: t0, now: t0 + 1 });
    expect(early.status).to.equal('INCONCLUSIVE');
    expect(early.notes[0]).to.match(/4000 ms left/);
  });

  it('FAIL wrong-sender-ip: only "who-has FIP tell <primary>" was sent (Debian arping)', () => {
    const v = judge(fx.all, { ...pike, ip: '203.0.113.31' });
    expect(v).to.include({ status: 'FAIL', cause: 'wrong-sender-ip' });
    expect(v.timeline.find((e) => e.role === 'not-garp')).to.include({ spa: '203.0.113.10', tpa: '203.0.113.31' });
  });

  it('FAIL wrong-shape: near misses only (sha != Ethernet source), or replies where Pike+ sends requests', () => {
    expect(judge(fx.all, { ...pike, ip: '203.0.113.32', mac: 'fa:16:3e:00:00:99' })).to.include({ status: 'FAIL', cause: 'wrong-shape' });
    expect(judge(fx.all, { ...kilo, pattern: 'neutron-pike+' }, fx.kilo[0].ts - 0.2)).to.include({ status: 'FAIL', cause: 'wrong-shape' });
  });

  it('FAIL wrong-mac: the G-ARPs carry another MAC than the one that must own the IP', () => {
    const v = judge(fx.all, { ...pike, mac: 'fa:16:3e:aa:bb:cc' });
    expect(v).to.include({ status: 'FAIL', cause: 'wrong-mac' });
    expect(v.problems[0].detail).to.match(/from fa:16:3e:11:22:33/);
  });

  it('FAIL wrong-node / wrong-device from the node and device labels', () => {
    const labelled = fx.pike.map((f) => ({ ...f, node: 'compute2', device: 'fg-1' }));
    expect(judge(labelled, { ...pike, node: 'compute1' })).to.include({ status: 'FAIL', cause: 'wrong-node' });
    expect(judge(labelled, { ...pike, node: 'compute2', device: 'fg-2' })).to.include({ status: 'FAIL', cause: 'wrong-device' });
    expect(judge(labelled, { ...pike, node: 'compute2', device: 'fg-1' }).status).to.equal('PASS');
  });

  it('FAIL too-few (4 of 6 and the capture ended) — INCONCLUSIVE while more may come', () => {
    const four = fx.pike.slice(0, 4);
    expect(judge(four, pike)).to.include({ status: 'FAIL', cause: 'too-few' });
    const live = judgeGarp(four, pike, { windowStart: t0, now: four[3].ts + 0.1 });
    expect(live.status).to.equal('INCONCLUSIVE');
  });

  it('FAIL too-many: two agents announcing the same IP', () => {
    const twice = [...fx.pike, ...fx.pike.map((f) => shifted(f, 0.01, { node: 'net2' }))];
    expect(judge(twice, pike)).to.include({ status: 'FAIL', cause: 'too-many' });
  });

  it('FAIL bad-spacing: rounds too far apart', () => {
    const late = fx.pike.map((f, i) => (i >= 2 ? shifted(f, 6) : f));
    const v = judge(late, pike);
    expect(v).to.include({ status: 'FAIL', cause: 'bad-spacing' });
    expect(v.problems[0].detail).to.match(/gap before frame 3/);
  });

  it('FAIL late: first G-ARP after the deadline', () => {
    const v = judge(fx.all, pike, fx.pike[0].ts - 10);
    expect(v).to.include({ status: 'FAIL', cause: 'late' });
  });

  it('FAIL ip-claimed-by-two-macs: the right G-ARPs plus a claim from another MAC', () => {
    const other = fromMac(shifted(fx.pike[1], 0.2), 'fa:16:3e:de:ad:00');
    expect(judge([...fx.pike, other], pike)).to.include({ status: 'FAIL', cause: 'ip-claimed-by-two-macs' });
    // an ordinary ARP reply from another MAC for the same IP also counts as a claim
    const reply = { ...other, ethDst: MAC, arp: { ...other.arp!, tpa: '203.0.113.1', tha: MAC } };
    expect(judge([...fx.pike, reply], pike)).to.include({ status: 'FAIL', cause: 'ip-claimed-by-two-macs' });
  });

  it('keepalived: burst of 5 REQUESTs passes; second burst after garp_master_delay optional but checked', () => {
    const exp: GarpExpectation = { ip: '203.0.113.10', mac: MAC, pattern: 'keepalived', deadlineMs: 5000 };
    const burst = [0, 1, 2, 3, 4].map((i) => shifted(fx.pike[0], i * 0.002));
    expect(judge(burst, exp).status).to.equal('PASS');
    expect(judge([...burst, ...burst.map((f) => shifted(f, 60))], exp).status).to.equal('PASS');
    expect(judge([...burst, ...burst.map((f) => shifted(f, 30))], exp)).to.include({ cause: 'bad-spacing' });
    expect(judge(burst.slice(0, 3), exp)).to.include({ cause: 'too-few' });
  });

  it('ovn-controller backoff (1,2,4,8 s) with tha 00..00', () => {
    const exp: GarpExpectation = { ip: '203.0.113.30', mac: MAC, pattern: 'ovn', deadlineMs: 5000 };
    const frames = [0, 1, 3, 7, 15].map((s) => shifted(fx.ovn, s));
    expect(judgeGarp(frames, exp, { windowStart: fx.ovn.ts - 1, final: true }).status).to.equal('PASS');
  });

  it('patternForRelease maps release families', () => {
    expect(patternForRelease('juno')).to.equal('neutron-juno');
    expect(patternForRelease('liberty')).to.equal('neutron-kilo-newton');
    expect(patternForRelease('pike+')).to.equal('neutron-pike+');
    // an unknown release is not the newest: any shape neutron ever sent (issue 15)
    expect(patternForRelease(undefined)).to.equal('neutron-any-release');
    expect(patternForRelease('ocata')).to.equal('neutron-newton-ocata');
  });
});

describe('capture/garp-judge: streaming verdicts', () => {
  const fx = loadGarpFixture();

  it('classifies each pushed frame at once and reports verdict changes as frames arrive', () => {
    const events: string[] = [];
    const verdicts: string[] = [];
    const judge = new GarpJudge({
      windowStart: fx.pike[0].ts - 0.5,
      expectations: [{ ip: '203.0.113.10', mac: MAC, pattern: 'neutron-pike+', deadlineMs: 5000 }],
      onEvent: (e) => events.push(e.classification.class),
      onVerdict: (v) => verdicts.push(`${v.status}@${v.counted}`),
    });
    let passedAfterMs = -1;
    for (const f of fx.all) {
      const t = process.hrtime.bigint();
      judge.push({ ...f }, { node: 'net1', device: 'qg-1' });
      if (passedAfterMs < 0 && verdicts[verdicts.length - 1]?.startsWith('PASS')) passedAfterMs = Number(process.hrtime.bigint() - t) / 1e6;
    }
    expect(events.length).to.equal(fx.all.filter((f) => f.kind === 'arp').length);
    expect(verdicts).to.deep.equal(['INCONCLUSIVE@1', 'PASS@6']);
    expect(passedAfterMs).to.be.within(0, 20);
    expect(judge.verdict('203.0.113.10', { final: true })?.status).to.equal('PASS');
    expect(judge.frames.length).to.equal(fx.all.length);
  });

  it('tick() lets a deadline pass on a silent wire', () => {
    const seen: string[] = [];
    const judge = new GarpJudge({
      windowStart: 1000,
      expectations: [{ ip: '203.0.113.99', mac: MAC, pattern: 'neutron-pike+', deadlineMs: 3000 }],
      onVerdict: (v) => seen.push(`${v.status}:${v.cause ?? ''}`),
    });
    judge.tick(1001);
    judge.tick(1004);
    expect(seen).to.deep.equal(['INCONCLUSIVE:', 'FAIL:no-garp']);
  });
});
