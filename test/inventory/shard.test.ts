import { expect } from 'chai';
import { parseShardSpec, selectShard, shardOfName } from '../../src/inventory/shard';
import type { InventoryNode } from '../../src/inventory/types';

const node = (name: string): InventoryNode => ({ name, address: '192.0.2.1', port: 22, user: 'root', roles: ['compute'], sudo: false });

describe('inventory: --shard K/N (issue 10)', () => {
  const nodes = Array.from({ length: 5000 }, (_, i) => node(`cmp${i + 1}`));

  it('the shards of N partition the nodes: each node in exactly one, inventory order kept', () => {
    const parts = [1, 2, 3, 4, 5, 6, 7].map((k) => selectShard(nodes, { index: k, count: 7 }));
    expect(parts.reduce((a, p) => a + p.length, 0)).to.equal(nodes.length);
    expect(new Set(parts.flat().map((n) => n.name)).size).to.equal(nodes.length);
    for (const p of parts) expect(p.map((n) => nodes.indexOf(n))).to.deep.equal(p.map((n) => nodes.indexOf(n)).sort((a, b) => a - b));
  });

  it('is balanced (each of 8 shards of 5,000 names within 15% of 625) and stable when other nodes come and go', () => {
    for (let k = 1; k <= 8; k++) expect(selectShard(nodes, { index: k, count: 8 }).length).to.be.within(531, 719);
    const fewer = nodes.filter((_, i) => i % 3 !== 0);
    for (const n of fewer.slice(0, 200)) expect(shardOfName(n.name, 8)).to.equal(shardOfName(n.name, 8));
    const a = new Set(selectShard(nodes, { index: 3, count: 8 }).map((n) => n.name));
    expect(selectShard(fewer, { index: 3, count: 8 }).every((n) => a.has(n.name))).to.equal(true);
  });

  it('K/N is validated: 1 ≤ K ≤ N ≤ 1000, whole numbers only', () => {
    expect(parseShardSpec('2/8')).to.deep.equal({ index: 2, count: 8 });
    expect(parseShardSpec(' 1 / 1 ')).to.deep.equal({ index: 1, count: 1 });
    for (const bad of ['0/3', '4/3', '1/0', '1/1001', 'a/b', '1', '1/2/3', '-1/2', '1.5/2', '']) {
      expect(() => parseShardSpec(bad), bad).to.throw(/K\/N/);
    }
  });
});
