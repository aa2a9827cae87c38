import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { HaprobeError } from '../errors';

/**
 * Writes `text` to `tmpPath`, fsyncs it, then renames it over `finalPath`: readers (haprobe report,
 * node_exporter's textfile collector) see the old file or the new one, never half of one.
 * tmpPath must be in the same directory (rename is atomic within one filesystem only).
 * On any failure the temporary file is removed and a HaprobeError('io') names the path.
 */
export function writeFileAtomic(finalPath: string, tmpPath: string, text: string): void {
  const dir = dirname(finalPath);
  let fd: number | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    fd = openSync(tmpPath, 'w', 0o644);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmpPath, finalPath);
  } catch (err) {
    if (fd !== undefined) {
      try { closeSync(fd); } catch { /* already failing */ }
    }
    try { unlinkSync(tmpPath); } catch { /* never created */ }
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new HaprobeError('io', `cannot write file (${code})`, { where: finalPath, cause: err });
  }
  syncDirectory(dir);
}

/** makes the rename itself durable; best effort (not every filesystem allows fsync on a directory) */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch { /* best effort */ }
}
