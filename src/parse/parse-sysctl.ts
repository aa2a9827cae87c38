import type { ParseResult, ParseWarning } from './types';
import { addWarning, splitLines, whyNotData } from './lines';

/**
 * `sysctl -a` / `sysctl key…` / the collector's "key = value" dump. Keys use dots; a key seen
 * twice keeps its last value. Error lines ("sysctl: permission denied on key …") are warnings.
 */
export function parseSysctl(text: string): ParseResult<Record<string, string>> {
  const warnings: ParseWarning[] = [];
  const value: Record<string, string> = {};
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '') continue;
    const m = /^([A-Za-z0-9_][\w.\-/:@+]*)\s*=\s?(.*)$/.exec(t);
    if (m && !t.startsWith('sysctl:')) {
      value[m[1]] = m[2].trim();
      continue;
    }
    const why = whyNotData(t, 'not a sysctl line');
    addWarning(warnings, i + 1, why, raw);
  }
  return { value, warnings };
}
