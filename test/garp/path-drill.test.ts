import { expect } from 'chai';
import { judgePathDrill, type PathObservation } from '../../src/garp/judge-path-drill';
import { planNovaMultinicDrill } from '../../src/garp/plan-multinic-drill';
import { buildDefaultRouteReplaceCommand, buildRootLinksSetCommand, parseDefaultRoute } from '../../src/garp/nova-drill-commands';
import { renderDrillRepeatTable, renderDrillTable } from '../../src/garp/render-drill';
import { summarizeDrill } from '../../src/lab/drill-multinic';
import { multiNicDrillOutcome } from '../../src/garp/lab-adapter';
import type { DrillOutcome } from '../../src/garp/drill-failover';
import { validateRunResult } from '../../src/report/validate-run-result';
import { buildGarpRunResult } from '../../src/garp/build-run-result';
import { novaCloud } from '../checks/fixtures/nova';
import { HaprobeError } from '../../src/errors';

/**
 * Multi-path drills (issue 9): the nova-network multi-NIC drill's plan (on the facts the
 * nova-multinic lab wrote, test/checks/fixtures/nova/nova-multinic) and its pure judge; the
 * neutron-multinic-aa drill as a DrillOutcome (run file, --repeat table).
 */
const cut = (o: Partial<PathObservation> = {}): PathObservation => ({ role: 'cut', target: '203.0.113.101', host: 'net1', network: 'private', repliesBefore: 10, outageMs: null, ...o });
const surv = (o: Partial<PathObservation> = {}): PathObservation => ({ role: 'surviving', target: '203.0.113.103', host: 'net2', network: 'private2', repliesBefore: 10, outageMs: 0, ...o });

describe('multi-path drills (pure)', () => {
  it('plan on the lab facts: vm1 cut on private (net1), surviving on private2 (net2); --fip picks the cut path', () => {
    const facts = novaCloud('nova-multinic').facts!;
    const p = planNovaMultinicDrill(facts);
    expect([p.instance, p.cut.fip, p.cut.host, p.cut.flatInterface, p.surviving.fip, p.surviving.host]).to.deep.equal(['vm1', '203.0.113.101', 'net1', 'eth1', '203.0.113.103', 'net2']);
    expect(p.cutHostFlatInterfaces).to.deep.equal(['eth1']);
    const q = planNovaMultinicDrill(facts, '203.0.113.104');
    expect([q.instance, q.cut.host, q.surviving.fip]).to.deep.equal(['vm2', 'net2', '203.0.113.102']);
  });

  it('plan refuses facts with both paths on one host (nova-multinic-same-host) and an unknown --fip', () => {
    const same = novaCloud('nova-multinic-same-host').facts!;
    expect(() => planNovaMultinicDrill(same)).to.throw(HaprobeError, /different hosts/);
    expect(() => planNovaMultinicDrill(same, '203.0.113.101')).to.throw(HaprobeError, /no surviving path/);
    expect(() => planNovaMultinicDrill(novaCloud('nova-multinic').facts!, '198.51.100.9')).to.throw(HaprobeError, /not the floating IP/);
  });

  it('surviving path untouched, cut path down for the whole fault: PASS, the cut said as designed', () => {
    const j = judgePathDrill({ paths: [cut(), surv()], garps: [] }, 1000);
    expect(j.verdict).to.equal('pass');
    expect(j.message).to.include('stayed reachable (outage 0 ms').and.include('down for the whole fault, as designed').and.include('no G-ARP after the fault');
  });

  it('surviving path over budget, never back, or silent before the fault: FAIL', () => {
    expect(judgePathDrill({ paths: [cut(), surv({ outageMs: 1400 })], garps: [] }, 1000).verdict).to.equal('fail');
    const gone = judgePathDrill({ paths: [cut(), surv({ outageMs: null })], garps: [] }, 1000);
    expect([gone.verdict, /not independent/.test(gone.message)]).to.deep.equal(['fail', true]);
    expect(judgePathDrill({ paths: [cut(), surv({ repliesBefore: 0, outageMs: null })], garps: [] }, 1000).message).to.include('did not answer even before the fault');
  });

  it('a cut path that kept answering proves nothing (WARN); not measured at all: WARN; G-ARPs are listed', () => {
    expect(judgePathDrill({ paths: [cut({ outageMs: 0 }), surv()], garps: [] }, 1000).verdict).to.equal('warn');
    const none = judgePathDrill({ paths: [cut({ outageMs: undefined }), surv({ outageMs: undefined })], garps: [] }, 1000);
    expect(none.verdict).to.equal('warn');
    const g = judgePathDrill({ paths: [cut(), surv()], garps: [{ node: 'net2', ip: '203.0.113.101', tMs: 900 }] }, 1000);
    expect([g.verdict, g.explanation]).to.deep.equal(['pass', ['G-ARP for 203.0.113.101 from net2 at +900 ms']]);
  });

  it('cancelled before the fault: FAIL, nothing injected', () => {
    expect(judgePathDrill({ paths: [], garps: [], cancelled: { reason: 'SIGINT', phase: 'before-fault' } }, 1000).message).to.include('nothing was injected');
  });

  it('commands: devices and route as argv words; the default route as `ip -o -4 route show default` prints it (this machine)', () => {
    expect(buildRootLinksSetCommand(['eth0', 'eth1'], 'down')).to.match(/^sh -c .* sh down eth0 eth1$/);
    expect(parseDefaultRoute('default via 192.0.2.1 dev eth0 \n')).to.deep.equal({ via: '192.0.2.1', dev: 'eth0' });
    expect(parseDefaultRoute('')).to.equal(undefined);
    expect(buildDefaultRouteReplaceCommand({ via: '203.0.113.1', dev: 'eth0' })).to.equal('ip route replace default via 203.0.113.1 dev eth0');
  });

  it('neutron-multinic-aa as a DrillOutcome: valid in a run file, paths and the haproxy path-down event; --repeat prints the distribution', () => {
    const t0 = 1_000_000;
    const r = summarizeDrill([{ at: t0 - 200, ok: true }, { at: t0 + 97, ok: false }, { at: t0 + 1200, ok: false }, { at: t0 + 2447, ok: true }], t0, t0 + 1084,
      { fault: 'stop-node', node: 'net1', routerId: 'r', floatingIp: '203.0.113.101', frontend: '203.0.113.1:8080', budgetSeconds: 10 });
    const o = multiNicDrillOutcome(r, new Date(t0).toISOString());
    expect(o.drill.events.map((e) => `${e.tMs} ${e.kind}`)).to.deep.equal(['0 fault', '97 ping-lost', '1084 path-down', '2447 ping-recovered']);
    expect(o.drill.paths!.map((p) => `${p.role} ${p.target} ${String(p.outageMs)}`)).to.deep.equal(['cut 203.0.113.101 undefined', 'surviving haproxy 203.0.113.1:8080 2350']);
    const run = buildGarpRunResult({ profile: 'neutron-multinic-aa', inventory: { source: 'i.yaml', nodes: [] } as never, inventoryDigest: 'x', startedAt: o.drill.startedAt, finishedAt: o.drill.startedAt, nodes: [], drills: [o.drill, o.drill] });
    expect(validateRunResult(JSON.parse(JSON.stringify(run)) as unknown).errors).to.deep.equal([]);
    const table = renderDrillRepeatTable([o, o, o] as DrillOutcome[]);
    expect(table).to.include('3 drill(s), no takeover in this design').and.include('surviving path outage: min 2350 · median 2350');
    expect(renderDrillTable(o)).to.include('surviving path haproxy 203.0.113.1:8080: outage 2350 ms (budget 10000 ms)').and.not.include('new network node after');
  });
});
