import type { Inventory, InventoryNode } from '../inventory/types';
import type { Facts } from '../model/facts';
import type { Check } from './types';
import type { NodeCollection } from '../collect/collect';
import type { SnapshotSource } from '../collect/snapshot-source';
import { buildCloudSnapshot, evaluateRun, planOfChecks, type RunOutput } from './evaluate-run';

export { buildCloudSnapshot, type RunOutput };

/** What the engine reads of a profile (a ResolvedProfile is one): its id and each check's params. */
export interface ProfileOfRun {
  id: string;
  checks: readonly { id: string; params: Record<string, unknown> }[];
}

export interface RunInput {
  inventory: Inventory;
  inventoryDigest: string;
  nodes: InventoryNode[];
  profile: ProfileOfRun;
  checks: Check[];
  facts?: { facts: Facts; source: string; digest: string };
  /** where the snapshots come from: `run` passes sshSource (collect/ssh-source.ts) */
  source: SnapshotSource;
  now?: () => Date;
  /**
   * Called once the snapshots are read, before they are judged: what it adds to them lands in the
   * run file (`--listen-vrrp`: the adverts each HA replica heard, issue 12; the cli does the I/O)
   */
  afterCollect?: (collections: NodeCollection[]) => Promise<void>;
}

/** plan → collect (the source) → parse → evaluate → assemble. Only the source and afterCollect touch the network. */
export async function executeRun(input: RunInput): Promise<RunOutput> {
  const now = input.now ?? (() => new Date());
  const startedAt = now();
  const collections = await input.source.collect({ nodes: { nodes: input.nodes } });
  if (input.afterCollect) await input.afterCollect(collections);
  return judgeCollections(input, collections, startedAt, now());
}

/**
 * evaluate → assemble on collections already read (pure): a run's own tail, and `haprobe merge`
 * on the union of shard run files (issue 10), so both judge exactly the same way (evaluateRun).
 */
export function judgeCollections(
  input: Pick<RunInput, 'inventory' | 'inventoryDigest' | 'profile' | 'checks' | 'facts'>,
  collections: NodeCollection[],
  startedAt: Date,
  finishedAt: Date,
): RunOutput {
  return evaluateRun(planOfChecks(input.profile, input.checks), collections, {
    inventory: { source: input.inventory.source, digest: input.inventoryDigest },
    facts: input.facts,
    startedAt,
    finishedAt,
  });
}
