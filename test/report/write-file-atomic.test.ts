import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePrometheusFile } from '../../src/report/render-prometheus';
import { writeFileAtomic } from '../../src/report/write-file-atomic';
import { writeRunFile } from '../../src/report/write-run-file';
import { validateRunResult } from '../../src/report/validate-run-result';
import { renderJson } from '../../src/report/render-json';
import { makeHistory } from './fixtures';

const modeOf = (p: string): number => statSync(p).mode & 0o777;

describe('report: file writing (issue 8: temp files, modes)', () => {
  let dir: string;
  let outside: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'haprobe-atomic-'));
    outside = mkdtempSync(join(tmpdir(), 'haprobe-victim-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('a symlink planted at the old temp name (.<name>.<pid>.tmp) is not followed: the file it points to is untouched', () => {
    const victim = join(outside, 'victim');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(dir, `.haprobe.prom.${process.pid}.tmp`));
    writePrometheusFile(join(dir, 'haprobe.prom'), 'haprobe_up 1\n');
    expect(readFileSync(victim, 'utf8')).to.equal('precious\n');
    expect(readFileSync(join(dir, 'haprobe.prom'), 'utf8')).to.equal('haprobe_up 1\n');
  });

  it('temp names are random dot-files, removed after the rename', () => {
    writeFileAtomic(join(dir, 'a.html'), 'x');
    writeFileAtomic(join(dir, 'a.html'), 'y');
    expect(readdirSync(dir)).to.deep.equal(['a.html']);
    expect(readFileSync(join(dir, 'a.html'), 'utf8')).to.equal('y');
  });

  it('run files and reports are 0600 by default, whatever the umask; --file-mode is applied exactly', () => {
    const old = process.umask(0o022);
    try {
      const run = makeHistory()[0];
      expect(modeOf(writeRunFile(dir, run))).to.equal(0o600);
      writeFileAtomic(join(dir, 'r.html'), 'x');
      expect(modeOf(join(dir, 'r.html'))).to.equal(0o600);
      writeFileAtomic(join(dir, 'r.html'), 'x', { mode: 0o664 });
      expect(modeOf(join(dir, 'r.html'))).to.equal(0o664);
      // the metrics file holds only counts and node_exporter runs as another user
      writePrometheusFile(join(dir, 'm.prom'), 'x 1\n');
      expect(modeOf(join(dir, 'm.prom'))).to.equal(0o644);
    } finally {
      process.umask(old);
    }
  });

  it('the run file schema accepts inventory.hostKeysChecked (optional, boolean) and refuses another type', () => {
    const run = JSON.parse(renderJson(makeHistory()[0]));
    expect(validateRunResult(run).valid).to.equal(true);
    run.inventory.hostKeysChecked = false;
    expect(validateRunResult(run).errors).to.deep.equal([]);
    run.inventory.hostKeysChecked = 'no';
    expect(validateRunResult(run).errors[0]).to.match(/^\/inventory\/hostKeysChecked: must be boolean/);
  });
});
