import type { RunResult } from '../result/run-result';

/** The run file format itself (validated by reports/run-result.schema.json); ends with a newline. */
export function renderJson(result: RunResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
