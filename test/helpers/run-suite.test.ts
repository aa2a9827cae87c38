import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FailureBlock, splitIntoLanes } from './run-suite';

describe('test runner: the two lanes of npm test', function () {
  const files = [
    '/x/dist/test/analyze/analyze.lab.test.js',
    '/x/dist/test/capture/live.test.js',
    '/x/dist/test/lab/neutron-engine.lab.test.js',
    '/x/dist/test/lab/ovn-engine.lab.test.js',
    '/x/dist/test/lab/zed-variant.lab.test.js',
    '/x/dist/test/parse/ip-addr.test.js',
  ];

  it('hand-built lab files in one lane; unit tests then the real engines in the other; every file once', function () {
    const [handBuilt, rest] = splitIntoLanes(files);
    expect(handBuilt.files).to.deep.equal([
      '/x/dist/test/analyze/analyze.lab.test.js',
      '/x/dist/test/lab/zed-variant.lab.test.js',
    ]);
    expect(rest.files).to.deep.equal([
      '/x/dist/test/capture/live.test.js',
      '/x/dist/test/parse/ip-addr.test.js',
      '/x/dist/test/lab/neutron-engine.lab.test.js',
      '/x/dist/test/lab/ovn-engine.lab.test.js',
    ]);
    expect([...handBuilt.files, ...rest.files].sort()).to.deep.equal([...files].sort());
  });
});

describe('test runner: a lane\'s failures are kept for the end of the log', function () {
  this.timeout(20000);

  it('keeps the "N failing" block of a real mocha run, not its passing tests', function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haprobe-run-suite-'));
    try {
      const spec = path.join(dir, 'two.test.js');
      fs.writeFileSync(spec, [
        "describe('outer', function () {",
        "  it('passes', function () {});",
        "  it('fails with its reason', function () { throw new Error('the reason'); });",
        '});',
        '',
      ].join('\n'));
      const mocha = require.resolve('mocha/bin/mocha.js');
      const run = spawnSync(process.execPath, [mocha, '--no-config', spec], { encoding: 'utf8' });
      expect(run.status).to.equal(1);
      const block = new FailureBlock();
      for (const line of run.stdout.split('\n')) block.see(line);
      const text = block.text('lane');
      expect(text).to.match(/^lane│ +1 failing/);
      expect(text).to.contain('fails with its reason');
      expect(text).to.contain('the reason');
      expect(text).not.to.contain('✔');
      expect(new FailureBlock().text('lane')).to.equal('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('test runner: the failures shown again are short (run 24: one failure carried a whole JSON report)', function () {
  it('each failure of a real lane output: its title, its first message lines, chai\'s expected/actual; no stack, no JSON body', function () {
    const file = path.resolve(__dirname, '../../../test/fixtures/run-suite/unit-real-3-failing.txt');
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => !l.startsWith('# source:'));
    const block = new FailureBlock();
    for (const line of lines) block.see(line);
    const shown = block.text('unit+real ').split('\n').filter((l) => l !== '');
    expect(lines.length, 'the lane\'s own block').to.be.greaterThan(200);
    expect(shown.length).to.be.at.most(1 + 3 * 15);
    expect(shown[0]).to.equal('unit+real │ 3 failing');
    expect(shown.filter((l) => /│ {3}\d\) real-Neutron lab engine: neutron-l3ha/.test(l))).to.have.length(3);
    const text = shown.join('\n');
    expect(text).to.contain('garp verify --disassociate then --associate vm1 through the API');
    expect(text).to.contain(": expected 'FAIL too-many' to equal 'INCONCLUSIVE announced-while-removing'");
    expect(text).to.contain('"before all" hook for "every real-engine fault is reachable');
    expect(text).to.contain('-fip-placement {"node":"net2"');
    expect(text).not.to.match(/ at Context\.<anonymous>/);
    expect(text).not.to.contain('"clockOffsets"');
  });
});
