import type { ParseWarning } from './types';
import { addWarning } from './lines';
import { decodeOvsdbValue } from './decode-ovsdb-value';
import type { OvsdbValue } from './decode-ovsdb-value';

export type OvsdbRow = Record<string, OvsdbValue>;

/**
 * One `ovn-nbctl|ovn-sbctl|ovs-vsctl --format=json --data=json -- list A -- list B …` output: one
 * JSON document `{"headings": [...], "data": [[...]]}` per listed table, one per line, in the
 * order of `tables`. Total: a line that is not such a document, or a missing table, becomes a
 * warning (1-based line number) and that table reads as absent (undefined), never as empty.
 */
export function readOvsdbTables(text: string, tables: readonly string[], warnings: ParseWarning[]): Record<string, OvsdbRow[] | undefined> {
  const out: Record<string, OvsdbRow[] | undefined> = {};
  const lines = text.split('\n');
  let t = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (t >= tables.length) {
      addWarning(warnings, i + 1, 'more JSON documents than tables listed', line.slice(0, 120));
      continue;
    }
    const table = tables[t++];
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch (e) {
      addWarning(warnings, i + 1, `${table}: not JSON (${e instanceof Error ? e.message : String(e)})`, line.slice(0, 120));
      continue;
    }
    const d = doc as { headings?: unknown; data?: unknown } | null;
    if (!d || !Array.isArray(d.headings) || !Array.isArray(d.data)) {
      addWarning(warnings, i + 1, `${table}: expected {"headings": [...], "data": [...]}`);
      continue;
    }
    const headings = d.headings.map(String);
    const rows: OvsdbRow[] = [];
    d.data.forEach((cells, idx) => {
      if (!Array.isArray(cells) || cells.length !== headings.length) {
        addWarning(warnings, i + 1, `${table}: row ${idx} does not match the headings`);
        return;
      }
      const row: OvsdbRow = {};
      headings.forEach((h, k) => (row[h] = decodeOvsdbValue(cells[k])));
      rows.push(row);
    });
    out[table] = rows;
  }
  for (const table of tables.slice(t)) addWarning(warnings, lines.length, `${table}: not in the output`);
  return out;
}

/** a string column ("" when absent or not a string) */
export function str(v: OvsdbValue | undefined): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  return '';
}

/** an optional string column (set of 0 or 1) */
export function optStr(v: OvsdbValue | undefined): string | undefined {
  const s = str(v);
  return s === '' ? undefined : s;
}

export function strList(v: OvsdbValue | undefined): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

export function optBool(v: OvsdbValue | undefined): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'boolean') return v[0];
  return undefined;
}

export function num(v: OvsdbValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return v[0];
  return undefined;
}

export function strMap(v: OvsdbValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (v !== undefined && v !== null && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

/** highest priority first; ties by chassis name (stable output) */
export function byPriorityDesc(a: { priority: number; chassis: string }, b: { priority: number; chassis: string }): number {
  return b.priority - a.priority || (a.chassis < b.chassis ? -1 : a.chassis > b.chassis ? 1 : 0);
}
