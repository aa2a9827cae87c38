import { check } from '../../checks/nova-hot-standby';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { addAddress, mutate, nodeOf, novaCloud } from './fixtures/nova';

/** snapshots of the nova-hot-standby lab (net1 active, net2 standby under keepalived) */
export const cases: CheckCases = {
  check,
  valid: [
    { name: 'healthy pair: net1 holds the role, net2 runs keepalived with br100 and send_arp_for_ha ready', cloud: novaCloud('nova-hot-standby') },
  ],
  invalid: [
    {
      name: 'keepalived dead on the standby: it never takes over',
      cloud: mutate(novaCloud('nova-hot-standby'), (c) => { nodeOf(c, 'net2').nova!.clusterManager = []; }),
      findings: [{ verdict: 'fail', subject: { node: 'net2' } }],
    },
    {
      name: 'keepalived dead on the active host: the standby will take over beside it',
      cloud: mutate(novaCloud('nova-hot-standby'), (c) => { nodeOf(c, 'net1').nova!.clusterManager = []; }),
      findings: [{ verdict: 'fail', subject: { node: 'net1' } }],
    },
    {
      name: 'send_arp_for_ha left False on the standby (LP 782364)',
      cloud: mutate(novaCloud('nova-hot-standby'), (c) => { nodeOf(c, 'net2').nova!.conf!['send_arp_for_ha'] = 'False'; }),
      findings: [{ verdict: 'fail', subject: { node: 'net2' } }],
    },
    {
      name: 'split brain: the dhcp_server on both bridges',
      cloud: addAddress(novaCloud('nova-hot-standby'), 'net2', 'br100', '10.0.0.1'),
      findings: [{ verdict: 'fail', subject: { node: 'net1', device: 'br100' } }, { verdict: 'fail', subject: { node: 'net2', device: 'br100' } }],
    },
    {
      name: 'nobody holds the role',
      cloud: mutate(novaCloud('nova-hot-standby'), (c) => {
        for (const d of nodeOf(c, 'net1').root!.devices) d.addresses = d.addresses.filter((a) => a.address !== '10.0.0.1');
      }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', device: 'br100' } }],
    },
    {
      name: 'eth1 not in br100 on the standby',
      cloud: mutate(novaCloud('nova-hot-standby'), (c) => { delete nodeOf(c, 'net2').root!.devices.find((d) => d.name === 'eth1')!.master; }),
      findings: [{ verdict: 'fail', subject: { node: 'net2' } }],
    },
  ],
};

runCheckCases(cases);
