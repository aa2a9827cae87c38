import { check } from '../../checks/nova-vlan-bridge';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { mutate, nodeOf, novaCloud } from './fixtures/nova';

/**
 * nova-vlan-bridge on VlanManager fixtures rendered from the ground-truth §5b templates
 * (test/checks/fixtures/nova/nova-vlan: kernel 802.1Q devices, which the kernel here cannot make)
 * and on snapshots captured from the nova-vlan lab (test/checks/fixtures/nova/nova-vlan-lab:
 * vlan<N> = OVS internal ports with tag=N on br-vlan, whose other port is vlan_interface eth1).
 */
const dev = (c: ReturnType<typeof novaCloud>, node: string, name: string) => nodeOf(c, node).root!.devices.find((d) => d.name === name)!;
const ovsPort = (c: ReturnType<typeof novaCloud>, node: string, name: string) => nodeOf(c, node).ovs!.bridges.flatMap((b) => b.ports).find((p) => p.name === name)!;

export const cases: CheckCases = {
  check,
  valid: [
    { name: 'VlanManager: net1 and cmp1 with vlan100/vlan101 in br100/br101, dhcp_servers on net1', cloud: novaCloud('nova-vlan') },
    { name: 'the nova-vlan lab: vlan100/vlan101 are tagged OVS internal ports (tag from OVSDB) in br100/br101', cloud: novaCloud('nova-vlan-lab') },
  ],
  invalid: [
    {
      name: 'lab: vlan101 retagged 100 on net1 (two networks on one L2 segment)',
      cloud: mutate(novaCloud('nova-vlan-lab'), (c) => { ovsPort(c, 'net1', 'vlan101').tag = 100; }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', device: 'br101' } }],
    },
    {
      name: 'lab: vlan100 is an untagged OVS port (a trunk) on cmp1',
      cloud: mutate(novaCloud('nova-vlan-lab'), (c) => { delete ovsPort(c, 'cmp1', 'vlan100').tag; }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', device: 'br100' } }],
    },
    {
      name: 'lab: vlan_interface eth1 not on the OVS bridge of vlan100 on cmp1',
      cloud: mutate(novaCloud('nova-vlan-lab'), (c) => { const b = nodeOf(c, 'cmp1').ovs!.bridges.find((x) => x.name === 'br-vlan')!; b.ports = b.ports.filter((p) => p.name !== 'eth1'); }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', device: 'br100' } }],
    },
    {
      name: 'lab: vlan100 taken out of br100 on cmp1',
      cloud: mutate(novaCloud('nova-vlan-lab'), (c) => { delete dev(c, 'cmp1', 'vlan100').master; }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', device: 'br100' } }],
    },
    {
      name: 'lab: OVSDB of cmp1 not read (its vlan100 is a tap): skip, never fail',
      cloud: mutate(novaCloud('nova-vlan-lab'), (c) => { delete nodeOf(c, 'cmp1').ovs; }),
      findings: [{ verdict: 'skip', subject: { node: 'cmp1', device: 'br100' } }],
    },
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
