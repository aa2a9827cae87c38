import { expect } from 'chai';
import { applyFault, FAULTS, healFaults, labDown, labUp } from '../../src/lab';
import { useLabSuite } from '../helpers/lab-suite';
import { describeFindings, failing, findingsMatching, parseLabSubject, runAgainstLab } from './run-helpers';

/**
 * Faults named after the real bugs of ground-truth §7 (issue 12), on one l3ha lab with --extras
 * (lp1823314 needs the second HA router on the same HA network). Per fault: inject, `haprobe run`
 * exits 1 with the registry's check on the registry's subject and the bug number among the
 * check's references in the run file, heal, and the run passes again.
 */
/** fault → what its finding must say (the finding of the bug, not another one on the same subject) */
const BUG_FAULT_MESSAGES: Record<string, RegExp> = {
  lp1520517: /garp_master_refresh set/,
  lp1823314: /virtual_router_id \d+ is used by routers .* on HA network/,
  lp1818614: /holds the primary VIP but its state file says backup/,
  lp1874211: /has no primary on \d+ replica/,
};
const PROFILE = 'neutron-l3ha';

describe('haprobe run against lab faults named after real bugs (l3ha --extras) @lab', function () {
  this.timeout(180_000);
  const stateDir = '/var/tmp/haprobe-runtest-bugs';

  useLabSuite(
    async () => {
      await labDown({ stateDir }).catch(() => undefined);
      await labUp({ profile: PROFILE, stateDir, renderer: 'silent', extras: true });
      return stateDir;
    },
    () => labDown({ stateDir }),
    { upMs: 240_000, downMs: 120_000 },
  );

  it('a healthy lab passes every check and exits 0', async () => {
    const { code, result } = await runAgainstLab(stateDir, PROFILE);
    expect(describeFindings(failing(result)), 'failing findings').to.equal('');
    expect(code).to.equal(0);
  });

  for (const [name, message] of Object.entries(BUG_FAULT_MESSAGES)) {
    it(`fault ${name}: run exits 1 with its check, subject and bug number; after heal it passes`, async () => {
      const spec = FAULTS.find((f) => f.name === name)!;
      expect(spec.bug, 'the registry names the §7 row and bug').to.not.equal(undefined);
      expect(spec.bug!.refs.map((r) => r.replace('#', ''))).to.include(name);
      const rec = await applyFault({ stateDir, name });
      try {
        const { code, result } = await runAgainstLab(stateDir, PROFILE);
        expect(code, 'exit code').to.equal(1);
        const hits = findingsMatching(result, rec.check, parseLabSubject(rec.subject)).filter((f) => message.test(f.message));
        expect(hits.length, `a ${rec.check} finding on ${rec.subject}; got:\n${describeFindings(failing(result))}`).to.be.greaterThan(0);
        const refs = result.checks.find((c) => c.id === rec.check)?.references ?? [];
        for (const bug of spec.bug!.refs) expect(refs, `${rec.check} references`).to.include(`bug:${bug}`);
      } finally {
        await healFaults({ stateDir, name });
      }
      const { code, result } = await runAgainstLab(stateDir, PROFILE);
      expect(describeFindings(failing(result)), `after heal of ${name}`).to.equal('');
      expect(code).to.equal(0);
    });
  }
});
