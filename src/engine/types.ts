import type { Facts } from '../model/facts';
import type { NodeSnapshot } from '../model/types';

// the result vocabulary lives in the bottom layer src/result/ (engine, report, garp and checks share it)
export type { Severity, Verdict, Subject, Finding } from '../result/finding';
import type { Severity, Finding, Subject } from '../result/finding';

/** Snapshot of the whole cloud handed to checks. */
export interface CloudSnapshot {
  nodes: NodeSnapshot[];
  /** nodes that could not be read, with their reason */
  unreachable: { node: string; reason: string; message: string }[];
}

export interface CheckContext {
  snapshot: CloudSnapshot;
  /** absent when running on self-consistency only */
  facts?: Facts;
  /** parameters from the profile for this check */
  params: Record<string, unknown>;
  profileId: string;
}

export interface CheckReference {
  kind: 'seed' | 'bug' | 'doc' | 'code';
  /** "lp#1639315", "ground-truth §2e", seed file name … */
  ref: string;
}

export interface Check {
  id: string;
  title: string;
  /** one or two sentences: what it checks and why */
  description: string;
  severity: Severity;
  references: CheckReference[];
  /** returns only failures/warnings; the engine adds a pass per subject evaluated */
  evaluate(ctx: CheckContext): CheckOutcome;
}

export interface CheckOutcome {
  /** every subject the check looked at (for pass rows and JUnit testcases) */
  subjects: Subject[];
  findings: Finding[];
}
