import { expect } from 'chai';
import { applyFault, healFaults, labDown, labUp } from '../../src/lab';
import { useLabSuite } from '../helpers/lab-suite';
import { runAgainstLab, failing, describeFindings, expectationOf, expectFaultCaught, rowChecksFiring } from './run-helpers';

/**
 * One @lab suite per profile: a healthy lab passes every check of its profile (exit 0); each
 * fault makes `haprobe run` exit non-zero with the specific finding (the registry's check id, its
 * subject, the bug references of its §7 row: expectFaultCaught), and
 * after heal the run is clean again. One `up` per profile; teardown even when a test fails.
 * `extra` tests run against the healthy lab (before the faults).
 */
export function describeRunAgainstLab(profile: string, faults: string[], opts: { extra?: (stateDir: () => string) => void } = {}): void {
  describe(`haprobe run against the ${profile} lab @lab`, function () {
    this.timeout(180_000);
    const stateDir = `/var/tmp/haprobe-runtest-${profile}`;

    const lab = useLabSuite(
      async () => {
        await labDown({ stateDir }).catch(() => undefined);
        await labUp({ profile, stateDir, renderer: 'silent' });
        return stateDir;
      },
      () => labDown({ stateDir }),
      { upMs: 240_000, downMs: 120_000 },
    );

    it('a healthy lab passes every check and exits 0', async () => {
      const { code, result } = await runAgainstLab(stateDir, profile);
      expect(describeFindings(failing(result)), 'failing findings').to.equal('');
      expect(rowChecksFiring(result), 'issue 12: the §7 checks on a healthy lab').to.equal('');
      expect(code).to.equal(0);
      expect(result.verdict).to.equal('pass');
      expect(result.nodes.every((n) => n.reachable)).to.equal(true);
      expect(result.summary.pass).to.be.greaterThan(10);
      expect(result.warnings ?? [], 'lines haprobe did not understand').to.deep.equal([]);
    });

    opts.extra?.(lab);

    for (const fault of faults) {
      it(`fault ${fault}: run exits non-zero with the specific finding`, async () => {
        const rec = await applyFault({ stateDir, name: fault });
        try {
          const { code, result } = await runAgainstLab(stateDir, profile);
          expect(code, 'exit code').to.be.oneOf(fault === 'node-unreachable' ? [3] : [1]);
          expectFaultCaught(result, expectationOf(fault), rec.subject);
          if (fault !== 'node-unreachable') expect(result.nodes.every((n) => n.reachable)).to.equal(true);
        } finally {
          await healFaults({ stateDir, name: fault });
        }
      });
    }

    it('after heal the run is clean again', async () => {
      const { code, result } = await runAgainstLab(stateDir, profile);
      expect(describeFindings(failing(result))).to.equal('');
      expect(code).to.equal(0);
    });
  });
}
