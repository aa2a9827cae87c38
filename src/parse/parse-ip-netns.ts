import type { ParseResult, ParseWarning } from './types';
import { addWarning, isElisionLine, splitLines, whyNotData } from './lines';

export interface NetnsEntry {
  name: string;
  /** the nsid ip netns prints as "(id: N)" when one is assigned */
  id?: number;
}

/**
 * `ip netns` / `ip netns list`: one namespace per line, newer iproute2 appends "(id: N)".
 * Names follow iproute2's rule (no '/', not "." or ".."); anything else is a warning.
 */
export function parseIpNetns(text: string): ParseResult<NetnsEntry[]> {
  const warnings: ParseWarning[] = [];
  const value: NetnsEntry[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '') continue;
    const m = /^([^\s/]+)(?:\s+\(id:\s*(\d+|unassigned)\))?$/.exec(t);
    if (m && !isElisionLine(t) && m[1] !== '.' && m[1] !== '..') {
      const entry: NetnsEntry = { name: m[1] };
      if (m[2] !== undefined && m[2] !== 'unassigned') entry.id = Number(m[2]);
      value.push(entry);
      continue;
    }
    const why = whyNotData(t, 'not a namespace line');
    addWarning(warnings, i + 1, why, lines[i]);
  }
  return { value, warnings };
}
