import type { Neighbour } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning, splitLines, splitWords, whyNotData } from './lines';

const STATES = new Set(['PERMANENT', 'NOARP', 'REACHABLE', 'STALE', 'NONE', 'INCOMPLETE', 'DELAY', 'PROBE', 'FAILED']);
const FLAG_WORDS = new Set(['proxy', 'extern_learn', 'offload', 'managed', 'extern_valid']);

/**
 * `ip neigh [show]` / `ip nei`: "IP dev X lladdr MAC [router] STATE". `ip -s neigh` adds
 * "ref N used a/b/c probes N". Several states are joined with ",".
 */
export function parseIpNeigh(text: string): ParseResult<Neighbour[]> {
  const warnings: ParseWarning[] = [];
  const value: Neighbour[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '') continue;
    const words = splitWords(t);
    if (!/^[0-9a-fA-F:.]+$/.test(words[0]) || !/[.:]/.test(words[0])) {
      addWarning(warnings, i + 1, whyNotData(t, 'not a neighbour line'), raw);
      continue;
    }
    const n: Neighbour = { ip: words[0] };
    const states: string[] = [];
    for (let j = 1; j < words.length; j++) {
      const w = words[j];
      if (w === 'dev' && j + 1 < words.length) n.dev = words[++j];
      else if (w === 'lladdr' && j + 1 < words.length) n.mac = words[++j].toLowerCase();
      else if (w === 'router') n.router = true;
      else if (STATES.has(w)) states.push(w);
      else if (FLAG_WORDS.has(w)) continue;
      else if ((w === 'ref' || w === 'used' || w === 'probes' || w === 'vlan' || w === 'protocol') && j + 1 < words.length) j++;
      else addWarning(warnings, i + 1, `unknown word in neighbour line: ${w}`, raw);
    }
    if (states.length > 0) n.state = states.join(',');
    value.push(n);
  }
  return { value, warnings };
}
