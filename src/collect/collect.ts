import type { InventoryNode } from '../inventory/types';
import type { NodeSnapshot } from '../model/types';
import type { Transport, TransportFailure } from '../transport/types';
import type { EvidenceItem } from '../report/result';
import { buildSnapshotScript } from './script';
import { expandSections, splitSections } from './sections';
import { buildNodeSnapshot, evidenceId, type SectionWarning } from './snapshot';
import { redactSecrets } from './redact';

export interface NodeCollection {
  node: InventoryNode;
  snapshot?: NodeSnapshot;
  failure?: TransportFailure;
  evidence: EvidenceItem[];
  warnings: SectionWarning[];
  durationMs: number;
}

export interface CollectOptions {
  /** how many nodes are read at once (one SSH connection each) */
  concurrency?: number;
  timeoutMs?: number;
  statePath?: string;
  /** called when a node starts and ends (progress display) */
  onNodeStart?: (node: InventoryNode) => void;
  onNodeDone?: (result: NodeCollection) => void;
}

/**
 * The snapshot script's stdout → the node's snapshot, evidence and warnings. Pure (the bench and
 * the v1/v2 differential test call it on outputs read without SSH).
 */
export function readScriptOutput(
  nodeName: string,
  roles: InventoryNode['roles'],
  stdout: string,
): { snapshot: NodeSnapshot; evidence: EvidenceItem[]; warnings: SectionWarning[] } {
  const framed = splitSections(stdout);
  const expanded = expandSections(framed.sections);
  // issue 8: secrets (keepalived auth_pass …) leave before anything is parsed, stored or rendered
  const sections = expanded.sections.map((s) => ({ ...s, output: redactSecrets(s.output) }));
  const framing = [...framed.warnings, ...expanded.warnings];
  const evidence: EvidenceItem[] = sections.map((s) => ({
    id: evidenceId(nodeName, s.key),
    node: nodeName,
    command: `section:${s.key}`,
    exitCode: s.exitCode,
    output: s.output,
  }));
  const { snapshot, warnings } = buildNodeSnapshot(nodeName, roles, sections);
  return { snapshot, evidence, warnings: [...framing.map((w) => ({ ...w, node: nodeName, section: '(framing)' })), ...warnings] };
}

/**
 * Read one node: one connection, ONE exec of the batched snapshot script.
 * Never throws for remote trouble: a transport failure is returned as data.
 */
export async function collectNode(
  node: InventoryNode,
  transport: Transport,
  opts: CollectOptions = {},
): Promise<NodeCollection> {
  const started = Date.now();
  const failure = await transport.connect();
  if (failure) return { node, failure, evidence: [], warnings: [], durationMs: Date.now() - started };
  const rootOnly = node.roles.length > 0 && node.roles.every((r) => r === 'gateway');
  const script = buildSnapshotScript({ statePath: opts.statePath, rootOnly });
  const result = await transport.exec('sh -s', { stdin: script, timeoutMs: opts.timeoutMs ?? 120_000, sudo: node.sudo });
  if (result.failure) {
    return { node, failure: result.failure, evidence: [], warnings: [], durationMs: Date.now() - started };
  }
  const { snapshot, evidence, warnings: all } = readScriptOutput(node.name, node.roles, result.stdout);
  if (result.exitCode !== 0) {
    all.push({ node: node.name, section: '(script)', line: 0, message: `snapshot script exited ${result.exitCode}: ${redactSecrets(result.stderr.trim().slice(0, 300))}` });
  }
  return { node, snapshot, evidence, warnings: all, durationMs: Date.now() - started };
}

/** Read many nodes with bounded concurrency; results in inventory order. The caller owns (and closes) the transports. */
export async function collectNodes(
  nodes: InventoryNode[],
  transportFor: (node: InventoryNode) => Transport,
  opts: CollectOptions = {},
): Promise<NodeCollection[]> {
  const results: NodeCollection[] = new Array(nodes.length);
  const limit = Math.max(1, opts.concurrency ?? 16);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < nodes.length) {
      const index = next++;
      const node = nodes[index];
      opts.onNodeStart?.(node);
      const transport = transportFor(node);
      try {
        results[index] = await collectNode(node, transport, opts);
      } catch (err) {
        // a bug in parsing must not lose the other nodes: report it as this node's failure
        results[index] = {
          node,
          failure: { reason: 'command', message: `internal: ${err instanceof Error ? err.message : String(err)}` },
          evidence: [],
          warnings: [],
          durationMs: 0,
        };
      }
      opts.onNodeDone?.(results[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, nodes.length) }, worker));
  return results;
}
