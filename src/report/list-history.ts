import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { HaprobeError } from '../errors';
import { readRunFile } from './read-run-file';
import type { RunResult } from '../result/run-result';

export interface HistoryEntry {
  path: string;
  result: RunResult;
}

export interface History {
  /** oldest first (by startedAt, then file name) */
  entries: HistoryEntry[];
  /** one line per file that was skipped: "DIR/x.json: invalid run file: …" */
  warnings: string[];
}

/**
 * Every run file in DIR (see writeRunFile for the layout): `*.json` not starting with a dot.
 * A file that cannot be read or validated is skipped with a warning, so one bad file never hides
 * the history; a missing DIR is an 'io' error.
 */
export function listHistory(dir: string): History {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new HaprobeError('io', `cannot list history directory (${code})`, {
      where: dir,
      cause: err,
      hint: 'point --history at the folder given to `haprobe run --output`',
    });
  }
  const entries: HistoryEntry[] = [];
  const warnings: string[] = [];
  for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
    const path = join(dir, name);
    try {
      entries.push({ path, result: readRunFile(path) });
    } catch (err) {
      const message = err instanceof HaprobeError ? err.message : String(err);
      warnings.push(`${path}: skipped: ${message}`);
    }
  }
  entries.sort((a, b) => Date.parse(a.result.startedAt) - Date.parse(b.result.startedAt) || a.path.localeCompare(b.path));
  return { entries, warnings };
}
