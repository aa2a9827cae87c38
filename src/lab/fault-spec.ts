import { HaprobeError } from '../errors';
import type { LabFaultRecord, LabPaths, LabPlan, LabState } from './types';

/** what a fault handler gets (the registry's types, apart so fault files can share them) */
export interface FaultCtx {
  plan: LabPlan;
  state: LabState;
  paths: LabPaths;
  stateDir: string;
  /** optional node override from the command line */
  node?: string;
}

export interface FaultSpec {
  name: string;
  /** haprobe `run` check that must catch it (ids fixed by the lead, lab.md) */
  check: string;
  /** subject kind the finding names */
  subject: string;
  /** other haprobe verdicts that must see it */
  also?: string;
  description: string;
  /** the ground-truth §7 row it reproduces and the bug references the check's finding carries */
  bug?: { row: number; refs: string[] };
  apply(ctx: FaultCtx): Promise<LabFaultRecord>;
  heal(ctx: FaultCtx, rec: LabFaultRecord): Promise<void>;
}

export function holderOf(ctx: FaultCtx, node: string): number {
  const n = ctx.state.nodes[node];
  if (!n?.holderPid) throw new HaprobeError('usage', `unknown lab node ${node}`);
  return n.holderPid;
}

export function record(spec: Pick<FaultSpec, 'name' | 'check'>, subject: string, node: string | undefined, undo: LabFaultRecord['undo']): LabFaultRecord {
  return { name: spec.name, node, subject, check: spec.check, appliedAt: new Date().toISOString(), undo };
}

