import { expect } from 'chai';
import { novaGarpExpectation } from '../../src/garp/nova-expectation';
import type { Facts } from '../../src/model/facts';

/** pure unit test of the nova G-ARP expectation (the lab test judges a real capture with it) */
const facts = (nova: Partial<NonNullable<Facts['nova']>>): Facts => ({
  version: 1, routers: [], ports: [], floatingIps: [], instances: [], agents: [],
  nova: {
    networkManager: 'flatdhcp', networkHosts: ['net1'], publicInterface: 'eth0',
    networks: [{ label: 'private', cidr: '10.0.0.0/24', bridge: 'br100', gateway: '10.0.0.1', multiHost: false, host: 'net1' }],
    floatingIps: [{ address: '203.0.113.101', fixedIp: '10.0.0.11', host: 'net1' }],
    ...nova,
  },
});
const mac = (): string => 'fa:16:3e:00:00:01';

describe('novaGarpExpectation (ground-truth §5e)', () => {
  it('send_arp_for_ha=True: 3 REPLYs (pattern nova-network) from the FIP host public_interface MAC', () => {
    const p = novaGarpExpectation(facts({ sendArpForHa: true }), '203.0.113.101', mac, 3000);
    expect(p.expected).to.equal(true);
    if (!p.expected) return;
    expect(p.expectation).to.include({ ip: '203.0.113.101', mac: 'fa:16:3e:00:00:01', node: 'net1', device: 'eth0', pattern: 'nova-network' });
    expect(p.count).to.equal(3);
  });
  it('send_arp_for_ha unset (default False): none expected, LP 782364 named', () => {
    const p = novaGarpExpectation(facts({}), '203.0.113.101', mac, 3000);
    expect(p.expected).to.equal(false);
    if (!p.expected) expect(p.reason).to.contain('782364');
  });
  it('send_arp_for_ha_count=1 (Diablo): a one-REPLY pattern', () => {
    const p = novaGarpExpectation(facts({ sendArpForHa: true, sendArpForHaCount: 1 }), '203.0.113.101', mac, 3000);
    if (!p.expected) throw new Error(p.reason);
    expect(typeof p.expectation.pattern === 'object' && p.expectation.pattern.steps.length).to.equal(1);
  });
  it('an unknown FIP or MAC is said, never guessed', () => {
    expect(novaGarpExpectation(facts({ sendArpForHa: true }), '203.0.113.9', mac, 3000).expected).to.equal(false);
    expect(novaGarpExpectation(facts({ sendArpForHa: true }), '203.0.113.101', () => undefined, 3000).expected).to.equal(false);
  });
});
