import { HaprobeError } from '../errors';
import type { Facts } from '../model/facts';
import type { Role } from '../model/types';
import type { ReadPlan, SnapshotSource } from '../collect/snapshot-source';
import { buildOfflineCollections, type OfflineCollection } from './build-collections';
import { loadEvidenceBundle, loadPastedDirectory, loadSosArchive, loadSosDirectory, loadSource, type SourceNode } from './load-source';
import { isArchivePath, DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './read-tar';

/**
 * The offline adapters of the snapshot-source port (collect/snapshot-source.ts): files read by
 * load-source.ts, turned into collections through the live parse path by buildOfflineCollections.
 * Their collections are OfflineCollections: each also says which file it came from and what the
 * source lacked (`missing`).
 */
export interface OfflineSource extends SnapshotSource {
  collect(plan?: ReadPlan): Promise<OfflineCollection[]>;
}

export interface OfflineSourceOptions {
  /** facts help infer a node's roles when nothing else names them */
  facts?: Facts;
  /** an inventory's roles, by node name (nothing is contacted) */
  rolesFor?: (node: string) => Role[] | undefined;
  limits?: ArchiveLimits;
}

function offlineSource(kind: string, load: (limits: ArchiveLimits) => Promise<SourceNode[]>, opts: OfflineSourceOptions): OfflineSource {
  return {
    kind,
    collect: async () => buildOfflineCollections(await load(opts.limits ?? DEFAULT_ARCHIVE_LIMITS), { facts: opts.facts, rolesFor: opts.rolesFor }),
  };
}

/** one sosreport: a .tar.xz/.tar.gz/.tar (read in memory) or an unpacked report directory */
export function sosreportSource(p: string, opts: OfflineSourceOptions = {}): OfflineSource {
  return offlineSource('sosreport', async (limits) => [isArchivePath(p) ? await loadSosArchive(p, limits) : loadSosDirectory(p, limits)], opts);
}

/** a haprobe run file (`run --output DIR`): its nodes' sections back from the evidence, unreachable nodes included */
export function evidenceBundleSource(p: string, opts: OfflineSourceOptions = {}): OfflineSource {
  return offlineSource('evidence-bundle', async () => loadEvidenceBundle(p), opts);
}

/** one node's folder of pasted outputs named by command (`ip_netns_exec_qrouter-…_ip_route` …) */
export function directorySource(p: string, opts: OfflineSourceOptions = {}): OfflineSource {
  return offlineSource('pasted', async (limits) => [loadPastedDirectory(p, limits)], opts);
}

/** what `analyze PATH…` and `where PATH…` read: each path as what it is (loadSource), one node once */
export function pathsSource(paths: string[], opts: OfflineSourceOptions = {}): OfflineSource {
  return offlineSource('paths', (limits) => loadSources(paths, limits), opts);
}

/** loads every PATH; two sources naming one node is a usage error (which one would be judged?) */
export async function loadSources(paths: string[], limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<SourceNode[]> {
  const nodes: SourceNode[] = [];
  for (const p of paths) nodes.push(...(await loadSource(p, limits)));
  const seen = new Map<string, string>();
  for (const n of nodes) {
    const prev = seen.get(n.name);
    if (prev !== undefined) throw new HaprobeError('usage', `node ${n.name} comes from two sources: ${prev} and ${n.label}`, { where: 'analyze PATH', hint: 'give one sosreport per node' });
    seen.set(n.name, n.label);
  }
  return nodes;
}
