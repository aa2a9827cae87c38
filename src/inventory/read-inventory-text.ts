import * as fs from 'node:fs';
import { HaprobeError } from '../errors';

export function readInventoryText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder' : `cannot read (${code ?? String(err)})`;
    throw new HaprobeError('inventory', what, { where: file, cause: err });
  }
}
