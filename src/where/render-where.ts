import type { WhereLayer, WhereResult } from './types';

const ORDER: WhereLayer[] = ['facts', 'address', 'namespace', 'keepalived', 'route', 'rule', 'nat', 'ovs-port', 'ovs-flow', 'neighbour', 'fdb', 'garp'];

/**
 * Plain-text answer of `where`: one block per layer (facts, addresses, the router's other
 * namespaces, keepalived, routes, rules, NAT, OVS ports, OVS flows, neighbours, FDB, G-ARPs), each line `node/namespace  at  detail  [source]`,
 * then the disagreements, then what was not read. Pure.
 */
export function renderWhereText(r: WhereResult, opts: { sources?: boolean } = {}): string {
  const out: string[] = [`${r.target.value}: ${r.places.length} place(s) on ${new Set(r.places.map((p) => p.node).filter(Boolean)).size} node(s)`];
  for (const layer of ORDER) {
    const rows = r.places.filter((p) => p.layer === layer);
    if (rows.length === 0) continue;
    out.push('', `${layer}:`);
    for (const p of rows) {
      const where = p.node === undefined ? '-' : p.namespace === undefined ? p.node : `${p.node}/${p.namespace === '' ? '(root)' : p.namespace}`;
      out.push(`  ${where}  ${p.at}  ${p.detail}${opts.sources !== false && p.source ? `  [${p.source}]` : ''}`);
    }
  }
  out.push('');
  if (r.problems.length === 0) out.push('disagreements: none');
  else {
    out.push(`disagreements (${r.problems.length}):`);
    for (const p of r.problems) out.push(`  ${p.kind}: ${p.message}`);
  }
  const gaps = r.searched.filter((s) => s.notRead.length > 0);
  if (gaps.length > 0) {
    out.push('', 'not read (an absence there says nothing):');
    for (const g of gaps) out.push(`  ${g.node}: ${g.notRead.join('; ')}`);
  }
  return out.join('\n') + '\n';
}
