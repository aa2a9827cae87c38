import { check } from '../../checks/nova-multinic-paths';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { dropAddress, dropRules, mutate, novaCloud } from './fixtures/nova';

/**
 * nova-multinic-paths on snapshots captured from the nova-multinic lab (test/checks/fixtures/nova/
 * nova-multinic: healthy; nova-multinic-same-host: after `lab fault nova-multinic-same-host`).
 */
export const cases: CheckCases = {
  check,
  valid: [
    { name: 'healthy nova-multinic lab (private on net1, private2 on net2, each FIP on its network\'s host)', cloud: novaCloud('nova-multinic') },
  ],
  invalid: [
    {
      name: 'both networks on net1 (captured after the lab fault; facts say networks.host = net1 for both)',
      cloud: novaCloud('nova-multinic-same-host'),
      findings: [{ verdict: 'fail', subject: { node: 'net1', device: 'br101' } }],
    },
    {
      name: 'the data plane says net1 while the facts still say net2 (dhcp_server of private2 observed on net1 only)',
      cloud: mutate(novaCloud('nova-multinic-same-host'), (c) => {
        for (const n of c.facts!.nova!.networks) if (n.label === 'private2') n.host = 'net2';
      }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', device: 'br101' } }],
    },
    {
      name: '/32 of 203.0.113.103 missing on eth0 of net2',
      cloud: dropAddress(novaCloud('nova-multinic'), 'net2', '203.0.113.103'),
      findings: [{ verdict: 'fail', subject: { node: 'net2', floatingIp: '203.0.113.103' } }],
    },
    {
      name: 'PREROUTING DNAT of 203.0.113.104 missing on net2',
      cloud: dropRules(novaCloud('nova-multinic'), 'net2', /PREROUTING -d 203\.0\.113\.104\//),
      findings: [{ verdict: 'fail', subject: { node: 'net2', floatingIp: '203.0.113.104' } }],
    },
    {
      name: 'FIP of a private2 fixed IP associated on net1 (the other path\'s host)',
      cloud: mutate(novaCloud('nova-multinic'), (c) => {
        for (const f of c.facts!.nova!.floatingIps!) if (f.address === '203.0.113.103') f.host = 'net1';
      }),
      findings: [{ verdict: 'fail', subject: { node: 'net2', floatingIp: '203.0.113.103' } }],
    },
    {
      name: 'a fixed IP without a floating IP warns',
      cloud: mutate(novaCloud('nova-multinic'), (c) => {
        c.facts!.nova!.floatingIps = c.facts!.nova!.floatingIps!.filter((f) => f.address !== '203.0.113.104');
      }),
      findings: [{ verdict: 'warn', subject: { node: 'net2', device: 'br101' } }],
    },
  ],
};

runCheckCases(cases);
