import { expect } from 'chai';
import { collectFlaps, dateTakeoverByGarp, faultRanAt, faultStartLag, judgeDrill, lateFaultNote } from '../../src/garp/judge-drill';
import { renderDrillRepeatTable } from '../../src/garp/render-drill';
import type { DrillOutcome } from '../../src/garp/drill-failover';

/**
 * judgeDrill (pure) against the drill the issue reports (issue 12, l3ha lab, kill-keepalived):
 * new primary after 916 ms, first G-ARP at 812 ms, the other backup G-ARPing the same addresses
 * 1–3 ms after the winner, ping outage 5,317 ms — which used to PASS.
 */
const BUDGET = 60_000;
const observed = [
  { node: 'net2', tMs: 812, ip: '203.0.113.10' }, { node: 'net3', tMs: 813, ip: '203.0.113.10' },
  { node: 'net2', tMs: 813, ip: '203.0.113.101' }, { node: 'net3', tMs: 816, ip: '203.0.113.101' },
];

describe('judgeDrill: explain the outage, not only time the new primary (issue 12)', () => {
  it('collectFlaps names the node that announced besides the final primary, and that it announced last', () => {
    const flaps = collectFlaps(observed, 'net2');
    expect(flaps).to.deep.equal([{ node: 'net3', ips: ['203.0.113.10', '203.0.113.101'], frames: 2, firstMs: 813, lastMs: 816, lastAfterWinnerMs: 3 }]);
    expect(collectFlaps(observed.filter((g) => g.node === 'net2'), 'net2')).to.deep.equal([]);
  });

  it('the issue\'s drill: an L2 flap and an outage ≫ takeover are findings with the likely cause, not a PASS', () => {
    const j = judgeDrill({ newPrimary: 'net2', finalPrimary: 'net2', newPrimaryMs: 916, firstGarpMs: 812, outageMs: 5317, flaps: collectFlaps(observed, 'net2') }, BUDGET);
    expect(j.verdict).to.equal('warn');
    expect(j.message).to.match(/L2 flap: net3/).and.match(/client outage 5317 ms is 4401 ms longer than the takeover \(916 ms\)/);
    expect(j.explanation.join('\n')).to.match(/net3 also sent 2 G-ARP\(s\) for 203\.0\.113\.10, 203\.0\.113\.101 at \+813…\+816 ms while net2 took over, its last 3 ms after net2's/)
      .and.match(/likely cause: net3 announced the shared qg- MAC after net2/);
  });

  it('the client decides too: an outage over the budget fails however fast the takeover', () => {
    const j = judgeDrill({ newPrimary: 'net2', newPrimaryMs: 900, firstGarpMs: 800, outageMs: 6000 }, 5000);
    expect(j.verdict).to.equal('fail');
    expect(j.message).to.match(/client saw a 6000 ms outage > budget 5000 ms/);
    expect(judgeDrill({ newPrimary: 'net2', newPrimaryMs: 900, firstGarpMs: 800, outageMs: null }, 5000).verdict).to.equal('fail');
  });

  it('outage ≫ takeover without any flap: the likely cause is the upstream / fabric ignoring the G-ARP', () => {
    const j = judgeDrill({ newPrimary: 'net2', newPrimaryMs: 900, firstGarpMs: 800, outageMs: 4000 }, BUDGET);
    expect(j.verdict).to.equal('warn');
    expect(j.explanation[0]).to.match(/did not act on the G-ARP .*lp#1690165/);
  });

  it('a clean takeover the client barely noticed passes, with no explanation needed', () => {
    const j = judgeDrill({ newPrimary: 'net2', finalPrimary: 'net2', newPrimaryMs: 900, firstGarpMs: 800, outageMs: 1200, flaps: [] }, BUDGET);
    expect(j).to.deep.equal({ verdict: 'pass', message: 'new primary net2 after 900 ms, first G-ARP after 800 ms, within 60000 ms', explanation: [] });
  });

  it('--repeat prints the distribution, the verdicts and who announced besides the winner', () => {
    const run = (newPrimaryMs: number, outageMs: number, loser?: string): DrillOutcome => ({
      drill: { router: 'r', fault: 'kill-keepalived net1', startedAt: '', events: [], outageMs, newPrimaryMs, firstGarpMs: newPrimaryMs - 100, budgetMs: BUDGET, verdict: loser ? 'warn' : 'pass', oldPrimary: 'net1', newPrimary: 'net2' },
      restored: [], primariesAfterRestore: ['net1'], ping: { fip: 'f', from: 'upstream', replies: 1, lost: 1 } as DrillOutcome['ping'], garps: [], sources: [], warnings: [], clockOffsets: [],
      flaps: loser ? [{ node: loser, ips: ['x'], frames: 1, firstMs: 1, lastMs: 1 }] : [], explanation: [], finalPrimary: 'net2',
    });
    const text = renderDrillRepeatTable([run(900, 1200), run(1000, 5300, 'net3'), run(950, 5000, 'net3')]);
    expect(text).to.include('new primary: min 900 · median 950 · p90 1000 · max 1000 ms');
    expect(text).to.include('client outage: min 1200 · median 5000 · p90 5300 · max 5300 ms');
    expect(text).to.include('verdicts: PASS 1, WARN 2');
    expect(text).to.include('L2 flap in 2/3 run(s): net3 announced besides the winner 2×');
  });
});

describe('dateTakeoverByGarp: the new primary dated by its own first G-ARP when the state poll saw it later', () => {
  const why = (who: string, g: number, p: number): string => `${who} ${g} ${p}`;
  // the figures of clean-clone run 13's real-engine L3 HA drill: G-ARP from net2's qg- at 5040 ms, state poll 11370 ms, budget 10 s
  it('an earlier G-ARP moves the takeover to it and says both times; the verdict follows', () => {
    const t = { newPrimary: 'net2', newPrimaryMs: 11370, firstGarpMs: 5040, finalPrimary: 'net2' };
    const d = dateTakeoverByGarp(t, why);
    expect(d.timeline.newPrimaryMs).to.equal(5040);
    expect(d.line).to.equal('net2 5040 11370');
    expect(judgeDrill(t, 10_000).verdict).to.equal('fail');
    expect(judgeDrill(d.timeline, 10_000).verdict).to.equal('pass');
  });
  it('a G-ARP after the poll, or none, or no takeover: unchanged', () => {
    for (const t of [{ newPrimaryMs: 3000, firstGarpMs: 3500 }, { newPrimaryMs: 3000, firstGarpMs: null }, { newPrimaryMs: null, firstGarpMs: 2000 }]) {
      const d = dateTakeoverByGarp(t, why);
      expect(d.timeline).to.equal(t);
      expect(d.line).to.equal(undefined);
    }
  });
});

describe('faultStartLag: a drill counts from when its fault ran on the node, not from the request', () => {
  it('the command started later than asked: the difference; unknown or earlier: 0', () => {
    // clean-clone run 14, OVN tunnel-down on a loaded lab: request at 0, the link went down ~4.2 s later (first ping lost then)
    expect(faultStartLag(1_000_000, 1_004_213.6)).to.equal(4214);
    expect(faultStartLag(1_000_000, undefined)).to.equal(0);
    expect(faultStartLag(1_000_000, 999_990)).to.equal(0);
  });
  it('says so from 500 ms on, naming the node', () => {
    expect(lateFaultNote('gw2', 4214)).to.equal('the fault command started on gw2 4214 ms after it was sent (a loaded node or link): times count from its start');
    expect(lateFaultNote('gw2', 499)).to.equal(undefined);
  });
  it('faultRanAt: the corrected fault time, the note said only when late', () => {
    const said: string[] = [];
    expect(faultRanAt(1_000_000, 1_004_213.6, 'gw2', (l) => said.push(l))).to.equal(1_004_214);
    expect(faultRanAt(1_000_000, 1_000_200, 'gw2', (l) => said.push(l))).to.equal(1_000_200);
    expect(faultRanAt(1_000_000, undefined, 'gw2', (l) => said.push(l))).to.equal(1_000_000);
    expect(said).to.deep.equal([lateFaultNote('gw2', 4214)]);
  });
});
