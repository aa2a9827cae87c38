import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';

/**
 * Validators the build compiled ahead of time (scripts/build-validators.js, ajv standalone
 * code next to this file in dist/). Compiling the facts and run-result schemas at run time cost
 * 0.1–0.2 s of every `run` on an idle machine and about 1 s each under load (issue 10: the whole
 * run's distance to the collection floor). A generated file carries the digest of the schema it was
 * made from; when the schema changed since (a plain `tsc` without the generation step), or the
 * file is missing, undefined is returned and the caller compiles as before: never a stale rule.
 */
export function schemaDigest(schema: unknown, options: unknown): string {
  return createHash('sha256').update(JSON.stringify({ schema, options })).digest('hex');
}

export function loadPrecompiled(name: string, schema: unknown, options: unknown): ValidateFunction | undefined {
  const file = path.join(__dirname, `${name}.generated.js`);
  if (!fs.existsSync(file)) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require(file) as { digest?: string; validate?: ValidateFunction };
    return mod.digest === schemaDigest(schema, options) && typeof mod.validate === 'function' ? mod.validate : undefined;
  } catch {
    return undefined;
  }
}
