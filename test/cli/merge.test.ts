import { expect } from 'chai';
import { planMerge } from '../../src/cli/commands/merge';
import { validateRunResult } from '../../src/report/validate-run-result';
import type { RunResult } from '../../src/report/result';
import type { NodeSnapshot } from '../../src/model/types';

/** a minimal shard run file: nodes at their positions of the unsharded selection */
function shard(index: number, count: number, nodes: { name: string; position: number; reachable?: boolean }[], extra: Partial<RunResult> = {}): RunResult {
  const snap = (name: string): NodeSnapshot => ({ node: name, roles: ['compute'], namespaces: [], flows: {}, haRouters: [], versions: {}, evidence: {} });
  return {
    schemaVersion: 1,
    runId: `r${index}`,
    tool: { name: 'haprobe', version: '0.1.0' },
    startedAt: `2026-11-30T02:00:0${index}.000Z`,
    finishedAt: `2026-11-30T02:00:1${index}.000Z`,
    durationMs: 10_000,
    profile: 'neutron-l3ha',
    inventory: { source: 'inv.yaml', digest: 'sha256:aa' },
    facts: { source: 'facts.json', digest: 'ff' },
    nodes: nodes.map((n) => ({ name: n.name, address: '192.0.2.1', roles: ['compute'], reachable: n.reachable !== false, ...(n.reachable === false ? { reason: 'timeout', message: 'no SSH session' } : {}), collectMs: 5 })),
    checks: [],
    rows: [],
    findings: [],
    evidence: nodes.map((n) => ({ id: `${n.name}/versions`, node: n.name, command: 'section:versions', exitCode: 0, output: '' })),
    verdict: 'pass',
    summary: { pass: 0, fail: 0, warn: 0, skip: 0, error: 0, waived: 0 },
    shard: {
      index, count, selectedTotal: 4, checkIds: ['l3ha-single-primary'],
      nodes: nodes.map((n) => ({ name: n.name, address: '192.0.2.1', port: 22, roles: ['compute'], position: n.position })),
      snapshots: nodes.filter((n) => n.reachable !== false).map((n) => snap(n.name)),
    },
    ...extra,
  };
}

describe('cli: haprobe merge plans the whole run from shard run files (issue 10)', () => {
  const expectOk = { profileId: 'neutron-l3ha', factsDigest: 'ff' };
  const a = shard(1, 2, [{ name: 'cmp3', position: 2 }, { name: 'net1', position: 0 }]);
  const b = shard(2, 2, [{ name: 'cmp1', position: 1 }, { name: 'cmp9', position: 3, reachable: false }]);

  it('joins the shards in the unsharded node order, keeps failures, evidence and the time span', () => {
    const plan = planMerge([{ file: 'b', result: b }, { file: 'a', result: a }], expectOk);
    expect(plan.collections.map((c) => c.node.name)).to.deep.equal(['net1', 'cmp1', 'cmp3', 'cmp9']);
    expect(plan.collections[3].failure).to.deep.equal({ reason: 'timeout', message: 'no SSH session' });
    expect(plan.collections[3].snapshot).to.equal(undefined);
    expect(plan.collections[0].snapshot?.node).to.equal('net1');
    expect(plan.collections[1].evidence.map((e) => e.id)).to.deep.equal(['cmp1/versions']);
    expect(plan.checkIds).to.deep.equal(['l3ha-single-primary']);
    expect(plan.startedAt.toISOString()).to.equal('2026-11-30T02:00:01.000Z');
    expect(plan.finishedAt.toISOString()).to.equal('2026-11-30T02:00:12.000Z');
  });

  it('a shard run file is a valid run file (reports/run-result.schema.json "shard"); a broken shard record is not', () => {
    expect(validateRunResult(a)).to.deep.equal({ valid: true, errors: [] });
    const bad = { ...a, shard: { ...a.shard!, index: 0 } };
    expect(validateRunResult(bad).valid).to.equal(false);
  });

  const refusals: [string, { file: string; result: RunResult }[], RegExp, { profileId: string; factsDigest?: string }?][] = [
    ['a shard missing', [{ file: 'a', result: a }], /shard\(s\) 2\/2 missing/],
    ['a shard twice', [{ file: 'a', result: a }, { file: 'a2', result: a }], /given twice/],
    ['another N', [{ file: 'a', result: a }, { file: 'c', result: shard(2, 3, [{ name: 'cmp1', position: 1 }]) }], /does not belong/],
    ['not a shard file', [{ file: 'x', result: { ...a, shard: undefined } }], /not a shard run file/],
    ['another profile', [{ file: 'a', result: a }, { file: 'b', result: b }], /profile/, { profileId: 'neutron-dvr', factsDigest: 'ff' }],
    ['other facts', [{ file: 'a', result: a }, { file: 'b', result: b }], /facts/, { profileId: 'neutron-l3ha' }],
    ['another inventory', [{ file: 'a', result: a }, { file: 'b', result: { ...b, inventory: { source: 'i', digest: 'sha256:bb' } } }], /another inventory/],
    ['other checks', [{ file: 'a', result: a }, { file: 'b', result: { ...b, shard: { ...b.shard!, checkIds: [] } } }], /other checks/],
    ['nodes lost', [{ file: 'a', result: a }, { file: 'b', result: { ...b, shard: { ...b.shard!, nodes: b.shard!.nodes.slice(0, 1) }, nodes: b.nodes.slice(0, 1) } }], /hold 3 node\(s\), the run selected 4/],
  ];
  for (const [what, shards, message, expect_] of refusals) {
    it(`refuses ${what} (usage error)`, () => {
      expect(() => planMerge(shards, expect_ ?? expectOk)).to.throw(message).with.property('code', 'usage');
    });
  }
});
