import { check } from '../../checks/nova-vlan-bridge';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { mutate, nodeOf, novaCloud } from './fixtures/nova';

/**
 * nova-vlan-bridge on VlanManager fixtures rendered from the ground-truth §5b templates
 * (test/checks/fixtures/nova/nova-vlan: fixture-only, the kernel here has no 8021q module).
 */
const dev = (c: ReturnType<typeof novaCloud>, node: string, name: string) => nodeOf(c, node).root!.devices.find((d) => d.name === name)!;

export const cases: CheckCases = {
  check,
  valid: [{ name: 'VlanManager: net1 and cmp1 with vlan100/vlan101 in br100/br101, dhcp_servers on net1', cloud: novaCloud('nova-vlan') }],
  invalid: [
    {
      name: 'vlan101 missing on the compute',
      cloud: mutate(novaCloud('nova-vlan'), (c) => { nodeOf(c, 'cmp1').root!.devices = nodeOf(c, 'cmp1').root!.devices.filter((d) => d.name !== 'vlan101'); }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', device: 'br101' } }],
    },
    {
      name: 'vlan100 enslaved in br101 on net1',
      cloud: mutate(novaCloud('nova-vlan'), (c) => { dev(c, 'net1', 'vlan100').master = 'br101'; }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', device: 'br100' } }],
    },
    {
      name: 'vlan100 carries 802.1Q id 200',
      cloud: mutate(novaCloud('nova-vlan'), (c) => { dev(c, 'net1', 'vlan100').vlanId = 200; }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', device: 'br100' } }],
    },
    {
      name: 'dhcp_server 10.0.1.1 not on br101 of the network host',
      cloud: mutate(novaCloud('nova-vlan'), (c) => { dev(c, 'net1', 'br101').addresses = []; }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', device: 'br101' } }],
    },
  ],
};

runCheckCases(cases);
