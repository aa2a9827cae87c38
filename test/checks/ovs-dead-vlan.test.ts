import { check } from '../../checks/ovs-dead-vlan';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { DEV, PORT, mutate, nodeOf } from './fixtures/cloud';

export const cases: CheckCases = {
  check,
  valid: healthyFixtures(),
  invalid: [
    {
      name: 'qg- port on the dead VLAN (lp#1827754)',
      cloud: mutate('legacy', (c) => { nodeOf(c, 'net1').ovs!.bridges[0]!.ports.find((p) => p.name === DEV.qg)!.tag = 4095; }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', port: PORT.qg.id, device: DEV.qg } }],
    },
    {
      name: 'fg- port on the dead VLAN (lp#1778643)',
      cloud: mutate('dvr', (c) => { nodeOf(c, 'cmp2').ovs!.bridges[0]!.ports.find((p) => p.name === DEV.fg2)!.tag = 4095; }),
      withFacts: false,
      findings: [{ verdict: 'fail', subject: { node: 'cmp2', port: PORT.fg2.id, device: DEV.fg2 } }],
    },
  ],
};

runCheckCases(cases);
