import type { NodeSnapshot } from '../../src/model/types';

/**
 * Evidence ids of one node for the given section keys (`netns`, `addr:<ns>`, `route:<ns>`,
 * `rule:<ns>`, `neigh:<ns>`, `iptables:<ns>`, `sysctl:<ns>`, `ovs-vsctl`, `flows:<bridge>`,
 * `keepalived:<router_id>`, `versions`). Keys may also be stored node-qualified
 * ("net1:netns"); both forms are accepted. Missing sections are skipped, duplicates dropped.
 */
export function evidenceFor(node: NodeSnapshot | undefined, keys: string[]): string[] {
  if (!node) return [];
  const out: string[] = [];
  for (const key of keys) {
    const id = node.evidence[key] ?? node.evidence[`${node.node}:${key}`];
    if (id !== undefined && !out.includes(id)) out.push(id);
  }
  return out;
}

/** the usual evidence of one namespace: addresses, routes, rules */
export function nsEvidence(node: NodeSnapshot | undefined, ns: string, sections: string[] = ['addr']): string[] {
  return evidenceFor(node, ['netns', ...sections.map((s) => `${s}:${ns}`)]);
}
