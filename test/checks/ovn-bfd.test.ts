import { check } from '../../checks/ovn-bfd';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { labCloud, ovnCloud } from './fixtures/ovn';

export const cases: CheckCases = {
  check,
  valid: [
    { name: 'the live OVN lab (i11-ovnlab: OVN 23.03, neutron Zed, distributed FIPs whose external_mac is the FIP port MAC)', cloud: labCloud(), withFacts: false },{ name: 'healthy: gateways meshed, cmp1 → gw1..3 up, none cmp1 → cmp2', cloud: ovnCloud(), withFacts: false }],
  invalid: [
    {
      name: 'gw1 sees gw2 down (Control Detection Time Expired)',
      cloud: ovnCloud({ chassis: { gw1: 'gw1-bfd-gw2-down', cmp1: 'cmp1-bfd-up' } }),
      withFacts: false,
      findings: [{ verdict: 'fail', subject: { node: 'gw1', device: 'ovn-gw2-0' } }],
    },
    {
      name: 'BFD enabled by ovn-controller but no bfd_status (no ovs-vswitchd): warn, not fail',
      cloud: ovnCloud({ chassis: { cmp1: 'cmp1-no-vswitchd' } }),
      withFacts: false,
      findings: ['ovn-gw1-0', 'ovn-gw2-0', 'ovn-gw3-0'].map((device) => ({ verdict: 'warn' as const, subject: { node: 'cmp1', device } })),
    },
  ],
};

runCheckCases(cases);
