import { readFileSync } from 'node:fs';
import { HaprobeError } from '../errors';
import { parseConfigYaml } from '../model/parse-config-yaml';
import type { SubjectFieldPattern, Waiver } from './waiver';

const SUBJECT_FIELDS = ['node', 'namespace', 'router', 'floatingIp', 'device', 'port'] as const;
const WAIVER_KEYS = ['id', 'check', 'subject', 'justification', 'expires', 'owner'];

/** Reads a waivers YAML file; every problem is a HaprobeError('waivers') naming file, index and field. */
export function loadWaivers(path: string): Waiver[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new HaprobeError('waivers', `cannot read waivers file (${code})`, { where: path, cause: err });
  }
  return parseWaivers(text, path);
}

/**
 * The pure half of loadWaivers. Accepts a top-level list or `{ waivers: [...] }`:
 *
 *   waivers:
 *     - id: W-7
 *       check: l3ha-single-primary
 *       subject: "net2/qrouter-5d2c*"        # or { node: net2, router: "5d2c*" }
 *       justification: net2 is being replaced, CHG-1234
 *       expires: 2024-07-01
 *       owner: netops
 */
export function parseWaivers(text: string, file: string): Waiver[] {
  const doc = parseConfigYaml(text, 'waivers', file);
  if (doc === null || doc === undefined) return [];
  const list = Array.isArray(doc) ? doc : isRecord(doc) && 'waivers' in doc ? doc.waivers : undefined;
  if (list === null) return [];
  if (!Array.isArray(list)) {
    throw new HaprobeError('waivers', 'expected a list of waivers (or a mapping with a "waivers" list)', { where: file });
  }
  const waivers = list.map((entry, i) => parseWaiver(entry, `${file}: waivers[${i}]`, i));
  const seen = new Map<string, number>();
  waivers.forEach((w, i) => {
    const first = seen.get(w.id);
    if (first !== undefined) {
      throw new HaprobeError('waivers', `duplicate id "${w.id}" (also waivers[${first}])`, { where: `${file}: waivers[${i}].id` });
    }
    seen.set(w.id, i);
  });
  return waivers;
}

function parseWaiver(entry: unknown, where: string, index: number): Waiver {
  if (!isRecord(entry)) throw new HaprobeError('waivers', 'a waiver must be a mapping', { where });
  for (const key of Object.keys(entry)) {
    if (!WAIVER_KEYS.includes(key)) {
      throw new HaprobeError('waivers', `unknown field "${key}" (known: ${WAIVER_KEYS.join(', ')})`, { where: `${where}.${key}` });
    }
  }
  const id = entry.id === undefined ? `w${index + 1}` : requireString(entry, 'id', where);
  // ids and check globs end up in run files, metrics labels and reports: plain words only (issue 8)
  if (!/^[A-Za-z0-9._:-]+$/.test(id)) throw new HaprobeError('waivers', `id "${id}" may only contain letters, digits, '.', '_', ':' and '-'`, { where: `${where}.id` });
  const check = requireString(entry, 'check', where);
  if (!/^[a-z0-9*?-]+$/.test(check)) throw new HaprobeError('waivers', `check "${check}" is not a check id or a glob of one (a-z, 0-9, '-', '*', '?')`, { where: `${where}.check` });
  const justification = requireString(entry, 'justification', where);
  const expires = parseDate(entry.expires, `${where}.expires`);
  const owner = entry.owner === undefined ? undefined : requireString(entry, 'owner', where);
  return { id, check, subject: parseSubjectPattern(entry.subject, `${where}.subject`), justification, expires, ...(owner ? { owner } : {}) };
}

function parseSubjectPattern(value: unknown, where: string): string | SubjectFieldPattern {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (isRecord(value)) {
    const pattern: SubjectFieldPattern = {};
    const keys = Object.keys(value);
    if (keys.length === 0) throw new HaprobeError('waivers', 'subject map is empty', { where });
    for (const key of keys) {
      const field = SUBJECT_FIELDS.find((f) => f === key);
      if (!field) {
        throw new HaprobeError('waivers', `unknown subject field "${key}" (known: ${SUBJECT_FIELDS.join(', ')})`, { where: `${where}.${key}` });
      }
      const v = value[key];
      if (typeof v !== 'string' && typeof v !== 'number') {
        throw new HaprobeError('waivers', 'must be a string (glob)', { where: `${where}.${key}` });
      }
      pattern[field] = String(v);
    }
    return pattern;
  }
  throw new HaprobeError('waivers', 'required: a glob on the subject string ("net1/qrouter-*/qg-*", "fip 203.0.113.*") or a map of fields', { where });
}

/** YAML 1.2 (the default here) keeps 2024-07-01 a string; a Date from a 1.1 schema is accepted too. */
function parseDate(value: unknown, where: string): string {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    throw new HaprobeError('waivers', 'required: a date YYYY-MM-DD (waivers must expire)', { where });
  }
  const d = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) {
    throw new HaprobeError('waivers', `not a calendar date: ${text}`, { where });
  }
  return text;
}

function requireString(entry: Record<string, unknown>, key: string, where: string): string {
  const v = entry[key];
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string' || v.trim() === '') {
    throw new HaprobeError('waivers', v === undefined ? 'required field is missing' : 'must be a non-empty string', { where: `${where}.${key}` });
  }
  return v.trim();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
