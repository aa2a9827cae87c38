import { expect } from 'chai';
import { applyWaivers } from '../../src/report/apply-waivers';
import { diffRuns, hasRegression } from '../../src/report/diff-runs';
import { parseWaivers } from '../../src/report/load-waivers';
import { renderDiffTable } from '../../src/report/render-diff';
import { DNAT_MISSING, GARP_DELAY, makeHistory, makeRun, WAIVERS_YAML } from './fixtures';

describe('report: diffRuns', () => {
  const [run1, run2, run3, run4] = makeHistory();

  it('lists exactly the finding that appeared with the fault, and as fixed when healed', () => {
    const broke = diffRuns(run1, run2);
    expect(broke.appeared.map((e) => e.key)).to.deep.equal([
      'nat-fip-rules#node=net1|namespace=qrouter-5d2c1e8a-7b3f-4c1d-9e2a-0f6b8c4d2a11|router=5d2c1e8a-7b3f-4c1d-9e2a-0f6b8c4d2a11|floatingIp=203.0.113.10',
    ]);
    expect(broke.disappeared).to.deep.equal([]);
    expect(broke.changed).to.deep.equal([]);
    expect(hasRegression(broke)).to.equal(true);

    const healed = diffRuns(run2, run3);
    expect(healed.appeared).to.deep.equal([]);
    expect(healed.disappeared.map((e) => e.checkId)).to.deep.equal(['nat-fip-rules']);
    expect(hasRegression(healed)).to.equal(false);
    expect(diffRuns(run1, run3).counts).to.deep.equal({ appeared: 0, disappeared: 0, changed: 0, unchanged: 0, regressed: 0 });
  });

  it('a newly waived finding appears but is no regression; losing the waiver is one', () => {
    const waivers = parseWaivers(WAIVERS_YAML, 'w.yaml');
    const waived = applyWaivers(run4, waivers, new Date('2024-05-04T03:00:00Z'));
    const d = diffRuns(run3, waived);
    expect(d.appeared).to.have.length(1);
    expect(d.appeared[0].after).to.include({ verdict: 'waived', waiverId: 'W-1' });
    expect(hasRegression(d)).to.equal(false);

    const later = applyWaivers(run4, waivers, new Date('2024-06-02T03:00:00Z'));
    const expired = diffRuns(waived, later);
    expect(expired.changed).to.have.length(1);
    expect(expired.changed[0].before!.verdict).to.equal('waived');
    expect(expired.changed[0].after!.verdict).to.equal('fail');
    expect(expired.counts.regressed).to.equal(1);
  });

  it('changed: same check and subject with another message or severity; unchanged counted', () => {
    const a = makeRun('a', '2024-05-01T02:00:00.000Z', [DNAT_MISSING, GARP_DELAY]);
    const b = makeRun('b', '2024-05-02T02:00:00.000Z', [{ ...DNAT_MISSING, severity: 'critical', actual: '-j DNAT --to-destination 10.0.0.99' }, GARP_DELAY]);
    const d = diffRuns(a, b);
    expect(d.counts).to.deep.equal({ appeared: 0, disappeared: 0, changed: 1, unchanged: 1, regressed: 0 });
    const c = makeRun('c', '2024-05-03T02:00:00.000Z', [DNAT_MISSING, { ...GARP_DELAY, severity: 'major' }]);
    expect(diffRuns(a, c).counts).to.include({ changed: 1, regressed: 1 });
  });

  it('a node that became unreachable is a regression', () => {
    const down = makeRun('d', '2024-05-05T02:00:00.000Z', []);
    down.nodes[1] = { ...down.nodes[1], reachable: false, reason: 'timeout' };
    const d = diffRuns(run3, down);
    expect(d.nodes.becameUnreachable).to.deep.equal(['net2']);
    expect(hasRegression(d)).to.equal(true);
    expect(diffRuns(down, run3).nodes.becameReachable).to.deep.equal(['net2']);
    expect(renderDiffTable(d)).to.include('node net2 became unreachable');
  });
});
