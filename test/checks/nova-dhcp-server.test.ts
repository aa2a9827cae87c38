import { check } from '../../checks/nova-dhcp-server';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { mutate, nodeOf, novaCloud } from './fixtures/nova';

export const cases: CheckCases = {
  check,
  valid: [
    { name: 'healthy nova-flatdhcp lab (net1 serves br100)', cloud: novaCloud('nova-flatdhcp') },
    { name: 'healthy nova-multihost lab (cmp1 and cmp2 each serve br100)', cloud: novaCloud('nova-multihost') },
  ],
  invalid: [
    {
      name: 'dnsmasq dead on cmp2 (multi_host)',
      cloud: mutate(novaCloud('nova-multihost'), (c) => { nodeOf(c, 'cmp2').nova!.dnsmasq = []; }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp2', device: 'br100' } }],
    },
    {
      name: 'dhcp_server not first on br100 of net1',
      cloud: mutate(novaCloud('nova-flatdhcp'), (c) => {
        const br = nodeOf(c, 'net1').root!.devices.find((d) => d.name === 'br100')!;
        br.addresses.unshift({ address: '10.0.0.250', prefixLen: 24, family: 'inet', scope: 'global' });
      }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', device: 'br100' } }],
    },
    {
      name: 'multi_host: cmp1 hands out the network gateway instead of its own dhcp_server',
      cloud: mutate(novaCloud('nova-multihost'), (c) => { nodeOf(c, 'cmp1').nova!.optsFiles![0]!.lines = ['3,10.0.0.1']; }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', device: 'br100' } }],
    },
    {
      name: 'bridge missing on cmp1 (multi_host)',
      cloud: mutate(novaCloud('nova-multihost'), (c) => { const r = nodeOf(c, 'cmp1').root!; r.devices = r.devices.filter((d) => d.name !== 'br100'); }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', device: 'br100' } }],
    },
    {
      name: 'nova sections not collected (published outputs): skip, never fail',
      cloud: mutate(novaCloud('nova-flatdhcp'), (c) => { delete nodeOf(c, 'net1').nova; }),
      findings: [{ verdict: 'skip', subject: { node: 'net1', device: 'br100' } }],
    },
  ],
};

runCheckCases(cases);
