import * as path from 'path';
import { expect } from 'chai';
import type { Finding } from '../../src/engine/types';
import { HaprobeError } from '../../src/errors';
import { describeFindings, listManifests, matchesExpected, readManifest, replayDeployment } from './replay-deployment';

/**
 * The replay suite (issue 15): whole snapshots assembled from coherent sets of real outputs
 * published by operators of ONE deployment each, judged by the profile the deployment runs.
 * Healthy deployments pass with no fail (a warn only where the manifest says why it is right);
 * broken ones fail with exactly the expected check and subject. Manifests: deployments/*.yaml.
 */
describe('replay: real deployments judged from their published outputs', () => {
  it('covers at least 8 deployments, 5 named releases, legacy, L3 HA and DVR, healthy and broken (issue 15)', () => {
    const all = listManifests().map(readManifest);
    expect(new Set(all.map((m) => m.deployment ?? m.id)).size).to.be.at.least(8);
    expect(new Set(all.map((m) => m.release).filter((r) => r !== 'unknown')).size).to.be.at.least(5);
    expect([...new Set(all.map((m) => m.mode))]).to.include.members(['legacy', 'ha', 'dvr']);
    expect([...new Set(all.map((m) => m.expect.verdict))]).to.include.members(['pass', 'fail']);
  });

  for (const file of listManifests()) {
    const m = readManifest(file);
    const title = `${m.id} (${m.release}, ${m.mode}, ${m.profile}) → ${m.expect.verdict}`;
    const bugs = m.knownCheckBugs ?? [];
    const isKnownBug = (f: Finding): boolean => bugs.some((b) => matchesExpected(f, b, 'fail'));
    // the verdict test keeps asserting the right verdict; it is skipped while a named check bug blocks it
    const verdictTest = m.verdictBlockedBy ? it.skip : it;
    verdictTest(m.verdictBlockedBy ? `${title} — check bug: ${m.verdictBlockedBy}` : title, () => {
      if (m.expect.verdict === 'refused') {
        expect(() => replayDeployment(m)).to.throw(HaprobeError, m.expect.refusedAs ?? 'this looks like');
        return;
      }
      const result = replayDeployment(m);
      const judged = result.findings.filter((f) => !isKnownBug(f));
      const open = judged.filter((f) => f.verdict === 'fail' || f.verdict === 'error');
      const warns = judged.filter((f) => f.verdict === 'warn');
      const failures = m.expect.failures ?? [];
      const tolerated = m.expect.tolerated ?? [];
      const all = `${path.basename(file)} findings:\n${describeFindings(result.findings)}`;
      for (const f of open) {
        expect(failures.some((e) => matchesExpected(f, e, 'fail')), `unexpected ${f.verdict}: ${f.checkId} ${JSON.stringify(f.subject)}\n${all}`).to.equal(true);
      }
      for (const e of failures) {
        expect(open.some((f) => matchesExpected(f, e, 'fail')), `expected ${e.check} ${JSON.stringify(e.subject ?? {})} to fail\n${all}`).to.equal(true);
      }
      for (const f of warns) {
        expect(tolerated.some((e) => matchesExpected(f, e, 'warn')), `warn without a reason in the manifest: ${f.checkId} ${JSON.stringify(f.subject)}\n${all}`).to.equal(true);
      }
      expect(open.length > 0 ? 'fail' : 'pass', all).to.equal(m.expect.verdict);
      // every node's outputs were read: each node has at least one namespace or OVS bridge
      expect(result.nodes.every((n) => n.reachable)).to.equal(true);
    });
    // false alarms of checks on this deployment today: enable each when its check is fixed
    for (const b of bugs) {
      it.skip(`${m.id}: no ${b.verdict ?? 'fail'} from ${b.check} ${JSON.stringify(b.subject ?? {})} — check bug: ${b.bug}`, () => {
        const hits = replayDeployment(m).findings.filter((f) => matchesExpected(f, b, 'fail'));
        expect(describeFindings(hits)).to.equal('');
      });
    }
  }
});
