import type { Neighbour } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning, splitLines, splitWords, whyNotData } from './lines';

/**
 * `arp -n` (net-tools): "Address HWtype HWaddress Flags Mask Iface". arp does not know NUD
 * states: flag M (permanent) → state PERMANENT, "(incomplete)" → INCOMPLETE, otherwise no state.
 */
export function parseArpN(text: string): ParseResult<Neighbour[]> {
  const warnings: ParseWarning[] = [];
  const value: Neighbour[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '' || /^Address\s+HWtype/.test(t)) continue;
    const w = splitWords(t);
    if (!/^[0-9a-fA-F:.]+$/.test(w[0]) || !/[.:]/.test(w[0])) {
      addWarning(warnings, i + 1, whyNotData(t, 'not an arp line'), raw);
      continue;
    }
    if (w[1] === '(incomplete)') {
      const n: Neighbour = { ip: w[0], state: 'INCOMPLETE' };
      if (w.length > 2) n.dev = w[w.length - 1];
      value.push(n);
      continue;
    }
    if (w.length < 4 || !/^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(w[2])) {
      addWarning(warnings, i + 1, 'arp line without hardware address', raw);
      continue;
    }
    const n: Neighbour = { ip: w[0], mac: w[2].toLowerCase(), dev: w[w.length - 1] };
    // Flags column (C, M, P, CM …) sits right after HWaddress; Mask is optional
    if (w.length >= 5 && /^[CMP]+$/.test(w[3]) && w[3].includes('M')) n.state = 'PERMANENT';
    value.push(n);
  }
  return { value, warnings };
}
