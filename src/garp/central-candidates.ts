import type { InventoryNode } from '../inventory/types';

/**
 * The nodes to read OVN's southbound database from, in the order `drill failover` and
 * `garp verify` try them until one answers: the central node first (roles controller/central),
 * then the others.
 */
export function centralCandidates(nodes: readonly InventoryNode[]): InventoryNode[] {
  const rank = (n: InventoryNode): number => ((n.roles as string[]).some((r) => r === 'controller' || r === 'central') ? 0 : 1);
  return [...nodes].sort((a, b) => rank(a) - rank(b));
}
