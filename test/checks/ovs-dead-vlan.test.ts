import { check } from '../../checks/ovs-dead-vlan';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { DEV, PORT, mutate, nodeOf, type Cloud } from './fixtures/cloud';

const tapOnDead = (edit?: (c: Cloud) => void): Cloud => mutate('legacy', (c) => {
  nodeOf(c, 'cmp1').ovs!.bridges[0]!.ports.find((p) => p.name === DEV.tap1)!.tag = 4095;
  edit?.(c);
});
const port1 = (c: Cloud) => c.facts.ports.find((p) => p.id === PORT.vm1.id)!;
const S1 = { node: 'cmp1', port: PORT.vm1.id, device: DEV.tap1 };

export const cases: CheckCases = {
  check,
  valid: [
    ...healthyFixtures(),
    // the agent parks admin-down and not-yet-bound ports on 4095 on purpose (issue 15)
    { name: 'an admin-down instance port on 4095 (facts adminStateUp false)', cloud: tapOnDead((c) => { port1(c).adminStateUp = false; }) },
    { name: 'an unbound instance port on 4095 (facts: no host)', cloud: tapOnDead((c) => { delete port1(c).host; }) },
  ],
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
    {
      name: 'a bound, admin-up instance port on the dead VLAN',
      cloud: tapOnDead((c) => { port1(c).host = 'cmp1'; }),
      findings: [{ verdict: 'fail', subject: S1 }],
    },
    {
      name: 'no facts: an instance tap on 4095 is reported (warn), not judged critical',
      cloud: tapOnDead(),
      withFacts: false,
      findings: [{ verdict: 'warn', subject: S1 }],
    },
  ],
};

runCheckCases(cases);
