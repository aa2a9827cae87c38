import type { Inventory, InventoryNode } from '../inventory/types';
import type { Facts } from '../model/facts';
import type { Check, CheckContext, CloudSnapshot } from './types';
import type { RunResult } from '../result/run-result';
import type { NodeCollection, CollectOptions } from '../collect/collect';
import type { SectionWarning } from '../collect/snapshot';
import type { Transport } from '../transport/types';
import { collectNodes } from '../collect/collect';
import { listenForVrrp } from '../capture/listen-vrrp';
import { evaluateChecks } from './evaluate';
import { assertProfileFitsDataPlane, dataPlaneOfProfile } from './detect-deployment';
import { assembleRunResult } from './assemble';
import { summarizeResult } from '../result/summarize-result';

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
  transportFor: (node: InventoryNode) => Transport;
  collect?: CollectOptions;
  now?: () => Date;
  /** `--listen-vrrp`: after collection, listen for VRRP adverts on every HA replica's ha- device (issue 12) */
  listenVrrp?: { log?: (line: string) => void };
}

export interface RunOutput {
  result: RunResult;
  collections: NodeCollection[];
  warnings: SectionWarning[];
}

/** plan → collect → parse → evaluate → assemble. Only collectNodes touches the network. */
export async function executeRun(input: RunInput): Promise<RunOutput> {
  const now = input.now ?? (() => new Date());
  const startedAt = now();
  const collections = await collectNodes(input.nodes, input.transportFor, input.collect);
  if (input.listenVrrp) {
    // the snapshots are plain data: what each replica heard lands in its HaRouterState (and the run file)
    const byName = new Map(input.nodes.map((n) => [n.name, n]));
    const reached = new Set(collections.filter((c) => c.snapshot).map((c) => c.node.name));
    await listenForVrrp(buildCloudSnapshot(collections), {
      transportFor: (name) => (reached.has(name) && byName.has(name) ? input.transportFor(byName.get(name)!) : undefined),
      sudo: (name) => byName.get(name)?.sudo,
      log: input.listenVrrp.log,
    });
  }
  return judgeCollections(input, collections, startedAt, now());
}

/**
 * evaluate → assemble on collections already read (pure): a run's own tail, and `haprobe merge`
 * on the union of shard run files (issue 10), so both judge exactly the same way.
 */
export function judgeCollections(
  input: Pick<RunInput, 'inventory' | 'inventoryDigest' | 'profile' | 'checks' | 'facts'>,
  collections: NodeCollection[],
  startedAt: Date,
  finishedAt: Date,
): RunOutput {
  const snapshot = buildCloudSnapshot(collections);
  // an OVN or linuxbridge data plane would "pass" the neutron ML2/OVS checks with everything skipped
  assertProfileFitsDataPlane(input.profile.id, snapshot, dataPlaneOfProfile(input.profile.id));
  const unreachable = new Set(snapshot.unreachable.map((u) => u.node));
  const paramsFor = new Map(input.profile.checks.map((c) => [c.id, c.params]));
  const ctxFor = (check: Check): CheckContext => ({
    snapshot,
    facts: input.facts?.facts,
    params: paramsFor.get(check.id) ?? {},
    profileId: input.profile.id,
  });
  const evaluation = evaluateChecks(input.checks, ctxFor, unreachable);
  const result = assembleRunResult({
    profile: input.profile.id,
    inventory: { source: input.inventory.source, digest: input.inventoryDigest },
    facts: input.facts ? { source: input.facts.source, digest: input.facts.digest } : undefined,
    startedAt,
    finishedAt,
    collections,
    checks: input.checks,
    evaluation,
  });
  // for the report's nodes × routers matrix: routers that had no finding still show up
  result.topology = snapshot.nodes.map((n) => ({ node: n.node, namespaces: n.namespaces.map((ns) => ns.name) }));
  const warnings = collections.flatMap((c) => c.warnings);
  if (warnings.length > 0) result.warnings = warnings.map((w) => ({ node: w.node, section: w.section, line: w.line, message: w.message }));
  Object.assign(result, summarizeResult(result));
  return { result, collections, warnings };
}

export function buildCloudSnapshot(collections: NodeCollection[]): CloudSnapshot {
  return {
    nodes: collections.flatMap((c) => (c.snapshot ? [c.snapshot] : [])),
    unreachable: collections
      .filter((c) => c.failure)
      .map((c) => ({ node: c.node.name, reason: c.failure!.reason, message: c.failure!.message })),
  };
}
