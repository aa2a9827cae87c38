import { check } from '../../checks/ovn-nat-rows';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { R1, R2, labCloud, ovnCloud } from './fixtures/ovn';

export const cases: CheckCases = {
  check,
  valid: [
    { name: 'the live OVN lab (i11-ovnlab: OVN 23.03, neutron Zed, distributed FIPs whose external_mac is the FIP port MAC)', cloud: labCloud(), withFacts: false },
    { name: 'the live ovn-centralized lab (enable_distributed_floating_ip=False): neutron sets logical_port on both FIP rows, no external_mac — centralized, not LP 2111593', cloud: labCloud('lab/nb-centralized.txt'), withFacts: false },
    { name: 'healthy: snat per subnet, .20 centralized (port down), .21/.22 distributed', cloud: ovnCloud(), withFacts: false },
    { name: 'healthy with distributedFloatingIps=false', cloud: ovnCloud(), withFacts: false, params: { distributedFloatingIps: false } },
  ],
  invalid: [
    {
      name: 'FIP .21 stripped of external_mac+logical_port while its port is up (LP 2111593), duplicate .22 and snat rows on r2 (made with ovn-nbctl)',
      cloud: ovnCloud({ db: 'nat' }),
      withFacts: false,
      findings: [
        { verdict: 'fail', subject: { router: R1, floatingIp: '203.0.113.21' } },
        { verdict: 'fail', subject: { router: R2 } },
        { verdict: 'fail', subject: { router: R2, floatingIp: '203.0.113.22' } },
      ],
    },
  ],
};

runCheckCases(cases);
