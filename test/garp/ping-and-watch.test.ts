import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { computePingOutage, parsePingLine } from '../../src/garp/ping-outage';
import { shouldStopWatching } from '../../src/garp/watch-until';
import { explainUnresolved, judgeUpstreamNeighbour, parseRouteGetDevice } from '../../src/garp/read-upstream';
import { parseHaStateOutput, primariesOf } from '../../src/garp/read-ha-states';
import type { GarpVerdict } from '../../src/capture/verdict';

const fixture = (f: string): string => fs.readFileSync(path.resolve(__dirname, '../../../test/garp/fixtures', f), 'utf8');

describe('garp/ping-outage: ping -D from the upstream', () => {
  const text = fixture('ping-d-loopback.txt');
  const replies = text.split('\n').map(parsePingLine).filter((r) => r !== undefined);

  it('parses the -D replies of a real ping and nothing else', () => {
    expect(replies.map((r) => r!.seq)).to.deep.equal([1, 2, 3, 4]);
    expect(replies[0]!.ts).to.equal(1795308185.757261);
  });

  it('no gap: outage 0; a gap after the fault: lost seqs and the silence beyond one interval', () => {
    const all = replies.map((r) => r!);
    expect(computePingOutage(all, all[1].ts, 200, all[3].ts + 0.1)).to.include({ lost: 0, outageMs: 0 });
    const lossy = [all[0], all[3]];
    const o = computePingOutage(lossy, all[0].ts + 0.05, 200, all[3].ts + 0.1);
    expect(o.lost).to.equal(2);
    expect(o.outageMs).to.equal(Math.round((all[3].ts - all[0].ts) * 1000 - 200));
  });

  it('silence after the fault until the end: not recovered (null)', () => {
    const all = replies.map((r) => r!);
    expect(computePingOutage(all.slice(0, 2), all[1].ts + 0.01, 200, all[1].ts + 5).outageMs).to.equal(null);
  });
});

describe('garp/watch-until: when a verify capture ends', () => {
  const v = (counted: number, required = 6): GarpVerdict => ({ ip: 'x', mac: 'm', pattern: 'neutron-pike+', status: 'INCONCLUSIVE', problems: [], counted, expected: { required, max: required }, timeline: [], notes: [] });
  const base = { windowStart: 100, deadlineMs: 10_000, requiredSpanMs: 17_400, settleMs: 1500 };
  it('waits for the trigger, then for the pattern and a quiet wire', () => {
    expect(shouldStopWatching({ ...base, now: 109, triggerDone: false, verdict: v(6), lastRelevantTs: 107 }).stop).to.equal(false);
    expect(shouldStopWatching({ ...base, now: 108, triggerDone: true, verdict: v(6), lastRelevantTs: 107 }).stop).to.equal(false);
    expect(shouldStopWatching({ ...base, now: 108.6, triggerDone: true, verdict: v(6), lastRelevantTs: 107 })).to.deep.equal({ stop: true, why: 'pattern complete' });
  });
  it('no G-ARP: stops once the deadline passed; hard cap otherwise', () => {
    expect(shouldStopWatching({ ...base, now: 109, triggerDone: true, verdict: v(0) }).stop).to.equal(false);
    expect(shouldStopWatching({ ...base, now: 110.1, triggerDone: true, verdict: v(0) }).why).to.equal('deadline passed');
    expect(shouldStopWatching({ ...base, now: 129, triggerDone: false, verdict: v(2) }).why).to.match(/hard cap/);
  });
});

describe('garp/read-upstream and read-ha-states: pure parts', () => {
  it('judges the upstream neighbour entry', () => {
    expect(judgeUpstreamNeighbour('upstream', 'ip neigh show 203.0.113.101', '203.0.113.101 dev ext0 lladdr fa:16:3e:aa:bb:cc REACHABLE\n', '203.0.113.101', 'FA:16:3E:AA:BB:CC').ok).to.equal(true);
    const wrong = judgeUpstreamNeighbour('upstream', 'c', '203.0.113.101 dev ext0 lladdr fa:16:3e:00:00:01 STALE\n', '203.0.113.101', 'fa:16:3e:aa:bb:cc');
    expect(wrong.ok).to.equal(false);
    expect(wrong.message).to.match(/points 203.0.113.101 at fa:16:3e:00:00:01/);
    expect(wrong.status).to.equal('wrong');
    const none = judgeUpstreamNeighbour('upstream', 'c', '', '203.0.113.101', 'fa:16:3e:aa:bb:cc');
    expect(none.message).to.match(/no MAC/);
    expect(none.status).to.equal('unresolved');
  });
  it('an upstream entry without a MAC is unresolved, not wrong; the receiver capture says whether the G-ARPs reached it', () => {
    // `ip neigh` of two bare namespaces: a G-ARP repeating the MAC of an entry in PROBE leaves it PROBE, then FAILED
    const failed = judgeUpstreamNeighbour('upstream', 'c', '10.99.0.9 dev xva FAILED \n', '10.99.0.9', '72:b2:c8:87:4c:d3');
    expect(failed.status).to.equal('unresolved');
    expect(failed.ok).to.equal(false);
    expect(explainUnresolved(failed, 5).message).to.match(/5 G-ARP\(s\) with 72:b2:c8:87:4c:d3 reached it.*harmless/);
    expect(explainUnresolved(failed, 0).message).to.match(/no G-ARP with 72:b2:c8:87:4c:d3 reached it/);
    expect(explainUnresolved(failed, undefined)).to.equal(failed);
    const stale = judgeUpstreamNeighbour('upstream', 'c', '10.99.0.9 dev xva lladdr 72:b2:c8:87:4c:d3 STALE \n', '10.99.0.9', '72:b2:c8:87:4c:d3');
    expect(stale.status).to.equal('ok');
    expect(explainUnresolved(stale, 5)).to.equal(stale);
    expect(parseRouteGetDevice('203.0.113.101 dev ext0 src 203.0.113.1 uid 0 \\    cache ')).to.equal('ext0');
  });
  it('reads state file + VIP marker; primary/master both count, a primary without the VIP does not', () => {
    const s = [parseHaStateOutput('net1', 'primary\nVIP\n', true), parseHaStateOutput('net2', 'backup\n', true), parseHaStateOutput('net3', 'master\n', false), parseHaStateOutput('net4', 'primary\n', true)];
    expect(primariesOf(s)).to.deep.equal(['net1', 'net3']);
  });
});
