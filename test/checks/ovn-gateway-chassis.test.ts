import { check } from '../../checks/ovn-gateway-chassis';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { GW1_LRP, R1, labCloud, ovnCloud } from './fixtures/ovn';

export const cases: CheckCases = {
  check,
  valid: [
    { name: 'the live OVN lab (i11-ovnlab: OVN 23.03, neutron Zed, distributed FIPs whose external_mac is the FIP port MAC)', cloud: labCloud(), withFacts: false },{ name: 'healthy OVN 23.03 NB/SB (Gateway_Chassis 3/2/1, HA_Chassis_Group 32767…)', cloud: ovnCloud(), withFacts: false }],
  invalid: [
    {
      name: 'six gateway chassis, gw2 sharing priority 3 with gw1, gwx unregistered, computes unmarked (made with ovn-nbctl)',
      cloud: ovnCloud({ db: 'gw-priorities' }),
      withFacts: false,
      findings: [
        { verdict: 'fail', subject: { router: R1, port: GW1_LRP } },
        { verdict: 'warn', subject: { router: R1, port: GW1_LRP } },
      ],
    },
  ],
};

runCheckCases(cases);
