import type { InventoryNode } from '../inventory/types';
import type { NodeCollection } from './collect';

/**
 * What a snapshot source reads of the run plan (src/plan/ RunPlan is one): the nodes a live run
 * contacts. Offline sources take their nodes from their files and ignore it.
 */
export interface ReadPlan {
  nodes?: { nodes: readonly InventoryNode[] };
}

/**
 * THE SNAPSHOT SOURCE PORT (issue 14): where a run's snapshots come from. Every adapter ends in the
 * same parse path (catalogue.ts rows → snapshot.ts buildNodeSnapshot) and hands back one
 * NodeCollection per node — the snapshot, or the failure that kept it out, with the evidence it
 * was read from and the parser warnings — so evaluateRun (engine/evaluate-run.ts) judges them all
 * alike. Adapters:
 *   SSH                 sshSource (ssh-source.ts): one batched script per node, live
 *   sosreport           sosreportSource (analyze/snapshot-sources.ts): a tarball or an unpacked report
 *   evidence bundle     evidenceBundleSource: a haprobe run file (`run --output DIR`)
 *   directory           directorySource: a folder of pasted outputs named by command
 *   any of the three    pathsSource: what `analyze PATH…` and `where PATH…` read, by what each path is
 *   shards              collectionsSource: snapshots already parsed (merge's shard run files)
 * A source never throws for a node it cannot read (that is the node's failure); it throws a typed
 * HaprobeError only for a source it cannot read at all (an unreadable path).
 */
export interface SnapshotSource {
  /** what it reads, for messages ("ssh", "sosreport", …) */
  readonly kind: string;
  collect(plan: ReadPlan): Promise<NodeCollection[]>;
}

/** collections already read (merge: the union of the shards' snapshots): handed on as they are */
export function collectionsSource(collections: NodeCollection[], kind = 'shards'): SnapshotSource {
  return { kind, collect: async () => collections };
}
