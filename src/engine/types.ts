import type { Facts } from '../model/facts';
import type { NodeSnapshot } from '../model/types';

export type Severity = 'critical' | 'major' | 'minor' | 'info';
export type Verdict = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

/** What a finding is about: the most specific of these that apply are set. */
export interface Subject {
  node?: string;
  namespace?: string;
  router?: string;
  floatingIp?: string;
  device?: string;
  port?: string;
}

export interface Finding {
  checkId: string;
  severity: Severity;
  verdict: Verdict;
  subject: Subject;
  /** one line an operator reads first */
  message: string;
  expected?: string;
  actual?: string;
  /** evidence ids (see NodeSnapshot.evidence / RunResult.evidence) */
  evidence: string[];
  /** set by the waiver step */
  waived?: { justification: string; expires: string; waiverId: string };
}

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
