import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTarArchive } from '../../src/analyze/read-tar';
import { isWantedOutputFile } from '../../src/analyze/read-output-files';
import { redactSecrets } from '../../src/collect/redact';
import { safeRelativePath } from '../../src/analyze/safe-path';

/**
 * Keeps a trimmed copy of a real sosreport as a fixture: only the files analyze reads (redacted
 * as analyze reads them: the lab's VRRP auth_pass), MANIFEST (every member sos wrote, one a line)
 * and SOURCE (how it was made). The copy is an unpacked sosreport directory named as sos named it.
 */
export async function trimSosreport(tarball: string, destParent: string, source: string): Promise<string> {
  const tree = await readTarArchive(tarball, isWantedOutputFile);
  const top = path.basename(tarball).replace(/\.tar\.xz$/, '');
  const dest = path.join(destParent, top);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  const strip = (rel: string): string => (rel.startsWith(`${top}/`) ? rel.slice(top.length + 1) : rel);
  for (const [rel, text] of tree.files) {
    if (rel.endsWith('sos_reports/manifest.json')) continue; // 240 kB of plugin timings; MANIFEST lists it
    const safe = safeRelativePath(strip(rel));
    if (!safe) continue;
    fs.mkdirSync(path.dirname(path.join(dest, safe)), { recursive: true });
    fs.writeFileSync(path.join(dest, safe), redactSecrets(text));
  }
  fs.writeFileSync(path.join(dest, 'MANIFEST'), tree.names.map(strip).filter((n) => n !== '').join('\n') + '\n');
  fs.writeFileSync(path.join(dest, 'SOURCE'), `#source: ${source}\n#what: trimmed copy of ${path.basename(tarball)}: only the files haprobe analyze reads (keepalived auth_pass redacted); MANIFEST lists every member sos wrote\n`);
  return dest;
}
