import { HaprobeError } from '../errors';
import type { InventoryNode } from './types';

/** `--shard K/N`: this run reads the K-th of N stable slices of the inventory (1 ≤ K ≤ N). */
export interface ShardSpec {
  index: number;
  count: number;
}

/** at most this many shards (a 5,000-node cloud in shards of 5 nodes) */
export const MAX_SHARDS = 1000;

/** "2/8" → {index: 2, count: 8}; anything else is a usage error naming the flag */
export function parseShardSpec(text: string, flag = '--shard'): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new HaprobeError('usage', `expected K/N with 1 ≤ K ≤ N ≤ ${MAX_SHARDS}, got "${text}"`, { where: flag, hint: 'e.g. --shard 1/4 … --shard 4/4, one run per shard' });
  }
  return { index, count };
}

/**
 * FNV-1a (32 bit) of the node name: the slice a node falls in depends on its name only, so adding
 * or removing other nodes never moves it, and every bastion/job agrees without coordination.
 */
export function shardOfName(name: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h % count) + 1;
}

/** the nodes of shard K/N, in inventory order (may be empty: a small inventory in many shards) */
export function selectShard(nodes: InventoryNode[], spec: ShardSpec): InventoryNode[] {
  return nodes.filter((n) => shardOfName(n.name, spec.count) === spec.index);
}
