import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The profiles/ folder of the installed package: this file runs from dist/src/profile/,
 * so the repository root is three levels up (two when run from src/ with ts-node).
 * HAPROBE_PROFILES_DIR overrides it (tests, packaging).
 */
export function profilesDir(): string {
  const env = process.env['HAPROBE_PROFILES_DIR'];
  if (env) return path.resolve(env);
  const candidates = [path.resolve(__dirname, '../../../profiles'), path.resolve(__dirname, '../../profiles')];
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0]!;
}
