import { expect } from 'chai';
import type { DrillOutcome } from '../../src/garp/drill-failover';
import { renderDrillTable } from '../../src/garp/render-drill';

/** one drill outcome, as drill-failover / drill-nova return it (pure renderer input) */
function outcome(extra: Partial<DrillOutcome> = {}): DrillOutcome {
  return {
    drill: {
      router: 'X', fault: 'kill-keepalived net1', startedAt: '2026-12-01T00:00:00Z', outageMs: 900, newPrimaryMs: 2100, firstGarpMs: 1900,
      budgetMs: 10_000, verdict: 'pass', oldPrimary: 'net1', newPrimary: 'net2', message: 'ok',
      events: [{ tMs: 0, kind: 'fault', node: 'net1' }, { tMs: 2100, kind: 'new-primary', node: 'net2' }],
    },
    restored: ['keepalived on net1'], primariesAfterRestore: ['net2'], garps: [{ node: 'net2', tMs: 1900, ip: '203.0.113.101' }],
    sources: [], warnings: [], clockOffsets: [], flaps: [], explanation: [], finalPrimary: 'net2', ...extra,
  };
}

describe('drill failover table: the words of the HA system drilled', () => {
  it('a Neutron router by default: router, primary, G-ARPs from qg-', () => {
    const text = renderDrillTable(outcome());
    expect(text).to.include('router X: kill-keepalived net1, primary net1 → net2');
    expect(text).to.include('new primary after 2100 ms');
    expect(text).to.include('G-ARPs from qg- after the fault: net2 203.0.113.101 +1900');
    expect(text).to.include('primary now net2');
  });

  it('a nova-network hot standby pair: the active network host and public_interface, no "router" or "qg-" (issue 9)', () => {
    const text = renderDrillTable(outcome({
      drill: { ...outcome().drill, router: 'nova network private (net1/net2)' },
      words: { unit: '', role: 'active network host', garpFrom: 'public_interface eth0' },
    }));
    expect(text).to.include('nova network private (net1/net2): kill-keepalived net1, active network host net1 → net2');
    expect(text).to.include('new active network host after 2100 ms');
    expect(text).to.include('G-ARPs from public_interface eth0 after the fault');
    expect(text).to.not.match(/router|qg-/);
  });
});
