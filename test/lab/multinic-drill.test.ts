import { expect } from 'chai';
import { summarizeDrill } from '../../src/lab/drill-multinic';
import { buildPlan, buildFacts, initialFips } from '../../src/lab/plan';
import { renderHaproxyConf } from '../../src/lab/multinic';
import { validateFacts } from '../../src/model/load-facts';

const BASE = { fault: 'stop-node' as const, node: 'net1', routerId: 'r', floatingIp: '203.0.113.101', frontend: '203.0.113.1:8080', budgetSeconds: 10 };

describe('neutron-multinic-aa: drill summary and plan (pure)', () => {
  it('outage = first failed attempt → first answer after the last failure (lab run 2026-12-01: 2 failed, back at +2447 ms)', () => {
    const t0 = 1_000_000;
    const raw = [
      { at: t0 - 200, ok: true }, { at: t0 + 97, ok: false }, { at: t0 + 1200, ok: false }, { at: t0 + 2447, ok: true }, { at: t0 + 2560, ok: true },
    ];
    const r = summarizeDrill(raw, t0, t0 + 1084, BASE);
    expect([r.attempts, r.failedAfterFault, r.firstFailMs, r.recoveredMs, r.outageMs, r.backendDownMs, r.verdict]).to.deep.equal([5, 2, 97, 2447, 2350, 1084, 'pass']);
  });
  it('no answer after the failures: fail; no failure at all: pass with 0 ms', () => {
    const t0 = 5000;
    expect(summarizeDrill([{ at: t0 + 10, ok: false }, { at: t0 + 900, ok: false }], t0, undefined, BASE).verdict).to.equal('fail');
    const clean = summarizeDrill([{ at: t0 + 10, ok: true }], t0, undefined, BASE);
    expect([clean.outageMs, clean.verdict]).to.deep.equal([0, 'pass']);
  });
  it('the plan puts r1 and r2 on different network nodes, one NIC and FIP each, and haproxy balances both FIPs with checks', () => {
    const plan = buildPlan('neutron-multinic-aa');
    const mn = plan.multiNic!;
    expect(mn.paths.map((p) => p.host)).to.deep.equal(['net1', 'net2']);
    expect(mn.paths.map((p) => `${p.nic} ${p.port.ip} ${p.fip.ip} ${p.table}`)).to.deep.equal(['eth0 10.0.0.11 203.0.113.101 101', 'eth1 10.0.1.11 203.0.113.102 102']);
    const conf = renderHaproxyConf(mn);
    expect(conf).to.include('mode tcp').and.include('server r1 203.0.113.101:80 check').and.include('server r2 203.0.113.102:80 check');
  });
  it('the lab facts validate (multiNic pair in the schema) and name both routers', () => {
    const plan = buildPlan('neutron-multinic-aa');
    const facts = buildFacts(plan, initialFips(plan));
    expect(validateFacts(JSON.parse(JSON.stringify(facts)))).to.equal(undefined);
    expect(facts.multiNic![0]!.paths.map((p) => p.routerId)).to.deep.equal(facts.routers.map((r) => r.id));
  });
});
