/**
 * The result vocabulary: what a check says about one subject. The bottom of the result layer
 * (issue 14): the engine produces these, the report renders them, garp builds them; none of them
 * imports another for these types.
 */
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
