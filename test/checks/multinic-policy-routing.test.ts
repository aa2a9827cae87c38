import { check } from '../../checks/multinic-policy-routing';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { multinicCloud, mutate, nodeOf } from './fixtures/multinic';

/** fixtures: the neutron-multinic-aa lab (test/checks/fixtures/multinic/, cmp1's vm-rule:vm1 / vm-route:vm1) */
export const cases: CheckCases = {
  check,
  valid: [
    { name: 'healthy neutron-multinic-aa lab: from 10.0.0.11 lookup 101, from 10.0.1.11 lookup 102, a default in each', cloud: multinicCloud() },
  ],
  invalid: [
    {
      name: 'the rule of eth1 missing (lab fault mn-no-policy-rule): replies to .102 leave by eth0',
      cloud: mutate(multinicCloud(), (c) => {
        const vm = nodeOf(c, 'cmp1').multiNic!.instances.vm1!;
        vm.rules = vm.rules!.filter((r) => r.from !== '10.0.1.11');
      }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', device: 'vm1' } }],
    },
    {
      name: 'table 101 without its default route',
      cloud: mutate(multinicCloud(), (c) => {
        const vm = nodeOf(c, 'cmp1').multiNic!.instances.vm1!;
        vm.routes = vm.routes!.filter((r) => r.table !== '101');
      }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', device: 'vm1' } }],
    },
    {
      name: 'a real VM (no instance namespace read): skip with the commands to run in the guest',
      cloud: mutate(multinicCloud(), (c) => { delete nodeOf(c, 'cmp1').multiNic; }),
      findings: [{ verdict: 'skip', subject: { node: 'cmp1', device: 'vm1' } }],
    },
  ],
};

runCheckCases(cases);
