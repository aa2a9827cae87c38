import { expect } from 'chai';
import { applyFault, FAULTS, healFaults, labDown, labUp } from '../../src/lab';
import type { LabVariant } from '../../src/lab/types';
import { useLabSuite } from '../helpers/lab-suite';
import { describeFindings, expectationOf, expectFaultCaught, failing, rowChecksFiring, runAgainstLab } from './run-helpers';

/**
 * One @lab suite over faults named after real bugs (issue 12): ONE lab, then per fault: inject,
 * `haprobe run` exits 1 with the registry's check on the registry's subject, a finding whose
 * message is the bug's own, and the bug numbers among the check's references (expectFaultCaught); heal, and the run
 * passes again. The healthy lab is run first, so a check that fires on it is seen before any fault.
 */
export function describeBugFaults(title: string, opts: { profile: string; stateDir: string; variant: LabVariant; faults: Record<string, RegExp> }): void {
  describe(title, function () {
    this.timeout(240_000);
    const { profile, stateDir } = opts;

    useLabSuite(
      async () => {
        await labDown({ stateDir }).catch(() => undefined);
        await labUp({ profile, stateDir, renderer: 'silent', ...opts.variant });
        return stateDir;
      },
      () => labDown({ stateDir }),
      { upMs: 300_000, downMs: 120_000 },
    );

    it('a healthy lab passes every check and exits 0', async () => {
      const { code, result } = await runAgainstLab(stateDir, profile);
      expect(describeFindings(failing(result)), 'failing findings').to.equal('');
      expect(rowChecksFiring(result), 'issue 12: the §7 checks on a healthy lab').to.equal('');
      expect(code).to.equal(0);
    });

    // HAPROBE_BUG_FAULTS=a,b runs only those (a rerun after a fix holds the lab lock for less)
    const only = process.env.HAPROBE_BUG_FAULTS?.split(',').filter(Boolean);
    for (const [name, message] of Object.entries(opts.faults).filter(([n]) => !only || only.includes(n))) {
      it(`fault ${name}: run exits 1 with its check, subject and bug number; after heal it passes`, async () => {
        const spec = FAULTS.find((f) => f.name === name)!;
        expect(spec, `fault ${name} is registered`).to.not.equal(undefined);
        if (spec.bug) expect([spec.name, ...(spec.aliases ?? [])]).to.include(spec.bug.refs[0]!.replace('#', ''));
        const rec = await applyFault({ stateDir, name });
        try {
          const { code, result } = await runAgainstLab(stateDir, profile);
          expectFaultCaught(result, expectationOf(name), rec.subject, message);
          expect(code, 'exit code').to.equal(1);
        } finally {
          await healFaults({ stateDir, name });
        }
        const { code, result } = await runAgainstLab(stateDir, profile);
        expect(describeFindings(failing(result)), `after heal of ${name}`).to.equal('');
        expect(code).to.equal(0);
      });
    }
  });
}
