import { expect } from 'chai';
import { DNAT_MISSING, makeHistory, makeRun } from './fixtures';
import { diffRuns, renderDiffJson, renderDiffTable, renderHtml, renderJson, renderJunit, renderMarkdown, renderPrometheus, renderTable } from '../../src/report';
import { REPORTERS, formatsFor, renderReport } from '../../src/report/reporters';
import { haprobeErrorOf } from '../helpers/haprobe-error';

describe('reporter registry (src/report/reporters.ts)', () => {
  const run = makeRun('run-1', '2026-11-01T10:00:00.000Z', [DNAT_MISSING]);

  it('gives each command its --format choices, in the order --help has always shown them', () => {
    expect(formatsFor('run')).to.deep.equal(['table', 'json', 'junit']);
    expect(formatsFor('history')).to.deep.equal(['html', 'md']);
    expect(formatsFor('diff')).to.deep.equal(['table', 'json']);
  });

  it('renders exactly what the renderers render', () => {
    expect(renderReport('run', 'json', run)).to.equal(renderJson(run));
    expect(renderReport('run', 'junit', run)).to.equal(renderJunit(run));
    expect(renderReport('run', 'table', run, { all: true, failuresOnly: true })).to.equal(renderTable(run, { all: true, failuresOnly: true }));
    expect(renderReport('run', 'prometheus', run, { prometheusSubjects: 'failing' })).to.equal(renderPrometheus(run, { subjects: 'failing' }));
    const runs = makeHistory();
    expect(renderReport('history', 'html', runs, { title: 't' })).to.equal(renderHtml(runs, { title: 't' }));
    expect(renderReport('history', 'md', runs, { title: 't' })).to.equal(renderMarkdown(runs, { title: 't' }));
    const diff = diffRuns(runs[0]!, runs.at(-1)!);
    expect(renderReport('diff', 'json', diff)).to.equal(renderDiffJson(diff));
    expect(renderReport('diff', 'table', diff, { color: true })).to.equal(renderDiffTable(diff, { color: true }));
  });

  it('has one row per (input, format); an unknown format is a usage error listing the choices', () => {
    const keys = REPORTERS.map((r) => `${r.input}/${r.format}`);
    expect(new Set(keys).size).to.equal(keys.length);
    const e = haprobeErrorOf(() => renderReport('diff', 'junit', diffRuns(run, run)));
    expect(e.code).to.equal('usage');
    expect(e.hint).to.equal('one of table, json');
  });
});
