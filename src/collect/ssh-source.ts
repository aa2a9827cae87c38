import type { InventoryNode } from '../inventory/types';
import type { Transport } from '../transport/types';
import { collectNodes, type CollectOptions } from './collect';
import type { SnapshotSource } from './snapshot-source';

/**
 * The live adapter of the snapshot-source port: the plan's nodes read over their transports (one
 * connection and one batched script each, collectNodes), with the run's budgets and callbacks.
 */
export function sshSource(transportFor: (node: InventoryNode) => Transport, opts: CollectOptions = {}): SnapshotSource {
  return {
    kind: 'ssh',
    collect: (plan) => collectNodes([...(plan.nodes?.nodes ?? [])], transportFor, opts),
  };
}
