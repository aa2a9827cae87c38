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
import { failingKeys } from './failing-keys';

/**
 * `analyze` on real sosreports made in the hand-built DVR lab (Debian's sos, run inside each lab
 * node, as analyze.lab.test.ts does for L3 HA) gives the failing findings, verdict and exit code
 * of a live `run` on the same lab state: healthy, and two faults whose DVR form sos can see (the
 * compute's qrouter DNAT, a snat- namespace on a compute). With HAPROBE_WRITE_SOS_FIXTURES=1 the
 * trimmed sosreports and the live run's failing findings are kept under test/fixtures/sos/dvr-*
 * for the unit test (sosreport-dvr.test.ts).
 */
const PROFILE = 'neutron-dvr';
const FAULTS = ['missing-dnat', 'stale-namespace'];
const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/sos');
const SOS_OUT = '/var/tmp/haprobe-analyze-sos-dvr';

describe('haprobe analyze on sosreports made in the DVR lab @lab', function () {
  this.timeout(600_000);
  const stateDir = '/var/tmp/haprobe-analyzetest-dvr';

  useLabSuite(
    async () => {
      await labDown({ stateDir }).catch(() => undefined);
      await labUp({ profile: PROFILE, stateDir, renderer: 'silent' });
      return stateDir;
    },
    async () => {
      await labDown({ stateDir });
      fs.rmSync(SOS_OUT, { recursive: true, force: true });
    },
    { upMs: 240_000, downMs: 120_000 },
  );

  const compare = async (state: string, fault?: string): Promise<RunResult> => {
    const live = await runAgainstLab(stateDir, PROFILE);
    const out = path.join(SOS_OUT, state);
    const tarballs: string[] = [];
    // one node at a time: 2 shared cores
    for (const node of labNodes(stateDir)) tarballs.push(await sosreportInLabNode(stateDir, node, out));
    const r = await runCli(['analyze', '-q', '--format', 'json', '-p', PROFILE, '-f', path.join(stateDir, 'facts.json'), ...tarballs]);
    const offline = JSON.parse(r.stdout) as RunResult;
    const liveKeys = failingKeys(live.result);
    const offKeys = failingKeys(offline);
    expect(offKeys.filter((k) => !liveKeys.includes(k)), `analyze failures the run does not have (${state})`).to.deep.equal([]);
    // where sos 4.0 collects less (per-namespace sysctls): a warn/skip on the same subject, never a pass
    const notJudged = new Set(offline.findings.filter((f) => f.verdict === 'warn' || f.verdict === 'skip').map((f) => `${f.checkId} ${subjectKey(f.subject)}`));
    expect(liveKeys.filter((k) => !offKeys.includes(k) && !notJudged.has(k.replace(/ (fail|error)$/, ''))), `run failures analyze passed (${state})`).to.deep.equal([]);
    expect(offline.verdict).to.equal(live.result.verdict);
    expect(r.code).to.equal(live.code);
    for (const f of offline.findings) for (const id of f.evidence) expect(offline.evidence.find((x) => x.id === id)?.command, `evidence ${id}`).to.match(/^file:sosreport-[^:]+\.tar\.xz:/);
    if (process.env.HAPROBE_WRITE_SOS_FIXTURES === '1') {
      const dir = path.join(FIXTURES, `dvr-${state}`);
      fs.rmSync(dir, { recursive: true, force: true });
      for (const t of tarballs) await trimSosreport(t, dir, `Debian sosreport 4.0 (sos report --batch -o networking,openvswitch,openstack_neutron -k networking.ethtool_namespaces=off) run inside lab node ${path.basename(path.dirname(t))} of \`haprobe lab up --profile ${PROFILE}\`${fault ? ` after \`haprobe lab fault ${fault}\`` : ' (healthy)'}, by test/analyze/analyze-dvr.lab.test.ts`);
      fs.copyFileSync(path.join(stateDir, 'facts.json'), path.join(dir, 'facts.json'));
      fs.writeFileSync(path.join(dir, 'expected-failures.txt'), `#source: live \`haprobe run -p ${PROFILE}\` on the same lab state (check, subject, verdict; one line per distinct row)\n${liveKeys.join('\n')}\n`);
      fs.writeFileSync(path.join(dir, 'analyze-failures.txt'), `#source: \`haprobe analyze\` of these sosreports (differs from the run only where sos 4.0 collects less: a warn/skip there)\n${offKeys.join('\n')}\n`);
      fs.writeFileSync(path.join(dir, 'expected-verdict.txt'), `#source: live \`haprobe run -p ${PROFILE}\` on the same lab state: verdict and exit code\n${live.result.verdict} ${live.code}\n`);
    }
    return live.result;
  };

  it('healthy DVR lab: analyze gives the run\'s verdict', async () => {
    const live = await compare('healthy');
    expect(failingKeys(live)).to.deep.equal([]);
  });

  // both faults at once, in one lab state (one sos round); one by one when the fixtures are written
  const groups = process.env.HAPROBE_WRITE_SOS_FIXTURES === '1' ? FAULTS.map((f) => [f]) : [FAULTS];
  for (const group of groups) {
    it(`${group.length > 1 ? 'faults' : 'fault'} ${group.join(' + ')}: analyze gives the run's failing findings`, async () => {
      try {
        const recs = [];
        for (const fault of group) recs.push(await applyFault({ stateDir, name: fault }));
        const live = await compare(group.join('+'), group.join(', '));
        for (const rec of recs) expect(findingsMatching(live, rec.check, parseLabSubject(rec.subject)).length, rec.name).to.be.greaterThan(0);
      } finally {
        await healFaults({ stateDir });
      }
    });
  }
});
