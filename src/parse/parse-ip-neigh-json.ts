import type { Neighbour } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning } from './lines';
import { parseJsonArray, previewJson, str } from './parse-json-array';

/** `ip -j neigh`: {"dst","dev","lladdr","router":null?,"state":["STALE"]}; the "router" key's presence is the flag. */
export function parseIpNeighJson(text: string): ParseResult<Neighbour[]> {
  const warnings: ParseWarning[] = [];
  const value: Neighbour[] = [];
  parseJsonArray(text, warnings, 'ip -j neigh').forEach((o, idx) => {
    const ip = str(o.dst);
    if (ip === undefined) {
      addWarning(warnings, 1, `ip -j neigh: element ${idx} has no dst`, previewJson(o));
      return;
    }
    const n: Neighbour = { ip };
    const dev = str(o.dev);
    if (dev !== undefined) n.dev = dev;
    const mac = str(o.lladdr);
    if (mac !== undefined) n.mac = mac.toLowerCase();
    if (Array.isArray(o.state)) {
      const s = o.state.filter((x): x is string => typeof x === 'string');
      if (s.length > 0) n.state = s.join(',');
    } else if (typeof o.state === 'string') n.state = o.state;
    if ('router' in o) n.router = true;
    value.push(n);
  });
  return { value, warnings };
}
