import type { ValidateFunction } from 'ajv';
import schema from '../../reports/run-result.schema.json';
import type { RunResult } from '../result/run-result';
import { loadPrecompiled } from '../model/precompiled';

/** the run-result schema's ajv options; the build's precompiled validator uses the same (scripts/build-validators.js) */
export const RUN_RESULT_AJV_OPTIONS = { allErrors: true, allowUnionTypes: true } as const;

/** precompiled by the build when its schema digest still matches, else compiled on first use, not at import (issue 10) */
let compiled: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  // ajv itself is loaded only when compiling
  compiled ??= loadPrecompiled('run-result-validator', schema, RUN_RESULT_AJV_OPTIONS) ?? new (require('ajv') as typeof import('ajv')).default(RUN_RESULT_AJV_OPTIONS).compile(schema);
  return compiled;
}

export interface RunResultValidation {
  valid: boolean;
  /** "/findings/2/severity: must be equal to one of the allowed values" */
  errors: string[];
}

/**
 * Checks an object against reports/run-result.schema.json, then what a schema cannot say:
 * rows cite existing findings. Pure; readRunFile and writeRunFile turn errors into HaprobeErrors.
 */
export function validateRunResult(obj: unknown): RunResultValidation {
  const validateSchema = schemaValidator();
  if (!validateSchema(obj)) {
    const errors = (validateSchema.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}${allowed(e.params)}`);
    return { valid: false, errors };
  }
  const result = obj as unknown as RunResult;
  const errors: string[] = [];
  result.rows.forEach((row, r) =>
    row.findingIndexes.forEach((i, k) => {
      if (i >= result.findings.length) errors.push(`/rows/${r}/findingIndexes/${k}: finding ${i} does not exist`);
    }),
  );
  return { valid: errors.length === 0, errors };
}

export function isRunResult(obj: unknown): obj is RunResult {
  return validateRunResult(obj).valid;
}

function allowed(params: Record<string, unknown>): string {
  if (Array.isArray(params.allowedValues)) return ` (${params.allowedValues.join(', ')})`;
  if (params.allowedValue !== undefined) return ` (${String(params.allowedValue)})`;
  return '';
}
