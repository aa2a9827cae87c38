import { expect } from 'chai';
import { check } from '../../checks/nova-hw-gateway';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { dropAddress, dropRules, mutate, nodeOf, novaCloud } from './fixtures/nova';

/** fixtures: the nova-hw-gateway lab (test/checks/fixtures/nova/nova-hw-gateway/) */
export const cases: CheckCases = {
  check,
  valid: [
    { name: 'healthy nova-hw-gateway lab: dnsmasq hands out 10.0.0.254, net1 drops br100 forwarding, upstream DNATs metadata to 203.0.113.2:8775', cloud: novaCloud('nova-hw-gateway') },
  ],
  invalid: [
    {
      name: 'dhcp-option=3 removed from dnsmasq_config_file: the opts file hands out the network host 10.0.0.1',
      cloud: mutate(novaCloud('nova-hw-gateway'), (c) => { nodeOf(c, 'net1').nova!.dnsmasqConfFiles![0]!.lines = []; }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', device: 'br100' } }],
    },
    {
      name: 'dnsmasq started without --conf-file (dnsmasq_config_file unset)',
      cloud: mutate(novaCloud('nova-hw-gateway'), (c) => {
        for (const p of nodeOf(c, 'net1').nova!.dnsmasq!) p.argv = p.argv.map((a) => (a.startsWith('--conf-file=') ? '--conf-file=' : a));
      }),
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
      findings: [{ verdict: 'fail', subject: { device: 'br100' } }],
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
