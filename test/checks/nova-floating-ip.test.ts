import { check } from '../../checks/nova-floating-ip';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { addAddress, dropAddress, dropRules, novaCloud } from './fixtures/nova';

export const cases: CheckCases = {
  check,
  valid: [
    { name: 'healthy nova-flatdhcp lab (both FIPs on net1)', cloud: novaCloud('nova-flatdhcp') },
    { name: 'healthy nova-multihost lab (each FIP on its instance host)', cloud: novaCloud('nova-multihost') },
  ],
  invalid: [
    {
      name: 'float-snat pair of 203.0.113.101 missing on net1',
      cloud: dropRules(novaCloud('nova-flatdhcp'), 'net1', /float-snat -s 10\.0\.0\.11\//),
      findings: [{ verdict: 'fail', subject: { node: 'net1', floatingIp: '203.0.113.101' } }],
    },
    {
      name: 'POSTROUTING ctstate DNAT SNAT of 203.0.113.102 missing',
      cloud: dropRules(novaCloud('nova-flatdhcp'), 'net1', /POSTROUTING -s 10\.0\.0\.12\/32 -m conntrack --ctstate DNAT/),
      findings: [{ verdict: 'fail', subject: { node: 'net1', floatingIp: '203.0.113.102' } }],
    },
    {
      name: '/32 of 203.0.113.101 missing on eth0 of net1',
      cloud: dropAddress(novaCloud('nova-flatdhcp'), 'net1', '203.0.113.101'),
      findings: [{ verdict: 'fail', subject: { node: 'net1', floatingIp: '203.0.113.101' } }],
    },
    {
      name: 'multi_host: 203.0.113.101 also bound on cmp2 after a migration',
      cloud: addAddress(novaCloud('nova-multihost'), 'cmp2', 'eth0', '203.0.113.101'),
      findings: [{ verdict: 'fail', subject: { node: 'cmp2', floatingIp: '203.0.113.101' } }],
    },
  ],
};

runCheckCases(cases);
