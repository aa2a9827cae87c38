import { expect } from 'chai';
import { readCorpusBody } from '../helpers/corpus';
import { readFixture } from './read-fixture';
import { parseIptablesList, parseIptablesS, parseIptablesSave } from '../../src/parse';
import type { IptablesRule } from '../../src/model/types';

const fields = (r: IptablesRule): Omit<IptablesRule, 'spec' | 'table'> => {
  const { spec: _s, table: _t, ...rest } = r;
  return rest;
};

describe('parse: iptables-save', () => {
  it('reads neutron NAT/filter rules generated here (negations, quoted comment, DNAT/SNAT/REDIRECT)', () => {
    const r = parseIptablesSave(readFixture('iptables-save-netns.txt'));
    expect(r.warnings).to.deep.equal([]);
    expect(r.value.chains).to.deep.include({ table: 'nat', name: 'neutron-l3-agent-PREROUTING' });
    expect(r.value.chains).to.deep.include({ table: 'filter', name: 'INPUT', policy: 'ACCEPT' });
    expect(r.value.rules.map(fields)).to.deep.equal([
      { chain: 'INPUT', target: 'ACCEPT' },
      { chain: 'INPUT', source: '10.9.9.0/24', negated: { source: true }, protocol: 'tcp', target: 'DROP' },
      { chain: 'PREROUTING', target: 'neutron-l3-agent-PREROUTING' },
      {
        chain: 'POSTROUTING', outIface: 'qg-bbbb', negated: { outIface: true }, target: 'ACCEPT',
        comment: 'Perform source NAT on outgoing traffic.',
      },
      { chain: 'POSTROUTING', source: '10.0.0.5/32', target: 'SNAT', toAddress: '203.0.113.20' },
      { chain: 'neutron-l3-agent-PREROUTING', destination: '203.0.113.20/32', target: 'DNAT', toAddress: '10.0.0.5' },
      {
        chain: 'neutron-l3-agent-PREROUTING', destination: '169.254.169.254/32', inIface: 'qr-+', protocol: 'tcp',
        target: 'REDIRECT', toAddress: '9697',
      },
    ]);
    expect(r.value.rules[3]).to.include({
      table: 'nat',
      spec: '! -o qg-bbbb -m conntrack ! --ctstate DNAT -m comment --comment "Perform source NAT on outgoing traffic." -j ACCEPT',
    });
  });
  it('reads a partial iptables-save and reports the publisher\'s "..." lines', () => {
    const r = parseIptablesSave(readCorpusBody('iptables/kaplonski-qrouter-iptables-save-metadata-elided.txt'));
    expect(r.warnings.map((w) => [w.line, w.message])).to.deep.equal([
      [1, 'elided output'], [3, 'elided output'], [5, 'elided output'], [7, 'elided output'],
    ]);
    expect(r.value.rules.map((x) => [x.table, x.chain, x.target])).to.deep.equal([
      ['nat', 'neutron-l3-agent-PREROUTING', 'REDIRECT'],
      ['filter', 'neutron-l3-agent-INPUT', 'ACCEPT'],
      ['filter', 'neutron-l3-agent-INPUT', 'DROP'],
      ['filter', 'neutron-l3-agent-scope', 'DROP'],
    ]);
  });
  it('understands the pre-1.4.3 negation "-s ! X" and -g', () => {
    const r = parseIptablesSave('*filter\n-A X -s ! 10.0.0.0/8 -i ! eth0 -g Y\nCOMMIT\n');
    expect(fields(r.value.rules[0])).to.deep.equal({
      chain: 'X', source: '10.0.0.0/8', inIface: 'eth0', negated: { source: true, inIface: true }, target: 'Y',
    });
  });
  it('never turns a bare word named like an Object.prototype member into a rule field', () => {
    // A match argument such as an ipset or a string match may be any word: "constructor" and
    // "toString" once answered as options through the lookup object's prototype.
    const r = parseIptablesSave('*filter\n-A X -m set --match-set constructor src toString eth0 -j DROP\nCOMMIT\n');
    expect(fields(r.value.rules[0])).to.deep.equal({ chain: 'X', target: 'DROP' });
  });
});

describe('parse: iptables -S', () => {
  it('reads a legacy router nat table (kolla, Ocata)', () => {
    const r = parseIptablesS(readCorpusBody('iptables/elatov-kolla-qrouter-iptables-S-t-nat.txt'), 'nat');
    expect(r.warnings).to.deep.equal([]);
    expect(r.value.chains).to.have.length(10);
    expect(r.value.chains[0]).to.deep.equal({ table: 'nat', name: 'PREROUTING', policy: 'ACCEPT' });
    expect(r.value.chains[4]).to.deep.equal({ table: 'nat', name: 'neutron-l3-agent-OUTPUT' });
    const snat = r.value.rules.filter((x) => x.target === 'SNAT');
    expect(snat.map(fields)).to.deep.equal([
      { chain: 'neutron-l3-agent-snat', outIface: 'qg-ed634bc6-87', target: 'SNAT', toAddress: '10.0.0.152' },
      { chain: 'neutron-l3-agent-snat', target: 'SNAT', toAddress: '10.0.0.152' },
    ]);
    expect(snat[1].spec).to.equal('-m mark ! --mark 0x2/0xffff -m conntrack --ctstate DNAT -j SNAT --to-source 10.0.0.152');
    expect(fields(r.value.rules[4])).to.deep.equal({
      chain: 'neutron-l3-agent-POSTROUTING', inIface: 'qg-ed634bc6-87', outIface: 'qg-ed634bc6-87',
      negated: { inIface: true, outIface: true }, target: 'ACCEPT',
    });
  });
  it('agrees with iptables-save on the nat table generated here', () => {
    const s = parseIptablesS(readFixture('iptables-S-t-nat-netns.txt'), 'nat');
    const save = parseIptablesSave(readFixture('iptables-save-netns.txt'));
    expect(s.warnings).to.deep.equal([]);
    expect(s.value.rules).to.deep.equal(save.value.rules.filter((x) => x.table === 'nat'));
  });
  it('keeps trailing-space lines and reports the "(virbr0 stuff omitted)" elision', () => {
    const r = parseIptablesS(readCorpusBody('iptables/mirantis-nova-network-compute-iptables-S-elided.txt'));
    expect(r.warnings.map((w) => w.line)).to.deep.equal([15]);
    expect(r.value.rules.find((x) => x.chain === 'nova-compute-inst-9' && x.protocol === 'udp')).to.deep.include({
      source: '10.0.0.1/32', target: 'ACCEPT', spec: '-s 10.0.0.1/32 -p udp -m udp --sport 67 --dport 68 -j ACCEPT',
    });
  });
});

describe('parse: iptables -L listing', () => {
  it('reads a nat listing with DNAT to:, redir ports and comments', () => {
    const r = parseIptablesList(readCorpusBody('iptables/9506-lb-qrouter-iptables-n-t-nat-L-fip.txt'), 'nat');
    expect(r.warnings).to.deep.equal([]);
    expect(r.value.chains.find((c) => c.name === 'neutron-l3-agent-OUTPUT')).to.deep.equal({ table: 'nat', name: 'neutron-l3-agent-OUTPUT' });
    const pre = r.value.rules.filter((x) => x.chain === 'neutron-l3-agent-PREROUTING');
    expect(pre.map(fields)).to.deep.equal([
      { chain: 'neutron-l3-agent-PREROUTING', target: 'REDIRECT', protocol: 'tcp', destination: '169.254.169.254', toAddress: '9697' },
      { chain: 'neutron-l3-agent-PREROUTING', target: 'DNAT', destination: '172.16.0.168', toAddress: '192.168.101.88' },
    ]);
    expect(pre[0].spec).to.equal('tcp dpt:80 redir ports 9697');
    const bottom = r.value.rules.find((x) => x.chain === 'neutron-postrouting-bottom');
    expect(bottom).to.deep.include({ comment: 'Perform source NAT on outgoing traffic.', target: 'neutron-l3-agent-snat' });
  });
  it('names numeric protocols as -S and iptables-save do (iptables 1.8 -n lists "6"; issue 15)', () => {
    // the same REDIRECT rule in 9506's Caracal `-L` listing and in the -S form neutron writes
    const listed = parseIptablesList(readCorpusBody('iptables/9506-lb-qrouter-iptables-n-t-nat-L-fip.txt'), 'nat').value.rules;
    const redirect = listed.find((x) => x.target === 'REDIRECT');
    const s = parseIptablesS('-A neutron-l3-agent-PREROUTING -d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 9697', 'nat');
    expect(redirect?.protocol).to.equal(s.value.rules[0].protocol).and.equal('tcp');
    const rows = 'Chain X (policy ACCEPT)\ntarget prot opt source destination\nACCEPT 17 -- 0.0.0.0/0 0.0.0.0/0\nACCEPT 112 -- 0.0.0.0/0 0.0.0.0/0\nACCEPT 250 -- 0.0.0.0/0 0.0.0.0/0\n';
    expect(parseIptablesList(rows).value.rules.map((x) => x.protocol)).to.deep.equal(['udp', 'vrrp', '250']);
  });
  it('reads -v --line-numbers columns (num pkts bytes … in out)', () => {
    const r = parseIptablesList(readCorpusBody('iptables/elatov-ocata-controller-iptables-L-INPUT-n-v-line-numbers.txt'));
    expect(r.warnings).to.deep.equal([]);
    expect(r.value.chains).to.deep.equal([{ table: 'filter', name: 'INPUT', policy: 'ACCEPT' }]);
    expect(r.value.rules).to.have.length(16);
    expect(fields(r.value.rules[4])).to.deep.equal({ chain: 'INPUT', target: 'ACCEPT', inIface: 'lo' });
    expect(r.value.rules[15]).to.deep.include({ target: 'REJECT', spec: 'reject-with icmp-host-prohibited' });
  });
  it('reads the -v listing generated here (negated out interface)', () => {
    const r = parseIptablesList(readFixture('iptables-L-t-nat-n-v-line-numbers-netns.txt'), 'nat');
    expect(r.warnings).to.deep.equal([]);
    const post = r.value.rules.filter((x) => x.chain === 'POSTROUTING');
    expect(post.map(fields)).to.deep.equal([
      { chain: 'POSTROUTING', target: 'ACCEPT', outIface: 'qg-bbbb', negated: { outIface: true }, comment: 'Perform source NAT on outgoing traffic.' },
      { chain: 'POSTROUTING', target: 'SNAT', source: '10.0.0.5', toAddress: '203.0.113.20' },
    ]);
    expect(parseIptablesList(readFixture('iptables-L-n-netns.txt')).warnings).to.deep.equal([]);
  });
});
