import { check } from '../../checks/nova-dhcp-isolation';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { mutate, nodeOf, novaCloud } from './fixtures/nova';

/**
 * nova-dhcp-isolation on snapshots captured from the nova-multihost lab (own dhcp_server per
 * compute) and the nova-multihost-shared lab (share_address: 10.0.0.1 on every compute, the
 * isolate_dhcp_address ebtables rules on eth1).
 */
export const cases: CheckCases = {
  check,
  valid: [
    { name: 'multi_host, own dhcp_server per compute (10.0.0.2, 10.0.0.3)', cloud: novaCloud('nova-multihost') },
    { name: 'multi_host with share_address: 10.0.0.1 on both computes, isolated by ebtables', cloud: novaCloud('nova-multihost-shared') },
    {
      name: 'share_address from nova.conf (share_dhcp_address = True) when the facts do not say it',
      cloud: mutate(novaCloud('nova-multihost-shared'), (c) => { delete c.facts!.nova!.networks[0]!.shareAddress; }),
    },
  ],
  invalid: [
    {
      name: 'share_address: the ebtables rules gone on cmp2',
      cloud: mutate(novaCloud('nova-multihost-shared'), (c) => { nodeOf(c, 'cmp2').nova!.ebtables!.rules = []; }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp2', device: 'br100' } }],
    },
    {
      name: 'share_address: only the ARP-in rule missing on cmp1',
      cloud: mutate(novaCloud('nova-multihost-shared'), (c) => { const e = nodeOf(c, 'cmp1').nova!.ebtables!; e.rules = e.rules.filter((r) => r.chain !== 'INPUT'); }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', device: 'br100' } }],
    },
    {
      name: 'share_address: the bridge firewall not read on cmp1 (no ebtables): skip, never fail',
      cloud: mutate(novaCloud('nova-multihost-shared'), (c) => { delete nodeOf(c, 'cmp1').nova!.ebtables; }),
      findings: [{ verdict: 'skip', subject: { node: 'cmp1', device: 'br100' } }],
    },
    {
      name: 'without share_address: two computes given one dhcp_server',
      cloud: mutate(novaCloud('nova-multihost'), (c) => { c.facts!.nova!.dhcpServers![1]!.address = c.facts!.nova!.dhcpServers![0]!.address; }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', device: 'br100' } }, { verdict: 'fail', subject: { node: 'cmp2', device: 'br100' } }],
    },
    {
      name: 'without share_address: cmp2\'s br100 also carries cmp1\'s dhcp_server',
      cloud: mutate(novaCloud('nova-multihost'), (c) => {
        nodeOf(c, 'cmp2').root!.devices.find((d) => d.name === 'br100')!.addresses.push({ address: '10.0.0.2', prefixLen: 24, family: 'inet', scope: 'global' });
      }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp2', device: 'br100' } }],
    },
  ],
};

runCheckCases(cases);
