import type { ParseResult, ParseWarning } from './types';

/** One row of `ovs-vsctl list interface` (the text table sos saves): the columns `where` reads. */
export interface OvsListedInterface {
  name: string;
  macInUse?: string;
  ofport?: number;
  externalIds: Record<string, string>;
}

/**
 * `ovs-vsctl list interface` text: records separated by blank lines, each line `column : value`;
 * strings quoted when they need it, maps as `{k=v, k2="v 2"}`. Pure and total: a line that is no
 * `column : value` is a warning with its number. Only name, mac_in_use, ofport and external_ids
 * are kept (the OVSDB JSON path, parse-ovs-db-json.ts, is what the live collector uses).
 */
export function parseOvsListInterface(text: string): ParseResult<OvsListedInterface[]> {
  const value: OvsListedInterface[] = [];
  const warnings: ParseWarning[] = [];
  let cur: Partial<OvsListedInterface> & { externalIds: Record<string, string> } = { externalIds: {} };
  const flush = (): void => {
    if (cur.name !== undefined) value.push({ name: cur.name, externalIds: cur.externalIds, ...(cur.macInUse ? { macInUse: cur.macInUse } : {}), ...(cur.ofport !== undefined ? { ofport: cur.ofport } : {}) });
    cur = { externalIds: {} };
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') {
      flush();
      continue;
    }
    const m = /^([a-z_]+)\s*:\s?(.*)$/.exec(line);
    if (!m) {
      warnings.push({ line: i + 1, message: 'not a `column : value` line', text: line.slice(0, 200) });
      continue;
    }
    const [, col, raw] = m;
    if (col === 'name') cur.name = unquote(raw.trim());
    else if (col === 'mac_in_use') cur.macInUse = unquote(raw.trim()).toLowerCase() || undefined;
    else if (col === 'ofport' && /^-?\d+$/.test(raw.trim())) cur.ofport = Number(raw.trim());
    else if (col === 'external_ids') cur.externalIds = parseMap(raw.trim());
  }
  flush();
  return { value, warnings };
}

function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') && s.length >= 2 ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s;
}

/** `{attached-mac="fa:16:3e:…", iface-id="…", iface-status=active}` → record */
function parseMap(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!s.startsWith('{') || !s.endsWith('}')) return out;
  const re = /([^=,\s{}]+)=("(?:[^"\\]|\\.)*"|[^,}]*)/g;
  for (const m of s.slice(1, -1).matchAll(re)) out[m[1]] = unquote(m[2].trim());
  return out;
}
