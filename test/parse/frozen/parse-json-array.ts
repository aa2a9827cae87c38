// FROZEN copy of src/parse/parse-json-array.ts as of 29934fa (before the issue 10 speed-up): the reference of
// test/parse/parser-speed-differential.test.ts. Do not edit; do not import from src/ code.
import type { ParseWarning } from '../../../src/parse/types';
import { addWarning } from './lines';

export type JsonObject = Record<string, unknown>;

/**
 * JSON.parse for `ip -j …` style output, total: returns the array of objects or [] plus a warning
 * with the line of the syntax error. Some iproute2 versions print several top-level arrays
 * (one per family, e.g. `ip -j route show table all` on 4.x): they are concatenated.
 */
export function parseJsonArray(text: string, warnings: ParseWarning[], what: string): JsonObject[] {
  if (typeof text !== 'string' || text.trim() === '') return [];
  const parsed = tryParse(text);
  if (parsed.ok) return toObjects(parsed.value, warnings, what);
  // "[...][...]" or "[...]\n[...]": split at "][" boundaries and retry
  const glued = `[${text.trim().replace(/\]\s*\[/g, '],[')}]`;
  const retry = tryParse(glued);
  if (retry.ok && Array.isArray(retry.value) && retry.value.every((v) => Array.isArray(v))) {
    return toObjects((retry.value as unknown[][]).flat(), warnings, what);
  }
  addWarning(warnings, lineOfError(text, parsed.error), `${what}: invalid JSON (${parsed.error})`);
  return [];
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

function toObjects(value: unknown, warnings: ParseWarning[], what: string): JsonObject[] {
  if (!Array.isArray(value)) {
    addWarning(warnings, 1, `${what}: expected a JSON array`);
    return [];
  }
  const out: JsonObject[] = [];
  value.forEach((v, i) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(v as JsonObject);
    else addWarning(warnings, 1, `${what}: element ${i} is not an object`);
  });
  return out;
}

/** Node ≤18 reports "at position N"; Node 20 quotes the text around the error instead. */
function lineOfError(text: string, error: string): number {
  let pos = -1;
  const m = /position (\d+)/.exec(error);
  if (m) pos = Number(m[1]);
  else if (/Unexpected end/.test(error)) pos = text.length;
  else {
    const ctx = /^Unexpected token '(.)', (?:\.\.\.)?"([\s\S]*)"(?:\.\.\.)? is not valid JSON$/.exec(error);
    if (ctx) {
      const at = text.indexOf(ctx[2]);
      if (at >= 0) pos = at + ctx[2].indexOf(ctx[1]);
    }
  }
  if (pos < 0) return 1;
  let line = 1;
  for (let i = 0; i < Math.min(pos, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** Deeper than any `ip -j` or OVSDB document; a preview shows "…" below it. */
const PREVIEW_DEPTH = 16;

/**
 * A short JSON rendering of a parsed value for a warning's text: at most `max` characters and
 * `PREVIEW_DEPTH` levels, built without recursing into what it does not print. JSON.stringify
 * recursed without limit: a deeply nested value in `ip -j route|rule|neigh` overflowed the stack
 * and the whole node was reported failed (issue 8).
 */
export function previewJson(value: unknown, max = 200): string {
  const parts: string[] = [];
  let length = 0;
  /** false once the budget is spent: callers stop walking */
  const put = (s: string): boolean => {
    parts.push(s);
    length += s.length;
    return length <= max;
  };
  const walk = (v: unknown, depth: number): boolean => {
    if (v !== null && typeof v === 'object') {
      if (depth >= PREVIEW_DEPTH) return put('…');
      if (Array.isArray(v)) {
        if (!put('[')) return false;
        for (let i = 0; i < v.length; i++) if ((i > 0 && !put(',')) || !walk(v[i], depth + 1)) return false;
        return put(']');
      }
      if (!put('{')) return false;
      const keys = Object.keys(v);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if ((i > 0 && !put(',')) || !put(`${JSON.stringify(key.length > max ? key.slice(0, max) : key)}:`)) return false;
        if (!walk((v as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return put('}');
    }
    if (typeof v === 'string') return put(JSON.stringify(v.length > max ? v.slice(0, max) : v));
    return put(typeof v === 'number' || typeof v === 'boolean' ? String(v) : 'null');
  };
  walk(value, 0);
  const text = parts.join('');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
