import type { ParseResult, ParseWarning } from './types';
import { addWarning, splitLines, splitWords, whyNotData } from './lines';

export interface FdbEntry {
  /** OpenFlow port number as printed ("1", "LOCAL") */
  port: string;
  vlan: number;
  /** lower-case MAC */
  mac: string;
  /** seconds as printed, or "static" for fdb/add entries */
  age: string;
}

/** `ovs-appctl fdb/show BR`: " port  VLAN  MAC                Age" then one row per entry. */
export function parseOvsAppctlFdbShow(text: string): ParseResult<FdbEntry[]> {
  const warnings: ParseWarning[] = [];
  const value: FdbEntry[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '' || /^port\s+VLAN\s+MAC\s+Age$/i.test(t)) continue;
    const w = splitWords(t);
    if (w.length === 4 && /^\d+$/.test(w[1]) && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(w[2])) {
      value.push({ port: w[0], vlan: Number(w[1]), mac: w[2].toLowerCase(), age: w[3] });
      continue;
    }
    const why = whyNotData(t, 'not an fdb row');
    addWarning(warnings, i + 1, why, raw);
  }
  return { value, warnings };
}
