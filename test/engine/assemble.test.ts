import { expect } from 'chai';
import { assembleRunResult } from '../../src/engine/assemble';
import type { NodeCollection } from '../../src/collect/collect';
import type { InventoryNode } from '../../src/inventory/types';

const node = (name: string): InventoryNode => ({ name, address: `192.0.2.${name.length}`, port: 22, user: 'root', roles: ['network'], sudo: false });
const reached = (name: string): NodeCollection => ({ node: node(name), evidence: [], warnings: [], durationMs: 5 });

describe('engine: assembleRunResult', () => {
  it('node-reachable rows come first and in inventory order, each failure pointing at its finding', () => {
    const collections: NodeCollection[] = [
      reached('net1'),
      { node: node('net2'), failure: { reason: 'unreachable', message: 'ECONNREFUSED' }, evidence: [], warnings: [], durationMs: 1 },
      reached('cmp1'),
    ];
    const other = { checkId: 'nat-rules', subject: { node: 'net1' }, verdict: 'pass' as const, findingIndexes: [] };
    const r = assembleRunResult({
      profile: 'neutron-legacy',
      inventory: { source: 'inv.yaml', digest: 'x' },
      startedAt: new Date(0),
      finishedAt: new Date(1000),
      collections,
      checks: [],
      evaluation: { rows: [other], findings: [] },
    });
    expect(r.rows.map((x) => `${x.checkId} ${x.subject.node} ${x.verdict}`)).to.deep.equal([
      'node-reachable net1 pass',
      'node-reachable net2 fail',
      'node-reachable cmp1 pass',
      'nat-rules net1 pass',
    ]);
    expect(r.rows[1].findingIndexes).to.deep.equal([0]);
    expect(r.findings[0].subject).to.deep.equal({ node: 'net2' });
    expect(r.nodes.map((n) => n.name)).to.deep.equal(['net1', 'net2', 'cmp1']);
  });
});
