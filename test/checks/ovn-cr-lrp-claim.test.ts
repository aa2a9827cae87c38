import { check } from '../../checks/ovn-cr-lrp-claim';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { ovnCloud, R1, R2 } from './fixtures/ovn';

const CR1 = 'cr-lrp-c0c0c0c0-0000-4000-8000-000000000001';
const CR2 = 'cr-lrp-c0c0c0c0-0000-4000-8000-000000000002';

export const cases: CheckCases = {
  check,
  valid: [
    { name: 'healthy: r1 on gw1 (priority 3), r2 on gw2 (32767), BFD up', cloud: ovnCloud(), withFacts: false },
    { name: 'healthy without any bfd_status (no ovs-vswitchd): the highest-priority chassis claims, nothing to doubt', cloud: ovnCloud({ chassis: { gw1: 'gw1-no-vswitchd', cmp1: 'cmp1-no-vswitchd' } }), withFacts: false },
  ],
  invalid: [
    {
      name: 'r1 claimed by gw2 while gw1 is BFD up; r2 unclaimed (made with ovn-sbctl)',
      cloud: ovnCloud({ db: 'cr-lrp' }),
      withFacts: false,
      findings: [
        { verdict: 'fail', subject: { router: R1, port: CR1 } },
        { verdict: 'fail', subject: { router: R2, port: CR2 } },
      ],
    },
    {
      name: 'r1 claimed by gw2 and no bfd_status read: not judged (warn), never a fail',
      cloud: ovnCloud({ db: 'cr-lrp', chassis: { gw1: 'gw1-no-vswitchd', cmp1: 'cmp1-no-vswitchd' } }),
      withFacts: false,
      findings: [
        { verdict: 'warn', subject: { router: R1, port: CR1 } },
        { verdict: 'fail', subject: { router: R2, port: CR2 } },
      ],
    },
  ],
};

runCheckCases(cases);
