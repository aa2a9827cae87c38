import { join } from 'node:path';
import { HaprobeError } from '../errors';
import { renderJson } from './render-json';
import type { RunResult } from '../result/run-result';
import { validateRunResult } from './validate-run-result';
import { type WriteFileOptions, writeFileAtomic } from './write-file-atomic';

/**
 * History layout (README "History"): one file per run directly in DIR, named
 * `<startedAt as YYYYMMDDTHHMMSSZ>-<runId>.json`, so `ls` sorts runs by time. Files are written as
 * a dot-file then renamed (writeFileAtomic): a crash leaves at most a dot-file that listHistory ignores.
 * Mode 0600 unless `opts.mode` says otherwise: the file embeds every node's command outputs.
 * Returns the path written. An invalid result is refused ('internal': a bug in the caller),
 * since a file report/diff cannot read back is worse than none.
 */
export function writeRunFile(dir: string, result: RunResult, opts: WriteFileOptions = {}): string {
  const v = validateRunResult(result);
  if (!v.valid) {
    throw new HaprobeError('internal', `refusing to write an invalid run file: ${v.errors.slice(0, 3).join('; ')}`, { where: dir });
  }
  const finalPath = join(dir, runFileName(result));
  writeFileAtomic(finalPath, renderJson(result), opts);
  return finalPath;
}

/** "2024-05-01T02:00:07.123Z" + "r-8f3a" → "20240501T020007Z-r-8f3a.json" */
export function runFileName(result: Pick<RunResult, 'startedAt' | 'runId'>): string {
  return `${compactTimestamp(result.startedAt)}-${result.runId}.json`;
}

export function compactTimestamp(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) throw new HaprobeError('internal', `not a timestamp: ${JSON.stringify(iso)}`);
  return t.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}
