import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { HaprobeError } from '../errors';
import type { Facts } from './facts';
import { FACTS_DEFINITIONS, FACTS_SCHEMA, type FactsPartKind } from './facts-schema';
import { AJV_OPTIONS, compileValidator, type Problem } from './validate-schema';
import { loadPrecompiled } from './precompiled';
import { parseConfigYaml } from './parse-config-yaml';

export type { Problem } from './validate-schema';

/**
 * Read a facts file (JSON or YAML, the shape of Facts in facts.ts). Validation names the
 * file and the path of the first offending field; nothing is guessed.
 */
export function loadFacts(path: string): { facts: Facts; digest: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new HaprobeError('facts', `cannot read facts file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { where: path });
  }
  let data: unknown;
  if (/^\s*[{[]/.test(text)) {
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new HaprobeError('facts', `not valid JSON: ${(err as Error).message}`, { where: path });
    }
  } else {
    data = parseConfigYaml(text, 'facts', path);
  }
  const problem = validateFacts(data);
  if (problem) throw new HaprobeError('facts', problem.message, { where: `${path}: ${problem.path}` });
  return { facts: data as Facts, digest: createHash('sha256').update(text).digest('hex') };
}

// compiled on first use, not at import (issue 10: ajv compiles cost ~0.5 s of every CLI start, --version included)
let validateDocument: ((data: unknown) => Problem | undefined) | undefined;

/**
 * Validate a facts document against facts-schema.ts (types AND formats: UUIDs, IPs, CIDRs,
 * MACs, host names); returns the first problem found. Missing lists are filled in with [].
 * Issue 8: values from here reach remote command lines, so nothing unchecked gets through.
 */
export function validateFacts(data: unknown): Problem | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { path: '(top)', message: 'facts must be a mapping with routers, ports, floatingIps, instances, agents' };
  }
  validateDocument ??= compileValidator(FACTS_SCHEMA, loadPrecompiled('facts-validator', FACTS_SCHEMA, AJV_OPTIONS));
  return validateDocument(data);
}

const partValidators = new Map<FactsPartKind, (data: unknown) => Problem | undefined>();

/**
 * Validate one entity (a router, port, floating IP … as facts.ts shapes it), e.g. built from a
 * Neutron API answer: the same rules as the facts file, so `--cloud` values are held to them too.
 */
export function validateFactsPart(kind: FactsPartKind, value: unknown): Problem | undefined {
  let v = partValidators.get(kind);
  if (!v) {
    v = compileValidator({ $id: `haprobe-facts-${kind}`, $ref: `#/definitions/${kind}`, definitions: FACTS_DEFINITIONS });
    partValidators.set(kind, v);
  }
  return v(value);
}
