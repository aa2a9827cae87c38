import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { splitSections } from '../../src/collect/sections';
import { parseDnsmasqProcesses, parseListeningSockets, parseNovaConfKeys, parseNovaOptsFiles } from '../../src/parse/parse-nova';

/** the nova sections of net1 as captured on the nova-flatdhcp lab (test/checks/fixtures/nova) */
const FILE = path.resolve(__dirname, '../../../test/checks/fixtures/nova/nova-flatdhcp/net1.txt');
const section = (key: string): string => {
  const text = fs.readFileSync(FILE, 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
  return splitSections(text).sections.find((s) => s.key === key)!.output;
};

describe('nova section parsers (real lab output)', () => {
  it('nova-dnsmasq: the dnsmasq nova started, with its Juno argv', () => {
    const { value, warnings } = parseDnsmasqProcesses(section('nova-dnsmasq'));
    expect(warnings).to.deep.equal([]);
    expect(value).to.have.length(1);
    expect(value[0]!.argv).to.include.members(['--listen-address=10.0.0.1', '--dhcp-optsfile=/var/lib/nova/networks/nova-br100.opts', '--bind-interfaces']);
  });
  it('nova-opts: nova-br100.opts holds 3,<gateway>', () => {
    const { value, warnings } = parseNovaOptsFiles(section('nova-opts'));
    expect(warnings).to.deep.equal([]);
    expect(value).to.deep.equal([{ path: '/var/lib/nova/networks/nova-br100.opts', lines: ['3,10.0.0.1'] }]);
  });
  it('nova-listen: the metadata API on my_ip:8775 and dnsmasq on 53', () => {
    const { value, warnings } = parseListeningSockets(section('nova-listen'));
    expect(warnings).to.deep.equal([]);
    expect(value).to.deep.include({ address: '203.0.113.2', port: 8775 });
    expect(value).to.deep.include({ address: '10.0.0.1', port: 53 });
  });
  it('nova-conf: data-plane keys only (the lab planted a password line: never collected)', () => {
    const { value } = parseNovaConfKeys(section('nova-conf'));
    expect(value).to.include({ multi_host: 'False', public_interface: 'eth0', metadata_port: '8775', send_arp_for_ha: 'True' });
    expect(Object.keys(value).some((k) => /password/.test(k))).to.equal(false);
  });
  it('is total: junk becomes warnings with line numbers', () => {
    expect(parseListeningSockets('garbage line\n').warnings[0]!.line).to.equal(1);
    expect(parseDnsmasqProcesses('stray\n@pid 7\ndnsmasq\n').value).to.deep.equal([{ pid: 7, argv: ['dnsmasq'] }]);
    expect(parseNovaConfKeys('[DEFAULT]\n').warnings).to.have.length(1);
  });
});

describe('nova-ha section (real output of the nova-hot-standby lab standby net2)', () => {
  it('the cluster manager processes with their argv (keepalived parent and VRRP child)', () => {
    const file = path.resolve(__dirname, '../../../test/checks/fixtures/nova/nova-hot-standby/net2.txt');
    const text = fs.readFileSync(file, 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
    const { value, warnings } = parseDnsmasqProcesses(splitSections(text).sections.find((s) => s.key === 'nova-ha')!.output);
    expect(warnings).to.deep.equal([]);
    expect(value.length).to.be.greaterThan(0);
    expect(value.every((p) => p.argv[0] === 'keepalived')).to.equal(true);
    expect(value[0]!.argv).to.include('/etc/nova/keepalived-nova-network.conf');
  });
});
