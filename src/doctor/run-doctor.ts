import type { Inventory, InventoryNode } from '../inventory/types';
import { DEADLINE, formatSeconds, raceDeadline } from '../deadline';
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
  /**
   * whole budget of one node (connect, sudo, probe, clock), ms (issue 10): past it the node is
   * answered with what was learnt so far, the step that was running named as timed out, its
   * connection closed; the other nodes go on. Default: none (each step's own timeout).
   */
  deadlineMs?: number;
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
  const observe = async (node: InventoryNode, o: NodeObservation, step: { now: DoctorStep; gaveUp?: boolean }): Promise<NodeObservation> => {
    const t = opts.transportFor(node);
    o.connect = await t.connect();
    if (o.connect) return o;
    let sudoWorks = false;
    if (node.sudo && node.user !== 'root') {
      step.now = 'sudo';
      const r = await t.exec('true', { sudo: true, timeoutMs: 15_000 });
      o.sudo = { failure: r.failure, exitCode: r.exitCode, stderr: r.stderr };
      sudoWorks = !r.failure && r.exitCode === 0;
    }
    step.now = 'probe';
    const r = await t.exec('sh -s', { stdin: script, sudo: sudoWorks, timeoutMs });
    const parsed = parseDoctorProbe(r.stdout);
    o.probe = { parsed: parsed.value, failure: r.failure };
    if (!step.gaveUp) warnings.push(...parsed.warnings.map((w) => ({ node: node.name, ...w })));
    // `date` needs no root: measured as the login user, also when sudo is broken
    step.now = 'clock';
    const asUser: Transport = { node: t.node, connect: () => t.connect(), exec: (c, eo) => t.exec(c, { ...eo, sudo: false }), stream: (c, so) => t.stream(c, so), close: () => t.close() };
    o.clock = await measureClockOffset({ node: node.name, transport: asUser });
    return o;
  };
  const warnings: DoctorReport['warnings'] = [];
  const observations = new Map<string, NodeObservation>();
  const queue = [...opts.nodes];
  const worker = async (): Promise<void> => {
    for (let node = queue.shift(); node; node = queue.shift()) {
      const seen: NodeObservation = {
        node,
        hostKeysUnchecked: opts.inventory.knownHosts === false,
        knownHostsFile: opts.inventory.knownHosts === false ? undefined : opts.inventory.knownHosts,
        statePath,
      };
      const step: { now: DoctorStep; gaveUp?: boolean } = { now: 'connect' };
      const started = Date.now();
      const observed = observe(node, seen, step).catch((err: unknown): NodeObservation => ({
        node, hostKeysUnchecked: false, statePath, connect: { reason: 'unreachable', message: `doctor: ${(err as Error).message}` },
      }));
      let o = opts.deadlineMs === undefined ? await observed : await raceDeadline(observed, opts.deadlineMs);
      if (o === DEADLINE) {
        step.gaveUp = true;
        void opts.transportFor(node).close();
        o = answerLate({ ...seen }, step.now, opts.deadlineMs!, Date.now() - started);
      }
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

/** what a node's doctor was doing when its deadline passed */
export type DoctorStep = 'connect' | 'sudo' | 'probe' | 'clock';

/**
 * Pure: a node whose deadline passed keeps what was learnt; the step that was running is a
 * timeout naming the budget (connect: the ssh row fails; probe: the tool rows skip with it;
 * clock: the clock row skips with it). Never a pass for what was not seen.
 */
export function answerLate(o: NodeObservation, step: DoctorStep, deadlineMs: number, elapsedMs: number): NodeObservation {
  const what = {
    connect: 'no SSH session yet (TCP connect, key exchange or authentication did not finish)',
    sudo: '`sudo -n true` had not answered',
    probe: 'the probe script was still running',
    clock: 'the clock was being sampled',
  }[step];
  const message = `node ${o.node.name}: per-node deadline of ${formatSeconds(deadlineMs)} passed after ${formatSeconds(elapsedMs)}: ${what}; the other nodes were checked (--node-deadline)`;
  if (step === 'connect') return { ...o, connect: { reason: 'timeout', message } };
  if (step === 'sudo') return { ...o, sudo: { failure: { reason: 'timeout', message }, exitCode: null, stderr: '' } };
  if (step === 'probe') return { ...o, probe: { parsed: { sections: new Map() }, failure: { reason: 'timeout', message } } };
  return { ...o, clock: { node: o.node.name, offsetMs: 0, uncertaintyMs: 0, rttMs: 0, samples: 0, error: message } };
}
