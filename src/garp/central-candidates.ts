import { HaprobeError } from '../errors';
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

/**
 * The error when no candidate answered with the southbound database: a node error (exit 3) when some
 * could not be reached — the central node may be among them — else an inventory error (exit 2).
 */
export function noSouthboundError(purpose: string, where: string, unreached: readonly string[]): HaprobeError {
  if (unreached.length > 0) {
    return new HaprobeError('node', `no reachable inventory node has the OVN southbound database socket (ovnsb_db.sock); not reached: ${unreached.join(', ')}: ${purpose}`, {
      where, hint: 'check that those nodes answer over SSH (haprobe doctor), then run again',
    });
  }
  return new HaprobeError('inventory', `no inventory node has the OVN southbound database socket (ovnsb_db.sock): ${purpose}`, { where, hint: 'add the OVN central node to the inventory' });
}
