import * as fs from 'node:fs';
import * as path from 'node:path';
import { HaprobeError } from '../errors';
import { parseInventoryYaml } from '../inventory/load-inventory';
import type { Inventory } from '../inventory/types';
import { sameNodes } from './render-inventory-yaml';

/**
 * Validate the rendered text with the inventory loader (as if read from `file`, so relative paths
 * resolve the same way), check it reads back as the derived inventory, then write it atomically:
 * a temp file in the same folder, fsync, rename. An existing file is replaced only with `force`
 * (without it the temp file is linked in place, which fails if the name exists: no race between
 * the check and the write).
 */
export function writeInventoryFile(file: string, text: string, derived: Inventory, opts: { force?: boolean; mode?: number } = {}): void {
  const abs = path.resolve(file);
  const back = parseInventoryYaml(text, abs);
  const diff = sameNodes(derived, back);
  if (diff) throw new HaprobeError('internal', `the written inventory would not read back as derived: ${diff}`, { where: file });
  if (!opts.force && fs.existsSync(abs)) {
    throw new HaprobeError('usage', `${file} exists; not overwritten`, { where: '-o', hint: 'pass --force to replace it' });
  }
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', opts.mode ?? 0o600);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (opts.force) fs.renameSync(tmp, abs);
    else {
      fs.linkSync(tmp, abs);
      fs.unlinkSync(tmp);
    }
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new HaprobeError('usage', `${file} exists; not overwritten`, { where: '-o', hint: 'pass --force to replace it' });
    throw new HaprobeError('io', `cannot write ${file} (${code ?? String(err)})`, { where: '-o', cause: err });
  }
}
