import type { ValidateFunction } from 'ajv';
import schema from '../../reports/run-result.schema.json';
import type { RunResult } from '../result/run-result';

/** compiled on first use, not at import (issue 10: ajv compiles cost ~0.5 s of every CLI start) */
let compiled: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  // ajv itself is loaded here too, not at import
  compiled ??= new (require('ajv') as typeof import('ajv')).default({ allErrors: true, allowUnionTypes: true }).compile(schema);
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
