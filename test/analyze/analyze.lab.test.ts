import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyFault, healFaults, labDown, labUp } from '../../src/lab';
import type { RunResult } from '../../src/report/result';
import { subjectKey } from '../../src/engine/evaluate';
import { useLabSuite } from '../helpers/lab-suite';
import { runAgainstLab, runCli, parseLabSubject, findingsMatching } from '../run/run-helpers';
import { labNodes, sosreportInLabNode } from './sos-in-lab';
import { trimSosreport } from './trim-sos';

/**
 * `analyze` on real sosreports (Debian's sos, run inside each lab node) gives the verdicts a live
 * `run` gives on the same lab state: healthy, and with faults sos can see. With
 * HAPROBE_WRITE_SOS_FIXTURES=1 the trimmed sosreports and the live run's failing findings are
 * kept under test/fixtures/sos/ for the unit tests (sosreport-fixtures.test.ts).
 */
const PROFILE = 'neutron-l3ha';
const FAULTS = ['split-brain', 'missing-dnat', 'stale-namespace', 'mac-mismatch', 'missing-antispoof-flow'];
const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/sos');
const SOS_OUT = '/var/tmp/haprobe-analyze-sos';

/** fail/error findings as comparable lines: check, subject, verdict */
export function failingKeys(result: RunResult): string[] {
  return result.findings
    .filter((f) => f.verdict === 'fail' || f.verdict === 'error')
    .map((f) => `${f.checkId} ${subjectKey(f.subject)} ${f.verdict}`)
    .sort();
}

describe('haprobe analyze on sosreports made in the lab @lab', function () {
  this.timeout(600_000);
  const stateDir = '/var/tmp/haprobe-analyzetest';

  useLabSuite(
    async () => {
      await labDown({ stateDir }).catch(() => undefined);
      await labUp({ profile: PROFILE, stateDir, renderer: 'silent' });
      return stateDir;
    },
    async () => {
      await labDown({ stateDir });
    },
    { upMs: 240_000, downMs: 120_000 },
  );

  const sosAll = async (state: string): Promise<string[]> => {
    const out = path.join(SOS_OUT, state);
    const files: string[] = [];
    // one node at a time: 2 shared cores
    for (const node of labNodes(stateDir)) files.push(await sosreportInLabNode(stateDir, node, out));
    return files;
  };

  const compare = async (state: string, fault?: string): Promise<RunResult> => {
    const live = await runAgainstLab(stateDir, PROFILE);
    const tarballs = await sosAll(state);
    const r = await runCli(['analyze', '-q', '--format', 'json', '-p', PROFILE, '-f', path.join(stateDir, 'facts.json'), ...tarballs]);
    const offline = JSON.parse(r.stdout) as RunResult;
    expect(failingKeys(offline), `analyze vs run (${state})`).to.deep.equal(failingKeys(live.result));
    expect(offline.verdict).to.equal(live.result.verdict);
    expect(r.code).to.equal(live.code);
    // every finding's evidence is a file of a sosreport
    for (const f of offline.findings) {
      for (const id of f.evidence) {
        const e = offline.evidence.find((x) => x.id === id);
        expect(e?.command, `evidence ${id}`).to.match(/^file:sosreport-[^:]+\.tar\.xz:/);
      }
    }
    if (process.env.HAPROBE_WRITE_SOS_FIXTURES === '1') {
      const dir = path.join(FIXTURES, `l3ha-${state}`);
      fs.rmSync(dir, { recursive: true, force: true });
      for (const t of tarballs) await trimSosreport(t, dir, `Debian sosreport 4.0 (sos report --batch -o networking,openvswitch,openstack_neutron) run inside lab node ${path.basename(path.dirname(t))} of \`haprobe lab up --profile ${PROFILE}\`${fault ? ` after \`haprobe lab fault ${fault}\`` : ' (healthy)'}, by test/analyze/analyze.lab.test.ts`);
      fs.copyFileSync(path.join(stateDir, 'facts.json'), path.join(dir, 'facts.json'));
      fs.writeFileSync(path.join(dir, 'expected-failures.txt'), `#source: live \`haprobe run -p ${PROFILE}\` on the same lab state\n${failingKeys(live.result).join('\n')}\n`);
    }
    return live.result;
  };

  it('healthy lab: analyze passes as run does', async () => {
    await compare('healthy');
  });

  for (const fault of FAULTS) {
    it(`fault ${fault}: analyze gives the run's failing findings`, async () => {
      const rec = await applyFault({ stateDir, name: fault });
      try {
        const live = await compare(fault, fault);
        // and the fault's own finding is among them
        expect(findingsMatching(live, rec.check, parseLabSubject(rec.subject)).length).to.be.greaterThan(0);
      } finally {
        await healFaults({ stateDir, name: fault });
      }
    });
  }
});
