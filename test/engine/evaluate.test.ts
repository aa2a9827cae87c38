import { expect } from 'chai';
import { evaluateChecks } from '../../src/engine/evaluate';
import type { Check, CheckContext } from '../../src/engine/types';

const ctx: CheckContext = { snapshot: { nodes: [], unreachable: [{ node: 'net2', reason: 'timeout', message: 'x' }] }, params: {}, profileId: 'p' };

function fakeCheck(evaluate: Check['evaluate']): Check {
  return { id: 'c', title: 't', description: 'd', severity: 'major', references: [{ kind: 'doc', ref: 'x' }], evaluate };
}

describe('engine: evaluateChecks', () => {
  it('a check whose every subject is on an unreachable node still has one skip row', () => {
    const check = fakeCheck(() => ({ subjects: [{ node: 'net2', namespace: 'qrouter-1' }], findings: [] }));
    const { rows } = evaluateChecks([check], () => ctx, new Set(['net2']));
    expect(rows).to.deep.equal([{ checkId: 'c', subject: {}, verdict: 'skip', findingIndexes: [] }]);
  });

  it('a finding on an unreachable node becomes skip, not fail', () => {
    const check = fakeCheck(() => ({
      subjects: [{ node: 'net2' }],
      findings: [{ checkId: 'c', severity: 'major', verdict: 'fail', subject: { node: 'net2' }, message: 'm', evidence: [] }],
    }));
    const { rows, findings } = evaluateChecks([check], () => ctx, new Set(['net2']));
    expect(findings[0].verdict).to.equal('skip');
    expect(rows.map((r) => r.verdict)).to.deep.equal(['skip']);
  });

  it('a check that throws is an error row and the next check still runs', () => {
    const bad = fakeCheck(() => {
      throw new Error('boom');
    });
    const good = { ...fakeCheck(() => ({ subjects: [{ node: 'net1' }], findings: [] })), id: 'g' };
    const { rows } = evaluateChecks([bad, good], () => ctx, new Set());
    expect(rows.map((r) => `${r.checkId}:${r.verdict}`)).to.deep.equal(['c:error', 'g:pass']);
  });
});
