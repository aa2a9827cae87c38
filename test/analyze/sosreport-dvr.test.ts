import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { subjectKey } from '../../src/engine/evaluate';
import { buildOfflineCollections } from '../../src/analyze/build-collections';
import { findPlaces } from '../../src/where/find-places';
import { parseWhereTarget } from '../../src/where/parse-target';
import { toWhereNodes } from '../../src/where/where-nodes';
import { SOS_FIXTURES, analyzeNodes, factsOf, fixtureStates, loadAll, sosDirsOf } from './sos-fixtures';
import { failingKeys } from './failing-keys';

/**
 * Real sosreports of the hand-built DVR lab (Debian sos 4.0 inside each node, made by
 * analyze-dvr.lab.test.ts; SOURCE in each): analyze's failing findings and verdict are the live
 * run's on the same lab state (expected-failures.txt, expected-verdict.txt); `where` finds the
 * DVR floating IP where DVR keeps it (the compute's fip- namespace, by proxy ARP on fg-).
 */
const lines = (state: string, file: string): string[] => fs.readFileSync(path.join(SOS_FIXTURES, state, file), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#')).sort();

const FIP = '203.0.113.101';
const ROUTER = '2b3287b6-8d45-4c33-8513-c0e52e2e8277';

describe('analyze: real sosreports from the DVR lab (test/fixtures/sos/dvr-*)', () => {
  const states = fixtureStates().filter((s) => s.startsWith('dvr-'));
  it('has the healthy state and two faults', () => {
    expect(states).to.deep.equal(['dvr-healthy', 'dvr-missing-dnat', 'dvr-stale-namespace']);
  });

  for (const state of states) {
    it(`${state}: the live run's failing findings, verdict and exit code`, async () => {
      const nodes = await loadAll(sosDirsOf(state));
      expect(nodes.map((n) => n.name)).to.deep.equal(['cmp1', 'cmp2', 'net1', 'upstream']);
      const result = analyzeNodes(nodes, factsOf(state), 'neutron-dvr');
      const live = lines(state, 'expected-failures.txt');
      const offline = failingKeys(result);
      expect(offline.filter((k) => !live.includes(k)), 'failures the live run did not have').to.deep.equal([]);
      // where sos 4.0 collects less (per-namespace sysctls): a warn/skip on the same subject, never a pass
      const notJudged = new Set(result.findings.filter((f) => f.verdict === 'warn' || f.verdict === 'skip').map((f) => `${f.checkId} ${subjectKey(f.subject)}`));
      expect(live.filter((k) => !offline.includes(k) && !notJudged.has(k.replace(/ (fail|error)$/, ''))), 'run failures analyze passed').to.deep.equal([]);
      expect(offline).to.deep.equal(lines(state, 'analyze-failures.txt'));
      const [verdict, code] = lines(state, 'expected-verdict.txt')[0].split(' ');
      expect(result.verdict).to.equal(verdict);
      expect(result.verdict === 'pass' ? '0' : '1').to.equal(code);
      expect(result.nodes.map((n) => `${n.name}:${n.roles.join(',')}`)).to.deep.equal(['cmp1:compute', 'cmp2:compute', 'net1:network', 'upstream:gateway']);
      for (const f of result.findings.filter((x) => x.verdict === 'fail')) {
        for (const id of f.evidence) expect(result.evidence.find((e) => e.id === id)?.command).to.match(/^file:sosreport-[a-z0-9]+-[-a-z0-9]+:(sos_commands|var\/lib\/neutron)\//);
      }
    });
  }

  const whereIn = async (state: string) => {
    const facts = factsOf(state);
    return findPlaces(parseWhereTarget(FIP), toWhereNodes(buildOfflineCollections(await loadAll(sosDirsOf(state)), { facts })), facts);
  };

  it('where, healthy: the FIP is owned by cmp1\'s fip- namespace (proxy ARP on fg-, the MAC the upstream has); no disagreement', async () => {
    const r = await whereIn('dvr-healthy');
    const owners = r.places.filter((p) => p.layer === 'address');
    expect(owners.map((o) => `${o.node} ${o.namespace?.split('-')[0]} ${o.at.slice(0, 3)}`)).to.deep.equal(['cmp1 fip fg-']);
    expect(r.places.find((p) => p.layer === 'neighbour' && p.node === 'upstream')?.mac).to.equal(owners[0].mac);
    expect(r.places.some((p) => p.layer === 'nat' && p.namespace === `qrouter-${ROUTER}` && /-i rfp-/.test(p.detail))).to.equal(true);
    expect(r.problems).to.deep.equal([]);
  });

  it('where, stale-namespace: the snat- namespace on cmp1 is named; missing-dnat: the FIP routed with no DNAT behind it', async () => {
    const stale = await whereIn('dvr-stale-namespace');
    expect(stale.problems.map((p) => p.kind)).to.deep.equal(['stale-namespace']);
    expect(stale.problems[0].message).to.include(`cmp1/snat-${ROUTER}`);
    const dnat = await whereIn('dvr-missing-dnat');
    expect(dnat.problems.map((p) => p.kind)).to.deep.equal(['address-without-dnat']);
    expect(dnat.problems[0].message).to.match(/^cmp1\/fip-\S+ routes floating IP 203\.0\.113\.101, but no PREROUTING DNAT for it in qrouter-/);
  });
});
