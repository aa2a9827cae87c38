import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haprobeErrorOf } from '../helpers/haprobe-error';
import { listHistory } from '../../src/report/list-history';
import { readRunFile } from '../../src/report/read-run-file';
import { renderJson } from '../../src/report/render-json';
import { validateRunResult } from '../../src/report/validate-run-result';
import { writeRunFile } from '../../src/report/write-run-file';
import { makeHistory } from './fixtures';

describe('report: run files and history', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'haprobe-report-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('every fixture run (with drills, G-ARP, waivers) validates against the JSON Schema', () => {
    for (const run of makeHistory()) {
      const v = validateRunResult(JSON.parse(renderJson(run)));
      expect(v.errors, run.runId).to.deep.equal([]);
    }
  });

  it('the schema rejects what the model forbids, with JSON pointers', () => {
    const bad = JSON.parse(renderJson(makeHistory()[1]));
    bad.findings[0].severity = 'blocker';
    bad.rows[0].findingIndexes = [7];
    expect(validateRunResult(bad).errors.join('\n')).to.include('/findings/0/severity: must be equal to one of the allowed values');
    delete bad.findings[0].severity;
    bad.findings[0].severity = 'major';
    expect(validateRunResult(bad).errors).to.deep.equal(['/rows/0/findingIndexes/0: finding 7 does not exist']);
  });

  it('writes atomically under <startedAt compact>-<runId>.json and reads back the same result', () => {
    const run = makeHistory()[1];
    const path = writeRunFile(dir, run);
    expect(path).to.equal(join(dir, '20240502T020000Z-run2.json'));
    expect(readdirSync(dir)).to.deep.equal(['20240502T020000Z-run2.json']);
    expect(readRunFile(path)).to.deep.equal(run);
  });

  it('refuses to write an invalid result and leaves no file behind', () => {
    const run = { ...makeHistory()[0], verdict: 'maybe' } as unknown as ReturnType<typeof makeHistory>[number];
    expect(haprobeErrorOf(() => writeRunFile(dir, run)).code).to.equal('internal');
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('leaves no temporary file when the rename fails', () => {
    const run = makeHistory()[0];
    // a directory where the final file should go makes rename fail after the temp file was written
    const target = join(dir, '20240501T020000Z-run1.json');
    require('node:fs').mkdirSync(join(target, 'x'), { recursive: true });
    const err = haprobeErrorOf(() => writeRunFile(dir, run));
    expect(err.code).to.equal('io');
    expect(err.where).to.equal(target);
    expect(readdirSync(dir)).to.deep.equal(['20240501T020000Z-run1.json']);
  });

  it('readRunFile: clear errors for missing, garbage and other schema versions', () => {
    const missing = haprobeErrorOf(() => readRunFile(join(dir, 'nope.json')));
    expect(missing.code).to.equal('io');
    expect(missing.format()).to.match(/nope\.json: run file not found/);

    writeFileSync(join(dir, 'garbage.json'), '{"schemaVersion": 1,');
    const garbage = haprobeErrorOf(() => readRunFile(join(dir, 'garbage.json')));
    expect(garbage.code).to.equal('usage');
    expect(garbage.message).to.match(/^not a run file: invalid JSON/);

    writeFileSync(join(dir, 'v2.json'), JSON.stringify({ ...makeHistory()[0], schemaVersion: 2 }));
    const v2 = haprobeErrorOf(() => readRunFile(join(dir, 'v2.json')));
    expect(v2.message).to.equal('run file has schemaVersion 2, this haprobe reads 1');
    expect(v2.where).to.equal(join(dir, 'v2.json'));
  });

  it('listHistory sorts by time, skips temp files, warns about unreadable ones', () => {
    const [r1, r2, r3, r4] = makeHistory();
    for (const r of [r3, r1, r4, r2]) writeRunFile(dir, r);
    writeFileSync(join(dir, '.tmp-run9.json'), '{"half');
    writeFileSync(join(dir, '20240501T010000Z-broken.json'), 'not json');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const h = listHistory(dir);
    expect(h.entries.map((e) => e.result.runId)).to.deep.equal(['run1', 'run2', 'run3', 'run4']);
    expect(h.warnings).to.have.length(1);
    expect(h.warnings[0]).to.include('20240501T010000Z-broken.json: skipped: not a run file: invalid JSON');
    expect(readFileSync(h.entries[0].path, 'utf8').endsWith('\n')).to.equal(true);
    expect(haprobeErrorOf(() => listHistory(join(dir, 'absent'))).code).to.equal('io');
  });
});
