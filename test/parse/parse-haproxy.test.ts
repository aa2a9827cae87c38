import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseHaproxyStat } from '../../src/parse/parse-haproxy';

const FIX = path.resolve(__dirname, '../../../test/fixtures/multinic/haproxy-show-stat-healthy.txt');

describe('parseHaproxyStat (haproxy show stat CSV)', () => {
  it('reads the lab\'s haproxy 2.6 output: frontend, both servers UP with their addresses, backend', () => {
    const text = fs.readFileSync(FIX, 'utf8').split('\n').filter((l) => !l.startsWith('#source') && !l.startsWith('#what')).join('\n');
    const { value, warnings } = parseHaproxyStat(text);
    expect(warnings).to.deep.equal([]);
    expect(value.map((r) => `${r.proxy}/${r.server} ${r.status} ${r.checkStatus} ${r.addr}`)).to.deep.equal([
      'multinic-in/FRONTEND OPEN  ',
      'multinic/r1 UP L4OK 203.0.113.101:80',
      'multinic/r2 UP L4OK 203.0.113.102:80',
      'multinic/BACKEND UP  ',
    ]);
  });
  it('is total: no header is a warning, empty text none, a short line a warning', () => {
    expect(parseHaproxyStat('garbage').warnings).to.have.length(1);
    expect(parseHaproxyStat('').value).to.deep.equal([]);
    const r = parseHaproxyStat('# pxname,svname,status\nx\n');
    expect(r.value).to.deep.equal([]);
    expect(r.warnings).to.have.length(1);
  });
});
