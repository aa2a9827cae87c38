import type { Finding, Subject } from '../engine/types';
import { formatSubject } from './format-subject';
import { matchGlob } from './match-glob';
import type { RunResult, WaiverOutcome } from '../result/run-result';
import { summarizeResult } from '../result/summarize-result';
import type { Waiver } from './waiver';

/**
 * Marks the findings waivers cover as `waived` and recomputes summary and verdict. Pure: returns a
 * new RunResult; marks from an earlier application are dropped first, so re-applying a newer
 * waivers file to an old run file gives the answer of today.
 *
 * - a waiver covers non-passing findings of its check whose subject matches; the first waiver
 *   in file order that covers a finding is the one recorded on it;
 * - `now` on or after `expires` (00:00 UTC that day): the waiver waives nothing and is reported
 *   as expired ("expired on …"), with the findings it would have covered;
 * - a live waiver that covers nothing is reported as unmatched (it is probably stale).
 */
export function applyWaivers(result: RunResult, waivers: Waiver[], now: Date): RunResult {
  const findings: Finding[] = result.findings.map(({ waived: _dropped, ...f }) => ({ ...f }));
  const details: WaiverOutcome[] = waivers.map((w) => {
    const matched = findings.flatMap((f, i) => (waiverCovers(w, f) ? [i] : []));
    const expired = isExpired(w, now);
    if (!expired) {
      for (const i of matched) {
        if (!findings[i].waived) findings[i].waived = { justification: w.justification, expires: w.expires, waiverId: w.id };
      }
    }
    const status: WaiverOutcome['status'] = expired ? 'expired' : matched.length > 0 ? 'applied' : 'unmatched';
    return {
      waiverId: w.id,
      check: w.check,
      subject: describeSubjectPattern(w.subject),
      justification: w.justification,
      expires: w.expires,
      ...(w.owner ? { owner: w.owner } : {}),
      status,
      findingIndexes: matched,
      note: noteFor(status, w, matched.length),
    };
  });
  const next: RunResult = {
    ...result,
    findings,
    waivers: {
      applied: details.filter((d) => d.status === 'applied').map((d) => d.waiverId),
      expired: details.filter((d) => d.status === 'expired').map((d) => d.waiverId),
      unmatched: details.filter((d) => d.status === 'unmatched').map((d) => d.waiverId),
      details,
    },
  };
  return { ...next, ...summarizeResult(next) };
}

export function waiverCovers(waiver: Waiver, finding: Finding): boolean {
  if (finding.verdict === 'pass' || finding.verdict === 'skip') return false;
  if (!matchGlob(waiver.check, finding.checkId)) return false;
  return subjectMatches(waiver.subject, finding.subject);
}

export function subjectMatches(pattern: Waiver['subject'], subject: Subject): boolean {
  if (typeof pattern === 'string') return matchGlob(pattern, formatSubject(subject), '/');
  return Object.entries(pattern).every(([field, glob]) => {
    const value = subject[field as keyof Subject];
    return value !== undefined && glob !== undefined && matchGlob(glob, value);
  });
}

/** expires is the first day the waiver no longer applies (UTC) */
export function isExpired(waiver: Pick<Waiver, 'expires'>, now: Date): boolean {
  return now.getTime() >= Date.parse(`${waiver.expires}T00:00:00Z`);
}

/** Lines for the operator after a run: expired and unmatched waivers (applied ones are quiet). */
export function describeWaiverOutcomes(result: RunResult): string[] {
  return (result.waivers?.details ?? [])
    .filter((d) => d.status !== 'applied')
    .map((d) => `waiver ${d.waiverId} (check ${d.check}, subject ${d.subject}): ${d.note ?? d.status}`);
}

function describeSubjectPattern(pattern: Waiver['subject']): string {
  if (typeof pattern === 'string') return pattern;
  return Object.entries(pattern)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function noteFor(status: WaiverOutcome['status'], w: Waiver, matched: number): string {
  if (status === 'expired') {
    return `expired on ${w.expires}` + (matched > 0 ? `: ${matched} finding${matched === 1 ? '' : 's'} no longer waived by it` : '');
  }
  if (status === 'unmatched') return 'matched no finding';
  return `waives ${matched} finding${matched === 1 ? '' : 's'} until ${w.expires}`;
}
