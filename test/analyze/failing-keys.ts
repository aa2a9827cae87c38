import { subjectKey } from '../../src/engine/evaluate';
import type { RunResult } from '../../src/report/result';

/** fail/error findings as comparable lines (check, subject, verdict), deduplicated and sorted: live run vs analyze */
export function failingKeys(result: RunResult): string[] {
  const keys = result.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'error').map((f) => `${f.checkId} ${subjectKey(f.subject)} ${f.verdict}`);
  return [...new Set(keys)].sort();
}
