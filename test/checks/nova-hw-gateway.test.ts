import { expect } from 'chai';
import { check } from '../../checks/nova-hw-gateway';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { dropAddress, dropRules, mutate, nodeOf, novaCloud } from './fixtures/nova';

/** fixtures: the nova-hw-gateway lab (test/checks/fixtures/nova/nova-hw-gateway/) */
export const cases: CheckCases = {
  check,
  valid: [
    { name: 'healthy nova-hw-gateway lab: dnsmasq hands out 10.0.0.254, net1 drops br100 forwarding, upstream DNATs metadata to 203.0.113.2:8775', cloud: novaCloud('nova-hw-gateway') },
    {
      name: 'the Juno way alone: no --conf-file, the opts file\'s 3,<networks.gateway = router>',
      cloud: mutate(novaCloud('nova-hw-gateway'), (c) => {
        for (const p of nodeOf(c, 'net1').nova!.dnsmasq!) p.argv = p.argv.map((a) => (a.startsWith('--conf-file=') ? '--conf-file=' : a));
      }),
    },
    {
      name: 'the seed\'s way alone (Essex opts file: no untagged option 3): dhcp-option=3,<router> in dnsmasq_config_file',
      cloud: mutate(novaCloud('nova-hw-gateway'), (c) => { nodeOf(c, 'net1').nova!.optsFiles![0]!.lines = []; }),
    },
  ],
  invalid: [
    {
      name: 'the opts file says 3,10.0.0.1 (networks.gateway left at the network host): it wins over dnsmasq_config_file\'s dhcp-option=3,10.0.0.254',
      cloud: mutate(novaCloud('nova-hw-gateway'), (c) => { nodeOf(c, 'net1').nova!.optsFiles![0]!.lines = ['3,10.0.0.1']; }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', device: 'br100' } }],
    },
    {
      name: 'no option 3 anywhere: dnsmasq hands out its own address, the network host',
      cloud: mutate(novaCloud('nova-hw-gateway'), (c) => { nodeOf(c, 'net1').nova!.optsFiles![0]!.lines = []; nodeOf(c, 'net1').nova!.dnsmasqConfFiles![0]!.lines = []; }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', device: 'br100' } }],
    },
    {
      name: 'the network host still forwards for br100 (nova\'s default ACCEPT rules)',
      cloud: mutate(novaCloud('nova-hw-gateway'), (c) => {
        for (const r of nodeOf(c, 'net1').root!.iptables!.rules) if (r.chain === 'nova-network-FORWARD') { r.spec = r.spec.replace('-j DROP', '-j ACCEPT'); r.target = 'ACCEPT'; }
      }),
      findings: [{ verdict: 'warn', subject: { node: 'net1', device: 'br100' } }],
    },
    {
      name: 'metadata DNAT missing on the hardware gateway (upstream)',
      cloud: dropRules(novaCloud('nova-hw-gateway'), 'upstream', /169\.254\.169\.254/),
      findings: [{ verdict: 'fail', subject: { node: 'upstream' } }],
    },
    {
      name: 'the router does not hold 10.0.0.254',
      cloud: dropAddress(novaCloud('nova-hw-gateway'), 'upstream', '10.0.0.254'),
      findings: [{ verdict: 'fail', subject: { node: 'upstream' } }],
    },
    {
      name: 'VlanManager with a hardware gateway (seed 000\'s warning)',
      cloud: mutate(novaCloud('nova-hw-gateway'), (c) => { c.facts!.nova!.networkManager = 'vlan'; }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', device: 'br100' } }],
    },
    {
      name: 'a router haprobe cannot read (no hardwareGatewayNode): the metadata forward is not judged',
      cloud: mutate(novaCloud('nova-hw-gateway'), (c) => { delete c.facts!.nova!.hardwareGatewayNode; }),
      findings: [{ verdict: 'skip', subject: { device: 'br100' } }],
    },
  ],
};

runCheckCases(cases);

describe('nova-dnsmasq-conf section (real output of the nova-hw-gateway lab, net1)', () => {
  it('the dhcp-option lines of the file dnsmasq names with --conf-file', () => {
    expect(nodeOf(novaCloud('nova-hw-gateway'), 'net1').nova!.dnsmasqConfFiles).to.deep.equal([{ path: '/etc/nova/dnsmasq-nova.conf', lines: ['dhcp-option=3,10.0.0.254'] }]);
  });
});
