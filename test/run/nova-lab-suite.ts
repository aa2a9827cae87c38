import { expect } from 'chai';
import * as path from 'node:path';
import { applyFault, healFaults, labDown, labUp } from '../../src/lab';
import { useLabSuite } from '../helpers/lab-suite';
import { describeFindings, expectationOf, expectFaultCaught, failing, rowChecksFiring, runAgainstLab } from './run-helpers';

/** examples/nova/flatdhcp-waivers.yaml (the SPOF finding, waived knowingly) */
export const NOVA_FLAT_WAIVERS = path.resolve(__dirname, '../../../examples/nova/flatdhcp-waivers.yaml');

/**
 * One @lab suite per nova profile (issue 9): healthy lab passes (with `waivers` when the profile
 * carries a design finding), each fault makes `haprobe run` exit 1 with the fault's check and
 * subject (and, for send_arp_for_ha off, §7 row 31's lp#782364 among the check's references:
 * expectFaultCaught), heal makes it clean again. `extra` tests run against the healthy lab.
 */
export interface NovaLabSuiteOptions {
  waivers?: string;
  extra?: (stateDir: () => string) => void;
  /** the `run -p` profile when the lab is a variant of another (nova-multihost-shared → nova-multihost) */
  runProfile?: string;
  /** per fault: what the failing finding's message must say (the reason, besides check and subject) */
  reasons?: Record<string, RegExp>;
}

export function describeNovaLab(profile: string, faults: string[], opts: NovaLabSuiteOptions = {}): void {
  const runProfile = opts.runProfile ?? profile;
  describe(`haprobe run against the ${profile} lab @lab`, function () {
    this.timeout(180_000);
    const stateDir = `/var/tmp/haprobe-runtest-${profile}`;
    const waiverArgs = opts.waivers ? ['--waivers', opts.waivers] : [];
    const lab = useLabSuite(
      async () => {
        await labDown({ stateDir }).catch(() => undefined);
        await labUp({ profile, stateDir, renderer: 'silent' });
        return stateDir;
      },
      () => labDown({ stateDir }),
      { upMs: 120_000, downMs: 60_000 },
    );

    it('a healthy lab passes every check and exits 0', async () => {
      const { code, result } = await runAgainstLab(stateDir, runProfile, waiverArgs);
      expect(describeFindings(failing(result).filter((f) => !f.waived)), 'failing findings').to.equal('');
      expect(rowChecksFiring(result), 'issue 12: the §7 checks on a healthy lab').to.equal('');
      expect(code).to.equal(0);
      expect(result.nodes.every((n) => n.reachable)).to.equal(true);
      expect(result.summary.pass).to.be.greaterThan(3);
      expect(result.warnings ?? [], 'lines haprobe did not understand').to.deep.equal([]);
    });

    opts.extra?.(lab);

    for (const fault of faults) {
      it(`fault ${fault}: run exits 1 with the specific finding`, async () => {
        const rec = await applyFault({ stateDir, name: fault });
        try {
          const { code, result } = await runAgainstLab(stateDir, runProfile, waiverArgs);
          expect(code, 'exit code').to.equal(1);
          const hits = expectFaultCaught(result, expectationOf(fault), rec.subject).filter((f) => f.verdict === 'fail');
          expect(hits.length, `a ${rec.check} fail on ${rec.subject}; got:\n${describeFindings(failing(result))}`).to.be.greaterThan(0);
          const reason = opts.reasons?.[fault];
          if (reason) expect(hits.map((f) => f.message).join('\n')).to.match(reason);
        } finally {
          await healFaults({ stateDir, name: fault });
        }
      });
    }

    it('after heal the run is clean again', async () => {
      const { code, result } = await runAgainstLab(stateDir, runProfile, waiverArgs);
      expect(describeFindings(failing(result).filter((f) => !f.waived))).to.equal('');
      expect(code).to.equal(0);
    });
  });
}
