import { expect } from 'chai';
import { forwardsForBridge, handedOutRouter } from '../../checks/lib/nova-hw-gateway';
import type { IptablesRuleset } from '../../src/model/types';

/** pure helpers of nova-hw-gateway (the check itself is tested on lab fixtures in nova-hw-gateway.test.ts) */
describe('nova-hw-gateway helpers', () => {
  const conf = (lines: string[]) => ({ path: '/etc/nova/dnsmasq-nova.conf', lines });
  const opts = (lines: string[]) => ({ path: '/var/lib/nova/networks/nova-br100.opts', lines });

  it('handedOutRouter: the opts file\'s untagged option 3 first (it wins in dnsmasq 2.90, seen on the lab), then the conf file, then dnsmasq\'s own address', () => {
    expect(handedOutRouter(conf(['dhcp-option=3,10.0.0.254']), opts(['3,10.0.0.1']), '10.0.0.1')).to.deep.equal({ address: '10.0.0.1', from: '/var/lib/nova/networks/nova-br100.opts', overridden: '10.0.0.254' });
    expect(handedOutRouter(conf(['dhcp-option=3,10.0.0.254']), opts(['3,10.0.0.254']), '10.0.0.1')).to.deep.equal({ address: '10.0.0.254', from: '/var/lib/nova/networks/nova-br100.opts' });
    expect(handedOutRouter(conf(['dhcp-option=3,10.0.0.254']), opts(['NW-5,3']), '10.0.0.1').address).to.equal('10.0.0.254');
    expect(handedOutRouter(conf(['dhcp-option = option:router,10.0.0.253']), undefined, '10.0.0.1').address).to.equal('10.0.0.253');
    expect(handedOutRouter(conf(['dhcp-option-force=3,10.0.0.252']), undefined, '10.0.0.1').address).to.equal('10.0.0.252');
    // a tagged option is for some clients only: not the network's gateway
    expect(handedOutRouter(conf(['dhcp-option=tag:x,3,10.0.0.9']), opts(['3,10.0.0.1']), '10.0.0.1')).to.deep.equal({ address: '10.0.0.1', from: '/var/lib/nova/networks/nova-br100.opts' });
    expect(handedOutRouter(conf(['dhcp-option=6,8.8.8.8']), undefined, '10.0.0.1').from).to.match(/default/);
    // `3` with no value withholds the gateway
    expect(handedOutRouter(conf(['dhcp-option=3']), undefined, '10.0.0.1').address).to.equal(undefined);
  });

  const rs = (rules: [string, string][], policy = 'ACCEPT'): IptablesRuleset => ({
    chains: [{ table: 'filter', name: 'FORWARD', policy }],
    rules: rules.map(([chain, spec]) => ({ table: 'filter', chain, spec })),
  });

  it('forwardsForBridge: nova\'s ACCEPT forwards, the no-gateway DROP does not, else the FORWARD policy', () => {
    expect(forwardsForBridge(rs([['FORWARD', '-j nova-filter-top'], ['nova-network-FORWARD', '-i br100 -j ACCEPT']]), 'br100', '10.0.0.0/24').forwards).to.equal(true);
    expect(forwardsForBridge(rs([['nova-network-FORWARD', '-i br100 -j DROP'], ['nova-network-FORWARD', '-o br100 -j DROP']]), 'br100', '10.0.0.0/24').forwards).to.equal(false);
    expect(forwardsForBridge(rs([['FORWARD', '-s 10.0.0.0/24 -j REJECT']]), 'br100', '10.0.0.0/24').forwards).to.equal(false);
    expect(forwardsForBridge(rs([['FORWARD', '! -i br100 -j ACCEPT']], 'DROP'), 'br100', '10.0.0.0/24')).to.deep.equal({ forwards: false, why: 'no rule names br100 or 10.0.0.0/24, FORWARD policy DROP' });
    expect(forwardsForBridge(rs([]), 'br100', '10.0.0.0/24').forwards).to.equal(true);
  });
});
