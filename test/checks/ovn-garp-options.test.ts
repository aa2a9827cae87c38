import { check } from '../../checks/ovn-garp-options';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { R1, R2, labCloud, ovnCloud } from './fixtures/ovn';

export const cases: CheckCases = {
  check,
  valid: [
    { name: 'the live OVN lab (i11-ovnlab: OVN 23.03, neutron Zed, distributed FIPs whose external_mac is the FIP port MAC)', cloud: labCloud(), withFacts: false },{ name: 'healthy: both external LSPs with nat-addresses=router exclude-lb-vips-from-garp=true, localnet present', cloud: ovnCloud(), withFacts: false }],
  invalid: [
    {
      name: 'nat-addresses removed on r1\'s external LSP, exclude-lb-vips-from-garp on r2\'s (made with ovn-nbctl)',
      cloud: ovnCloud({ db: 'garp-options' }),
      withFacts: false,
      findings: [
        { verdict: 'fail', subject: { router: R1, port: 'c0c0c0c0-0000-4000-8000-000000000001' } },
        { verdict: 'warn', subject: { router: R2, port: 'c0c0c0c0-0000-4000-8000-000000000002' } },
      ],
    },
  ],
};

runCheckCases(cases);
