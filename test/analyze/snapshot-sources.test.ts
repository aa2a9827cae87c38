import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { directorySource, evidenceBundleSource, pathsSource, sosreportSource } from '../../src/analyze/snapshot-sources';
import { collectionsSource } from '../../src/collect/snapshot-source';
import { evaluateRun } from '../../src/engine/evaluate-run';
import { buildRunPlan } from '../../src/plan';
import { loadProfile } from '../../src/profile';
import { subjectKey } from '../../src/engine/evaluate';
import type { RunResult } from '../../src/report/result';
import { analyzeNodes, factsOf, loadAll, sosDirsOf } from './sos-fixtures';

const failing = (r: RunResult): string[] =>
  [...new Set(r.findings.filter((f) => f.verdict === 'fail' || f.verdict === 'error').map((f) => `${f.checkId} ${subjectKey(f.subject)}`))].sort();

/**
 * The snapshot-source port (issue 14) on the lab's real sosreports (test/fixtures/sos): each
 * adapter hands the same collections as the path dispatcher, and evaluateRun judges them with no
 * clock of its own — what `analyze` reports (analyzeNodes = evaluateOffline) is what the plan and
 * the port give.
 */
describe('snapshot sources and evaluateRun', () => {
  const state = 'l3ha-split-brain';
  const facts = factsOf(state);
  const record = { inventory: { source: 'test', digest: '' }, facts: { facts, source: 'facts.json', digest: '' }, startedAt: new Date(0), finishedAt: new Date(1000), runId: 'run-1' };
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-sources-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the sosreport adapter gives, report by report, what the paths adapter gives for all of them', async () => {
    const dirs = sosDirsOf(state);
    const all = await pathsSource(dirs, { facts }).collect();
    const one = (await Promise.all(dirs.map((d) => sosreportSource(d, { facts }).collect()))).flat();
    expect(one.map((c) => c.node.name)).to.deep.equal(all.map((c) => c.node.name));
    expect(one.map((c) => c.snapshot)).to.deep.equal(all.map((c) => c.snapshot));
    expect(one.map((c) => c.source.kind)).to.deep.equal(dirs.map(() => 'sos-directory'));
  });

  it('evaluateRun on a plan and the port\'s collections: the findings analyze reports, twice the same (pure)', async () => {
    const plan = buildRunPlan({ profile: loadProfile('neutron-l3ha'), facts: true });
    const collections = await pathsSource(sosDirsOf(state), { facts }).collect(plan);
    const a = evaluateRun(plan, collections, record).result;
    const b = evaluateRun(plan, await collectionsSource(collections).collect(plan), record).result;
    expect(b).to.deep.equal(a);
    expect(a.startedAt).to.equal(new Date(0).toISOString());
    expect(a.durationMs).to.equal(1000);
    expect(failing(a)).to.deep.equal(failing(analyzeNodes(await loadAll(sosDirsOf(state)), facts)));
    expect(failing(a)).to.not.deep.equal([]);
  });

  it('the evidence-bundle and directory adapters read a run file and a folder of pasted outputs', async () => {
    const first = analyzeNodes(await loadAll(sosDirsOf(state)), facts);
    const file = path.join(tmp, 'run.json');
    fs.writeFileSync(file, JSON.stringify(first));
    const bundle = await evidenceBundleSource(file).collect();
    expect(bundle.map((c) => `${c.node.name} ${c.source.kind}`)).to.deep.equal(first.nodes.map((n) => `${n.name} evidence-bundle`));
    const sos = sosDirsOf(state).find((d) => path.basename(d).startsWith('sosreport-net1-'))!;
    const dir = path.join(tmp, 'net1');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(sos, 'sos_commands/networking/ip_netns'), path.join(dir, 'ip netns.txt'));
    fs.writeFileSync(path.join(dir, 'hostname'), 'net1\n');
    const [pasted] = await directorySource(dir).collect();
    expect(pasted.node.name).to.equal('net1');
    expect(pasted.source.kind).to.equal('pasted');
    expect(pasted.snapshot!.namespaces.length).to.be.greaterThan(0);
  });
});
