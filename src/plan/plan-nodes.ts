import { selectNodes } from '../inventory/select-nodes';
import { selectShard, type ShardSpec } from '../inventory/shard';
import type { Inventory, InventoryNode } from '../inventory/types';
import type { PlannedNodes } from './types';

export interface NodeFlags {
  /** --node */
  names?: string[];
  /** --role */
  roles?: InventoryNode['roles'];
  /** --shard, parsed (parseShardSpec) */
  shard?: ShardSpec;
}

/** The nodes a live run reads: --node/--role (unknown names and an empty pick are errors), then --shard. Pure. */
export function planNodes(inventory: Inventory, flags: NodeFlags = {}): PlannedNodes {
  const selected = selectNodes(inventory, { names: flags.names, roles: flags.roles });
  if (!flags.shard) return { selected, nodes: selected };
  return { selected, nodes: selectShard(selected, flags.shard), shard: flags.shard };
}
