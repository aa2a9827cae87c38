import type { ParseResult, ParseWarning } from './types';
import { addWarning, splitLines } from './lines';

export type KeepalivedStateValue = 'primary' | 'master' | 'backup' | 'fault' | 'unknown';

/**
 * Content of ha_confs/<router>/state (ground-truth §2e'): "primary"/"backup" since Victoria,
 * "master"/"backup" before. Anything else — empty, several words, garbage — is "unknown" plus a warning.
 */
export function parseKeepalivedState(text: string): ParseResult<KeepalivedStateValue> {
  const warnings: ParseWarning[] = [];
  const lines = splitLines(text);
  const nonEmpty = lines.map((l, i) => ({ t: l.trim(), line: i + 1 })).filter((x) => x.t !== '');
  if (nonEmpty.length === 0) {
    addWarning(warnings, 1, 'empty state file');
    return { value: 'unknown', warnings };
  }
  for (const extra of nonEmpty.slice(1)) addWarning(warnings, extra.line, 'extra line in state file', extra.t);
  const s = nonEmpty[0].t.toLowerCase();
  if (s === 'primary' || s === 'master' || s === 'backup' || s === 'fault' || s === 'unknown') return { value: s, warnings };
  addWarning(warnings, nonEmpty[0].line, 'unknown keepalived state', nonEmpty[0].t);
  return { value: 'unknown', warnings };
}
