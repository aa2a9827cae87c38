import type { Inventory, InventoryNode } from '../inventory/types';
import type { Transport } from '../transport/types';
import { measureClockOffset } from '../garp/clock-offset';
import { buildDoctorProbeScript } from './probe-script';
import { parseDoctorProbe } from './parse-probe';
import { judgeDoctorNode, type NodeObservation } from './judge-node';
import type { DoctorReport } from './types';

export interface DoctorOptions {
  inventory: Inventory;
  nodes: InventoryNode[];
  transportFor: (node: InventoryNode) => Transport;
  /** nodes probed at once (default 16) */
  concurrency?: number;
  /** budget of one node's probe, ms (default 60 000) */
  timeoutMs?: number;
  statePath?: string;
  onNodeDone?: (node: string, rows: number) => void;
}

/**
 * The I/O edge of `doctor`: per node, in parallel (bounded), connect, `sudo -n true` when the node
 * runs through sudo, the one probe script (as root when sudo works, else as the login user, so the
 * tool checks still answer), the clock offset; then the pure judge. Never throws for a node.
 */
export async function runDoctor(opts: DoctorOptions): Promise<DoctorReport> {
  const t0 = Date.now();
  const startedAt = new Date(t0).toISOString();
  const statePath = opts.statePath ?? '/var/lib/neutron';
  const script = buildDoctorProbeScript({ statePath });
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const observe = async (node: InventoryNode): Promise<NodeObservation> => {
    const o: NodeObservation = {
      node,
      hostKeysUnchecked: opts.inventory.knownHosts === false,
      knownHostsFile: opts.inventory.knownHosts === false ? undefined : opts.inventory.knownHosts,
      statePath,
    };
    const t = opts.transportFor(node);
    o.connect = await t.connect();
    if (o.connect) return o;
    let sudoWorks = false;
    if (node.sudo && node.user !== 'root') {
      const r = await t.exec('true', { sudo: true, timeoutMs: 15_000 });
      o.sudo = { failure: r.failure, exitCode: r.exitCode, stderr: r.stderr };
      sudoWorks = !r.failure && r.exitCode === 0;
    }
    const r = await t.exec('sh -s', { stdin: script, sudo: sudoWorks, timeoutMs });
    const parsed = parseDoctorProbe(r.stdout);
    o.probe = { parsed: parsed.value, failure: r.failure };
    warnings.push(...parsed.warnings.map((w) => ({ node: node.name, ...w })));
    // `date` needs no root: measured as the login user, also when sudo is broken
    const asUser: Transport = { node: t.node, connect: () => t.connect(), exec: (c, eo) => t.exec(c, { ...eo, sudo: false }), stream: (c, so) => t.stream(c, so), close: () => t.close() };
    o.clock = await measureClockOffset({ node: node.name, transport: asUser });
    return o;
  };
  const warnings: DoctorReport['warnings'] = [];
  const observations = new Map<string, NodeObservation>();
  const queue = [...opts.nodes];
  const worker = async (): Promise<void> => {
    for (let node = queue.shift(); node; node = queue.shift()) {
      const o = await observe(node).catch((err: unknown): NodeObservation => ({
        node, hostKeysUnchecked: false, statePath, connect: { reason: 'unreachable', message: `doctor: ${(err as Error).message}` },
      }));
      observations.set(node.name, o);
      opts.onNodeDone?.(node.name, 0);
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 16, opts.nodes.length));
  await Promise.all(Array.from({ length: n }, worker));
  const rows = opts.nodes.flatMap((node) => judgeDoctorNode(observations.get(node.name)!));
  return {
    schemaVersion: 1,
    tool: 'haprobe doctor',
    startedAt,
    durationMs: Date.now() - t0,
    inventory: opts.inventory.source,
    nodes: opts.nodes.map((node) => ({ name: node.name, roles: node.roles, reachable: !observations.get(node.name)!.connect })),
    rows,
    warnings,
  };
}
