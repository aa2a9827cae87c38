import { check } from '../../checks/ovn-metadata-namespace';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { NET1, ovnCloud } from './fixtures/ovn';

const META = `ovnmeta-${NET1}`;

export const cases: CheckCases = {
  check,
  valid: [{ name: 'healthy: cmp1 hosts a net1 instance and has ovnmeta-<net1> with 169.254.169.254; gw1 hosts none', cloud: ovnCloud(), withFacts: false }],
  invalid: [
    {
      name: 'ovnmeta-<net1> on gw1 (no instance there) instead of cmp1',
      cloud: ovnCloud({ ovnmeta: { gw1: [META] } }),
      withFacts: false,
      findings: [
        { verdict: 'fail', subject: { node: 'cmp1', namespace: META } },
        { verdict: 'warn', subject: { node: 'gw1', namespace: META } },
      ],
    },
    {
      name: 'no ovnmeta- namespace anywhere: warn (metadata agent deployed?), not fail',
      cloud: ovnCloud({ ovnmeta: {} }),
      withFacts: false,
      findings: [{ verdict: 'warn', subject: { node: 'cmp1', namespace: META } }],
    },
  ],
};

runCheckCases(cases);
