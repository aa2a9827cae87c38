import type { ErrorObject, ValidateFunction } from 'ajv';
import { FORMATS, describeFormat } from './formats';

/** The first thing wrong with a value: where (`routers[2].haVrId`) and what was expected. */
export interface Problem {
  path: string;
  message: string;
}

/**
 * Compile a JSON schema with haprobe's formats (formats.ts). The returned function is pure
 * (apart from filling `default`s into the value, as the loaders expect) and reports the first
 * problem only: one precise line is what an operator fixes, then runs again.
 */
export function compileValidator(schema: object, precompiled?: ValidateFunction): (data: unknown) => Problem | undefined {
  const validate: ValidateFunction = precompiled ?? newAjv().compile(schema);
  return (data) => {
    if (validate(data)) return undefined;
    const e = (validate.errors ?? [])[0];
    return e ? describeError(e, data) : { path: '(top)', message: 'invalid' };
  };
}

function describeError(e: ErrorObject, data: unknown): Problem {
  const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const value = segments.reduce<unknown>((v, s) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[s] : undefined), data);
  const p = e.params as Record<string, unknown>;
  const at = (extra?: string): string => toPath(extra === undefined ? segments : [...segments, extra]);
  switch (e.keyword) {
    case 'required':
      return { path: at(String(p.missingProperty)), message: `missing required field "${String(p.missingProperty)}"` };
    case 'additionalProperties':
      return { path: at(String(p.additionalProperty)), message: `unknown field "${String(p.additionalProperty)}"` };
    case 'propertyNames':
      return { path: at(String(p.propertyName)), message: `bad key "${String(p.propertyName)}"` };
    case 'format':
      return { path: at(), message: `expected ${describeFormat(String(p.format))}, got ${show(value)}` };
    case 'type':
      return { path: at(), message: `expected ${article(String(p.type))}, got ${kindOf(value)} ${show(value)}` };
    case 'enum':
      return { path: at(), message: `expected one of ${(p.allowedValues as unknown[]).join(', ')}, got ${show(value)}` };
    case 'const':
      return { path: at(), message: `expected ${JSON.stringify(p.allowedValue)}, got ${show(value)}` };
    case 'pattern':
      return { path: at(), message: `${show(value)} contains characters that are not allowed here (expected ${String(p.pattern)})` };
    default:
      return { path: at(), message: `${e.message ?? 'invalid'}, got ${show(value)}` };
  }
}

/** ["routers", "2", "haVrId"] → "routers[2].haVrId" */
export function toPath(segments: string[]): string {
  if (segments.length === 0) return '(top)';
  return segments.reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc === '' ? s : `${acc}.${s}`), '');
}

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : `a ${typeof v}`;
}

function article(type: string): string {
  const words: Record<string, string> = { array: 'a list', object: 'a mapping', string: 'a string', integer: 'a whole number', number: 'a number', boolean: 'true or false' };
  return words[type] ?? type;
}

/** ajv options of every facts-style validator; the build's precompiled ones use the same (scripts/build-validators.js) */
export const AJV_OPTIONS = { allErrors: false, useDefaults: true, strict: false } as const;

/** the formats as ajv takes them (also required by the precompiled validators' code) */
export const AJV_FORMATS = Object.fromEntries(Object.entries(FORMATS).map(([name, f]) => [name, { type: 'string' as const, validate: f.test }]));

/** an ajv instance with haprobe's formats; `code` is passed when the build generates standalone code */
export function newAjv(extra: Record<string, unknown> = {}): import('ajv').default {
  // ajv is loaded on the first compile, not at import (issue 10: commands that validate nothing pay nothing)
  const { default: Ajv } = require('ajv') as typeof import('ajv');
  const ajv = new Ajv({ ...AJV_OPTIONS, ...extra });
  for (const [name, f] of Object.entries(AJV_FORMATS)) ajv.addFormat(name, f);
  return ajv;
}
