import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Paths in an inventory are written for a human: `~` means the home folder of the user running
 * haprobe, and a relative path is relative to the inventory file's folder (not the cwd), so the
 * same inventory works from anywhere.
 */
export function expandPath(p: string, baseDir: string, home: string = os.homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return path.resolve(baseDir, p);
}
