import { expect } from 'chai';
import { ebtablesRuleOptions, parseEbtables } from '../../src/parse/parse-ebtables';
import { isolationRulesMissing } from '../../checks/lib/nova-isolation';
import { readFixture } from './read-fixture';

/** the bridge firewall of a share_address compute (nova-multihost-shared lab, cmp1), both listing forms */
const body = (name: string): string => readFixture(name).split('\n').filter((l) => !l.startsWith('#source:') && !l.startsWith('#what:')).join('\n');

describe('parseEbtables (real output of the nova-multihost-shared lab)', () => {
  for (const [file, form] of [['ebtables-save-nova-shared.txt', 'ebtables-save'], ['ebtables-L-nova-shared.txt', 'ebtables -t filter -L']] as const) {
    it(`${form}: the four isolate_dhcp_address rules in filter INPUT / OUTPUT / FORWARD, no warning`, () => {
      const { value, warnings } = parseEbtables(body(file));
      expect(warnings).to.deep.equal([]);
      expect(value.chains.filter((c) => c.table === 'filter').map((c) => [c.chain, c.policy])).to.deep.include.members([['INPUT', 'ACCEPT'], ['FORWARD', 'ACCEPT'], ['OUTPUT', 'ACCEPT']]);
      expect(value.rules.filter((r) => r.table === 'filter').map((r) => r.chain).sort()).to.deep.equal(['FORWARD', 'FORWARD', 'INPUT', 'OUTPUT']);
      expect(isolationRulesMissing(value, 'eth1', '10.0.0.1')).to.deep.equal([]);
      // another interface or address is not isolated by these rules
      expect(isolationRulesMissing(value, 'eth2', '10.0.0.1')).to.have.length(4);
      expect(isolationRulesMissing(value, 'eth1', '10.0.0.9').map((m) => m.rule)).to.deep.equal([
        'INPUT -p ARP -i eth1 --arp-ip-dst 10.0.0.9 -j DROP', 'OUTPUT -p ARP -o eth1 --arp-ip-src 10.0.0.9 -j DROP',
      ]);
    });
  }

  it('folds ebtables\' spellings: nova\'s --ip-protocol/--ip-destination-port = printed --ip-proto/--ip-dport, /32 masks, protocol numbers', () => {
    const nova = ebtablesRuleOptions('-p IPv4 -i eth1 --ip-protocol udp --ip-destination-port 67:68 -j DROP');
    expect(ebtablesRuleOptions('-p 0x0800 --in-interface eth1 --ip-proto 17 --ip-dport 67:68 -j DROP')).to.deep.equal(nova);
    expect(ebtablesRuleOptions('-p ARP -i eth1 --arp-ip-dst 10.0.0.1/32 -j DROP')['arp-ip-dst']).to.equal('10.0.0.1');
    expect(ebtablesRuleOptions('-p ARP ! -i eth1 -j DROP').in).to.equal('!eth1');
  });

  it('is total: an unknown line is a warning with its number, rules before any table go to filter', () => {
    const r = parseEbtables('-A INPUT -j DROP\ngarbage\n');
    expect(r.value.rules).to.deep.equal([{ table: 'filter', chain: 'INPUT', spec: '-j DROP' }]);
    expect(r.warnings.map((w) => w.line)).to.deep.equal([2]);
  });
});
