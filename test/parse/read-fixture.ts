import * as fs from 'fs';
import * as path from 'path';

/** Fixtures stay in the source tree (test/parse/fixtures); compiled tests run from dist/test/parse. */
const FIXTURES = path.resolve(__dirname, '../../../test/parse/fixtures');

export function readFixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}
