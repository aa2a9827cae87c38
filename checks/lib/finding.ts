import type { Check, CheckOutcome, Finding, Severity, Subject } from '../../src/engine/types';

export interface FindingInput {
  message: string;
  expected?: string;
  actual?: string;
  evidence?: string[];
  /** overrides the check's default severity (e.g. split brain is critical) */
  severity?: Severity;
}

/** Stable key of a subject: the same fields in the same order give the same key. */
export function subjectKey(subject: Subject): string {
  const keys = ['node', 'namespace', 'router', 'floatingIp', 'device', 'port'] as const;
  return keys.map((k) => `${k}=${subject[k] ?? ''}`).join('|');
}

/**
 * Collects the subjects a check looked at and its findings. Findings reuse the subject
 * object recorded in `subjects`, so the engine can match pass rows to failures by key.
 */
export interface OutcomeBuilder {
  /** records a subject as evaluated; returns the canonical subject object */
  look(subject: Subject): Subject;
  fail(subject: Subject, input: FindingInput): void;
  warn(subject: Subject, input: FindingInput): void;
  /** the check cannot judge this subject (unknown release, missing evidence): says why, never fails */
  skip(subject: Subject, input: FindingInput): void;
  /** judged fine, with something worth telling (a release's known quirk): verdict pass, severity info */
  note(subject: Subject, input: FindingInput): void;
  done(): CheckOutcome;
}

export function createOutcome(check: Pick<Check, 'id' | 'severity'>): OutcomeBuilder {
  const subjects = new Map<string, Subject>();
  const findings: Finding[] = [];

  const look = (subject: Subject): Subject => {
    const clean: Subject = {};
    for (const [k, v] of Object.entries(subject)) if (v !== undefined) (clean as Record<string, string>)[k] = v;
    const key = subjectKey(clean);
    const known = subjects.get(key);
    if (known) return known;
    subjects.set(key, clean);
    return clean;
  };

  const add = (verdict: 'fail' | 'warn' | 'skip' | 'pass', subject: Subject, input: FindingInput): void => {
    const finding: Finding = {
      checkId: check.id,
      severity: input.severity ?? (verdict === 'pass' ? 'info' : check.severity),
      verdict,
      subject: look(subject),
      message: input.message,
      evidence: [...new Set(input.evidence ?? [])],
    };
    if (input.expected !== undefined) finding.expected = input.expected;
    if (input.actual !== undefined) finding.actual = input.actual;
    findings.push(finding);
  };

  return {
    look,
    fail: (s, i) => add('fail', s, i),
    warn: (s, i) => add('warn', s, i),
    skip: (s, i) => add('skip', s, i),
    note: (s, i) => add('pass', s, i),
    done: () => ({ subjects: [...subjects.values()], findings }),
  };
}
