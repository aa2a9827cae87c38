import type { Subject } from '../engine/types';

/** Per-field subject pattern: every field named must be present in the subject and match its glob. */
export type SubjectFieldPattern = Partial<Record<keyof Subject, string>>;

/**
 * One entry of a waivers file (README "Waivers"). A waiver waives the non-passing findings of
 * `check` whose subject matches `subject`, while the run day (UTC) is before `expires`.
 */
export interface Waiver {
  /** from the file, else "w<position from 1>" */
  id: string;
  /** check id; `*` globs allowed */
  check: string;
  /** glob on formatSubject(subject) ("*" within one part, "**" across "/"), or per-field globs */
  subject: string | SubjectFieldPattern;
  justification: string;
  /** YYYY-MM-DD: the first day (UTC) on which the waiver no longer waives */
  expires: string;
  owner?: string;
}
