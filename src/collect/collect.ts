import type { InventoryNode } from '../inventory/types';
import { DEADLINE, formatSeconds, raceDeadline } from '../deadline';
import type { NodeSnapshot } from '../model/types';
import type { Transport, TransportFailure } from '../transport/types';
import type { EvidenceItem } from '../result/run-result';
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
  /**
   * Per-node deadline, ms (issue 10): connect + snapshot exec of ONE node together never take
   * longer; past it the node is reported as a `timeout` failure naming the phase, its command is
   * killed on the node (by pid, as any exec timeout) and its connection closed, while the other
   * nodes go on. Default: none (each phase keeps its own budget: connect 10 s, timeoutMs).
   */
  deadlineMs?: number;
  statePath?: string;
  /** called when a node starts and ends (progress display) */
  onNodeStart?: (node: InventoryNode) => void;
  onNodeDone?: (result: NodeCollection) => void;
  /** called once a node is read (its transport is no longer needed): e.g. TransportPool.release */
  release?: (node: InventoryNode) => Promise<void>;
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
  const deadline = opts.deadlineMs;
  const missed = (phase: DeadlinePhase): NodeCollection => {
    // the connection goes now (a connect in flight is aborted, a running script was killed by
    // its exec timeout); the pool's closeAll finds it closed
    void transport.close();
    return { node, failure: describeDeadlineMiss(node.name, deadline!, phase, Date.now() - started), evidence: [], warnings: [], durationMs: Date.now() - started };
  };
  const connected = deadline === undefined ? await transport.connect() : await raceDeadline(transport.connect(), deadline);
  if (connected === DEADLINE) return missed('connect');
  const failure = connected;
  if (failure) return { node, failure, evidence: [], warnings: [], durationMs: Date.now() - started };
  const rootOnly = node.roles.length > 0 && node.roles.every((r) => r === 'gateway');
  const script = buildSnapshotScript({ statePath: opts.statePath, rootOnly });
  const budget = opts.timeoutMs ?? 120_000;
  const left = deadline === undefined ? budget : Math.max(1, Math.min(budget, deadline - (Date.now() - started)));
  const execution = transport.exec('sh -s', { stdin: script, timeoutMs: left, sudo: node.sudo });
  // the exec's own timeout kills the script by pid and closes the channel within ~2 stop graces;
  // this backstop answers for the node even when that cleanup itself hangs (sshd stopped)
  const result = deadline === undefined ? await execution : await raceDeadline(execution, left + DEADLINE_BACKSTOP_MS);
  if (result === DEADLINE) return missed('script');
  if (result.failure) {
    const late = deadline !== undefined && result.failure.reason === 'timeout' && left < budget;
    if (late) return missed('script');
    return { node, failure: result.failure, evidence: [], warnings: [], durationMs: Date.now() - started };
  }
  const { snapshot, evidence, warnings: all } = readScriptOutput(node.name, node.roles, result.stdout);
  if (result.exitCode !== 0) {
    all.push({ node: node.name, section: '(script)', line: 0, message: `snapshot script exited ${result.exitCode}: ${redactSecrets(result.stderr.trim().slice(0, 300))}` });
  }
  return { node, snapshot, evidence, warnings: all, durationMs: Date.now() - started };
}

/** where a node was when its deadline passed */
export type DeadlinePhase = 'connect' | 'script';

/** time given to an exec's own timeout cleanup (TERM, grace, KILL, grace) before the node is answered anyway */
const DEADLINE_BACKSTOP_MS = 5_000;

/** the failure of a node whose deadline passed (pure): names the node, the budget and the phase */
export function describeDeadlineMiss(node: string, deadlineMs: number, phase: DeadlinePhase, elapsedMs: number): TransportFailure {
  const what =
    phase === 'connect'
      ? 'no SSH session yet (TCP connect, key exchange or authentication did not finish: sshd stopped, overloaded or filtered?)'
      : 'the snapshot script was still running (killed on the node, channel closed: a command on the node hangs?)';
  return {
    reason: 'timeout',
    message: `node ${node}: per-node deadline of ${formatSeconds(deadlineMs)} passed after ${formatSeconds(elapsedMs)}: ${what}; the other nodes were read (--node-deadline)`,
  };
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
      if (opts.release) await opts.release(node);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, nodes.length) }, worker));
  return results;
}
