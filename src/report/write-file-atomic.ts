import { closeSync, constants, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { HaprobeError } from '../errors';

/**
 * Mode of run files and reports unless the operator says otherwise (`--file-mode`): they embed
 * command outputs from every node (README "Security"), so only their owner reads them.
 */
export const PRIVATE_FILE_MODE = 0o600;

export interface WriteFileOptions {
  /** permission bits of the file, applied exactly (not reduced by the umask); default 0600 */
  mode?: number;
}

/**
 * Writes `text` to a fresh temporary file next to `finalPath`, fsyncs it, then renames it over
 * `finalPath`: readers (haprobe report, node_exporter's textfile collector) see the old file or
 * the new one, never half of one. The temporary name is `.<name>.<random>.tmp` (a dot-file that
 * listHistory and node_exporter skip), created with O_CREAT|O_EXCL|O_NOFOLLOW: a file or symlink
 * planted at a guessable name (the pid-based names before issue 8) is never followed or
 * overwritten. On any failure the temporary file is removed and a HaprobeError('io') names the path.
 */
export function writeFileAtomic(finalPath: string, text: string, opts: WriteFileOptions = {}): void {
  const mode = opts.mode ?? PRIVATE_FILE_MODE;
  const dir = dirname(finalPath);
  let fd: number | undefined;
  let tmpPath: string | undefined;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    ({ fd, path: tmpPath } = createExclusive(dir, basename(finalPath), mode));
    fchmodSync(fd, mode);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmpPath, finalPath);
  } catch (err) {
    if (fd !== undefined) {
      try { closeSync(fd); } catch { /* already failing */ }
    }
    if (tmpPath !== undefined) {
      try { unlinkSync(tmpPath); } catch { /* already gone */ }
    }
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new HaprobeError('io', `cannot write file (${code})`, { where: finalPath, cause: err });
  }
  syncDirectory(dir);
}

const EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** a new file that did not exist before, under a random name; retried on the (unlikely) clash */
function createExclusive(dir: string, name: string, mode: number): { fd: number; path: string } {
  for (let attempt = 0; ; attempt++) {
    const path = join(dir, `.${name}.${randomBytes(8).toString('hex')}.tmp`);
    try {
      return { fd: openSync(path, EXCLUSIVE, mode), path };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 4) throw err;
    }
  }
}

/** makes the rename itself durable; best effort (not every filesystem allows fsync on a directory) */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch { /* best effort */ }
}
