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
  /** `lp<number>` for a fault that reproduces a §7 row (issue 12); older faults keep their first name */
  name: string;
  /** other names `lab fault`/`lab heal` accept (issue 12: the bug name of an old fault, or its old name) */
  aliases?: string[];
  /** what the lab needs for it, when not every profile can (e.g. `--extras`, a DVR profile) */
  needs?: string;
  /** haprobe `run` check that must catch it (ids fixed by the lead, lab.md) */
  check: string;
  /** subject kind the finding names */
  subject: string;
  /** other haprobe verdicts that must see it */
  also?: string;
  description: string;
  /**
   * the ground-truth §7 row it reproduces, the bug references the check's finding carries, and
   * whether the lab reproduces the bug's mechanism or only its symptom on the nodes ('not-held': the
   * lab's own software undoes the state, the fault refuses and the row does not count)
   */
  bug?: { row: number; refs: string[]; how?: 'mechanism' | 'symptom' | 'not-held' };
  apply(ctx: FaultCtx): Promise<LabFaultRecord>;
  heal(ctx: FaultCtx, rec: LabFaultRecord): Promise<void>;
}

/** one row of `haprobe lab faults` (issue 12): fault → §7 row → bug → check that must catch it */
export interface FaultListing {
  name: string;
  aliases: string[];
  row?: number;
  bugs: string[];
  check: string;
  subject: string;
  how?: 'mechanism' | 'symptom' | 'not-held';
  needs?: string;
  also?: string;
  description: string;
}

export function holderOf(ctx: FaultCtx, node: string): number {
  const n = ctx.state.nodes[node];
  if (!n?.holderPid) throw new HaprobeError('usage', `unknown lab node ${node}`);
  return n.holderPid;
}

export function record(spec: Pick<FaultSpec, 'name' | 'check'>, subject: string, node: string | undefined, undo: LabFaultRecord['undo']): LabFaultRecord {
  return { name: spec.name, node, subject, check: spec.check, appliedAt: new Date().toISOString(), undo };
}

