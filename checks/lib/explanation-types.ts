/**
 * The shape of one `haprobe explain CHECK` entry. Its own file because explanations.ts gathers
 * the per-area tables (nova, OVN, multi-NIC) and those tables need the shape: with the type in
 * explanations.ts each of them imported back into the file that imports it.
 */
export interface FindingExplanation {
  verdict: 'fail' | 'warn' | 'skip' | 'note';
  finding: string;
  means: string;
  fix: string;
}

export interface CheckExplanation {
  /** the collected sections (evidence keys, see checks/lib/evidence.ts) and facts it reads */
  reads: string[];
  findings: FindingExplanation[];
}
