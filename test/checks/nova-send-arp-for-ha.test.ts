import { check } from '../../checks/nova-send-arp-for-ha';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { mutate, nodeOf, novaCloud } from './fixtures/nova';

export const cases: CheckCases = {
  check,
  valid: [
    { name: 'healthy nova-flatdhcp lab (True in facts and in net1 nova.conf)', cloud: novaCloud('nova-flatdhcp') },
    { name: 'healthy nova-multihost lab (True on every compute)', cloud: novaCloud('nova-multihost') },
  ],
  invalid: [
    {
      name: 'cmp2 nova.conf left at send_arp_for_ha=False (multi_host)',
      cloud: mutate(novaCloud('nova-multihost'), (c) => { nodeOf(c, 'cmp2').nova!.conf!['send_arp_for_ha'] = 'False'; }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp2' } }],
    },
    {
      name: 'key absent on net1 (nova default False)',
      cloud: mutate(novaCloud('nova-flatdhcp'), (c) => { delete nodeOf(c, 'net1').nova!.conf!['send_arp_for_ha']; }),
      findings: [{ verdict: 'fail', subject: { node: 'net1' } }],
    },
    {
      name: 'the cloud intends the default (False): a warn per network host, and net1 (True) disagrees',
      cloud: mutate(novaCloud('nova-flatdhcp'), (c) => { c.facts.nova!.sendArpForHa = false; }),
      findings: [{ verdict: 'warn', subject: { node: 'net1' } }, { verdict: 'fail', subject: { node: 'net1' } }],
    },
  ],
};

runCheckCases(cases);
