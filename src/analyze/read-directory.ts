import * as fs from 'node:fs';
import * as path from 'node:path';
import { HaprobeError } from '../errors';
import type { ArchiveLimits, TarContents } from './read-tar';
import { DEFAULT_ARCHIVE_LIMITS } from './read-tar';

/**
 * Reads a directory tree (an unpacked sosreport, a folder of pasted outputs) the way read-tar.ts
 * reads an archive: symlinks are never followed (a sosreport's own root symlinks like `ip_addr`
 * are listed as skipped; the files they point at are read under their real names), only regular
 * files `want` asks for are read, under the same size limits.
 */
export function readDirectoryTree(root: string, want: (rel: string) => boolean, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): TarContents {
  const files = new Map<string, string>();
  const names: string[] = [];
  const skipped: { name: string; reason: string }[] = [];
  let kept = 0;
  const walk = (rel: string): void => {
    const abs = rel === '' ? root : path.join(root, rel);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      skipped.push({ name: rel || '.', reason: `unreadable directory: ${(err as Error).message}` });
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (names.length >= limits.maxEntries) throw new HaprobeError('io', `${root}: more than ${limits.maxEntries} entries`);
      names.push(r);
      if (e.isSymbolicLink()) {
        skipped.push({ name: r, reason: 'symbolic link not followed' });
      } else if (e.isDirectory()) {
        walk(r);
      } else if (e.isFile() && want(r)) {
        const st = fs.lstatSync(path.join(root, r));
        if (st.size > limits.maxFileBytes) {
          skipped.push({ name: r, reason: `larger than ${limits.maxFileBytes} bytes` });
          continue;
        }
        kept += st.size;
        if (kept > limits.maxKeptBytes) throw new HaprobeError('io', `${root}: the files haprobe reads exceed ${limits.maxKeptBytes} bytes`);
        files.set(r, fs.readFileSync(path.join(root, r), 'utf8'));
      }
    }
  };
  walk('');
  return { files, names, skipped };
}
