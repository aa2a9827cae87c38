import { HaprobeError } from '../errors';
import type { HaMode } from '../model/facts';
import type { GarpEventExpectation, ProfileCheckEntry, ProfileDoc, RoleExpectation } from './types';

/**
 * Validates one parsed profile (or site override) document by hand, so every error names
 * the file and the exact field ("profiles/x.yaml: checks[3].id"). Pure.
 */
const TOP_KEYS = ['id', 'title', 'description', 'seed', 'abstract', 'extends', 'haMode', 'release', 'params', 'roles', 'garp', 'checks'];
const HA_MODES: HaMode[] = ['legacy', 'ha', 'dvr', 'dvr-ha'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ValidateOptions {
  /** known check ids (checks/index.ts) */
  checkIds: readonly string[];
  /** an override file may omit id/title */
  partial?: boolean;
}

export function validateProfileDoc(raw: unknown, file: string, opts: ValidateOptions): ProfileDoc {
  const fail = (field: string, msg: string, hint?: string): never => {
    throw new HaprobeError('profile', msg, { where: field ? `${file}: ${field}` : file, hint });
  };
  if (raw === null || raw === undefined) fail('', 'the profile file is empty');
  if (!isObject(raw)) return fail('', 'a profile must be a YAML mapping');
  for (const k of Object.keys(raw)) if (!TOP_KEYS.includes(k)) fail(k, `unknown field "${k}"`, `allowed: ${TOP_KEYS.join(', ')}`);

  const str = (k: string, required: boolean): string | undefined => {
    const v = raw[k];
    if (v === undefined) return required ? fail(k, `missing required field "${k}"`) : undefined;
    if (typeof v !== 'string' || v.trim() === '') return fail(k, `"${k}" must be a non-empty string`);
    return v;
  };
  const doc: ProfileDoc = {};
  const id = str('id', !opts.partial);
  if (id !== undefined) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) fail('id', `invalid profile id "${id}"`, 'lower-case letters, digits and dashes');
    doc.id = id;
  }
  const title = str('title', !opts.partial);
  if (title !== undefined) doc.title = title;
  for (const k of ['description', 'seed', 'extends', 'release'] as const) {
    const v = str(k, false);
    if (v !== undefined) doc[k] = v;
  }
  if (raw['abstract'] !== undefined) {
    if (typeof raw['abstract'] !== 'boolean') fail('abstract', '"abstract" must be true or false');
    doc.abstract = raw['abstract'] as boolean;
  }
  if (raw['haMode'] !== undefined) {
    if (!HA_MODES.includes(raw['haMode'] as HaMode)) fail('haMode', `invalid haMode "${String(raw['haMode'])}"`, `one of ${HA_MODES.join(', ')}`);
    doc.haMode = raw['haMode'] as HaMode;
  }
  if (raw['params'] !== undefined) {
    if (!isObject(raw['params'])) fail('params', '"params" must be a mapping');
    doc.params = raw['params'] as Record<string, unknown>;
  }
  if (raw['roles'] !== undefined) {
    if (!isObject(raw['roles'])) fail('roles', '"roles" must be a mapping of role → {forbid, expect}');
    const roles: Record<string, RoleExpectation> = {};
    for (const [role, v] of Object.entries(raw['roles'] as Record<string, unknown>)) {
      if (!['controller', 'network', 'compute', 'gateway'].includes(role)) fail(`roles.${role}`, `unknown role "${role}"`, 'controller, network, compute, gateway');
      if (!isObject(v)) return fail(`roles.${role}`, 'must be a mapping with forbid / expect lists');
      const e: RoleExpectation = {};
      for (const k of Object.keys(v)) {
        if (k !== 'forbid' && k !== 'expect') fail(`roles.${role}.${k}`, `unknown field "${k}"`, 'forbid, expect');
        const list = v[k];
        if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) fail(`roles.${role}.${k}`, 'must be a list of namespace prefixes');
        e[k as 'forbid' | 'expect'] = list as string[];
      }
      roles[role] = e;
    }
    doc.roles = roles;
  }
  if (raw['garp'] !== undefined) {
    const g = raw['garp'];
    if (!isObject(g)) return fail('garp', '"garp" must be a mapping');
    doc.garp = {};
    for (const k of Object.keys(g)) if (k !== 'events' && k !== 'failoverBudgetSeconds') fail(`garp.${k}`, `unknown field "${k}"`, 'events, failoverBudgetSeconds');
    if (g['failoverBudgetSeconds'] !== undefined) {
      const b = g['failoverBudgetSeconds'];
      if (typeof b !== 'number' || !(b > 0)) fail('garp.failoverBudgetSeconds', 'must be a positive number of seconds');
      doc.garp.failoverBudgetSeconds = b as number;
    }
    if (g['events'] !== undefined) {
      if (!isObject(g['events'])) fail('garp.events', 'must be a mapping of event → expectation');
      const events: Record<string, GarpEventExpectation> = {};
      for (const [ev, v] of Object.entries(g['events'] as Record<string, unknown>)) {
        if (!isObject(v) || typeof v['pattern'] !== 'string') return fail(`garp.events.${ev}`, 'must be a mapping with a "pattern" string');
        events[ev] = v as unknown as GarpEventExpectation;
      }
      doc.garp.events = events;
    }
  }
  if (raw['checks'] !== undefined) {
    const list = raw['checks'];
    if (!Array.isArray(list)) return fail('checks', '"checks" must be a list of {id, params}');
    const seen = new Set<string>();
    doc.checks = list.map((c, i): ProfileCheckEntry => {
      const at = `checks[${i}]`;
      const entry = typeof c === 'string' ? { id: c } : c;
      if (!isObject(entry)) return fail(at, 'must be a check id or a mapping {id, params, enabled}');
      for (const k of Object.keys(entry)) if (!['id', 'params', 'enabled'].includes(k)) fail(`${at}.${k}`, `unknown field "${k}"`, 'id, params, enabled');
      const cid = entry['id'];
      if (typeof cid !== 'string') return fail(`${at}.id`, 'missing check id');
      if (!opts.checkIds.includes(cid)) fail(`${at}.id`, `unknown check "${cid}"`, `known checks: ${opts.checkIds.join(', ')}`);
      if (seen.has(cid)) fail(`${at}.id`, `check "${cid}" is listed twice`);
      seen.add(cid);
      const out: ProfileCheckEntry = { id: cid };
      if (entry['params'] !== undefined) {
        if (!isObject(entry['params'])) fail(`${at}.params`, '"params" must be a mapping');
        out.params = entry['params'] as Record<string, unknown>;
      }
      if (entry['enabled'] !== undefined) {
        if (typeof entry['enabled'] !== 'boolean') fail(`${at}.enabled`, '"enabled" must be true or false');
        out.enabled = entry['enabled'] as boolean;
      }
      return out;
    });
  }
  return doc;
}
