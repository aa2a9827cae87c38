import { readFileSync } from 'node:fs';
import { HaprobeError } from '../errors';
import { RESULT_SCHEMA_VERSION, type RunResult } from '../result/run-result';
import { validateRunResult } from './validate-run-result';

/**
 * Reads and validates one run file. Errors name the file: missing/unreadable → 'io';
 * not JSON, another schemaVersion, or schema violations → 'usage'.
 */
export function readRunFile(path: string): RunResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'run file not found' : code === 'EISDIR' ? 'is a directory, not a run file' : `cannot read run file (${code ?? String(err)})`;
    throw new HaprobeError('io', what, { where: path, cause: err, hint: 'run files are written by `haprobe run --output DIR`' });
  }
  return parseRunFile(text, path);
}

/** The pure half of readRunFile: `where` only labels errors. */
export function parseRunFile(text: string, where: string): RunResult {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new HaprobeError('usage', `not a run file: invalid JSON (${(err as Error).message})`, { where, cause: err });
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new HaprobeError('usage', 'not a run file: expected a JSON object', { where });
  }
  const version = (obj as { schemaVersion?: unknown }).schemaVersion;
  if (version !== RESULT_SCHEMA_VERSION) {
    throw new HaprobeError(
      'usage',
      version === undefined
        ? 'not a run file: no schemaVersion'
        : `run file has schemaVersion ${JSON.stringify(version)}, this haprobe reads ${RESULT_SCHEMA_VERSION}`,
      { where, hint: version === undefined ? undefined : 'use the haprobe release that wrote it' },
    );
  }
  const v = validateRunResult(obj);
  if (!v.valid) {
    const more = v.errors.length > 3 ? ` (+${v.errors.length - 3} more)` : '';
    throw new HaprobeError('usage', `invalid run file: ${v.errors.slice(0, 3).join('; ')}${more}`, { where });
  }
  return obj as RunResult;
}
