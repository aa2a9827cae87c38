import type { HaproxyStatRow } from '../model/types';
import type { ParseResult, ParseWarning } from './types';

/**
 * `echo "show stat" | socat stdio <admin socket>`: a header line `# pxname,svname,…` then one CSV
 * line per frontend/backend/server. Columns are found by name in the header (their number grew
 * across haproxy versions). Pure and total: no header → no rows and a warning.
 */
export function parseHaproxyStat(text: string): ParseResult<HaproxyStatRow[]> {
  const warnings: ParseWarning[] = [];
  const rows: HaproxyStatRow[] = [];
  const lines = text.split('\n');
  const headerAt = lines.findIndex((l) => l.startsWith('# '));
  if (headerAt < 0) {
    if (text.trim() !== '') warnings.push({ line: 1, message: 'haproxy show stat: no "# pxname,svname,…" header', text: lines[0] });
    return { value: rows, warnings };
  }
  const cols = lines[headerAt].slice(2).split(',');
  const at = (name: string): number => cols.indexOf(name);
  const [px, sv, st, cs, ad] = ['pxname', 'svname', 'status', 'check_status', 'addr'].map(at);
  if (px < 0 || sv < 0 || st < 0) {
    warnings.push({ line: headerAt + 1, message: 'haproxy show stat: header without pxname/svname/status', text: lines[headerAt] });
    return { value: rows, warnings };
  }
  for (let i = headerAt + 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const f = line.split(',');
    if (f.length <= Math.max(px, sv, st)) {
      warnings.push({ line: i + 1, message: 'haproxy show stat: short line', text: line });
      continue;
    }
    rows.push({ proxy: f[px], server: f[sv], status: f[st], checkStatus: cs >= 0 ? (f[cs] ?? '') : '', addr: ad >= 0 ? (f[ad] ?? '') : '' });
  }
  return { value: rows, warnings };
}
