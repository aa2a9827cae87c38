import { expect } from 'chai';
import { readCorpusBody } from '../helpers/corpus';
import { readFixture } from './read-fixture';
import { parseKeepalivedConf, parseKeepalivedState, parseOpenstackTable, parseSysctl } from '../../src/parse';

describe('parse: keepalived.conf', () => {
  it('reads the Juno neutron rendering (vrrp_sync_group ignored, one instance)', () => {
    const r = parseKeepalivedConf(readCorpusBody('l3ha/assafmuller-blog-keepalived-conf-juno.txt'));
    expect(r.warnings).to.deep.equal([]);
    expect(r.value).to.deep.equal({
      globalDefs: {},
      instances: [
        {
          name: 'VR_1', state: 'BACKUP', interface: 'ha-45249562-ec', virtualRouterId: 1, priority: 50, advertInt: 2,
          nopreempt: true, trackInterfaces: ['ha-45249562-ec'],
          virtualIpaddress: [{ address: '19.4.4.4', prefixLen: 24, dev: 'qg-843de7e6-8f' }],
          virtualIpaddressExcluded: [{ address: '10.0.0.1', prefixLen: 24, dev: 'qr-dc9d93c6-e2' }],
          virtualRoutes: [{ dst: '0.0.0.0/0', via: '19.4.4.1', dev: 'qg-843de7e6-8f', raw: '0.0.0.0/0 via 19.4.4.1 dev qg-843de7e6-8f' }],
        },
      ],
    });
  });
  it('reads the master template (garp_master_delay, no_track, protocol static) and warns on %(…)s placeholders', () => {
    const r = parseKeepalivedConf(readFixture('keepalived-conf-neutron-functional-template.txt'));
    const inst = r.value.instances[0];
    expect(inst).to.deep.include({ name: 'VR_1', garpMasterDelay: 60, advertInt: 2, nopreempt: true, priority: 50 });
    expect(r.value.globalDefs).to.have.keys(['notification_email_from', 'router_id']);
    expect(inst.virtualIpaddress).to.deep.equal([{ address: '169.254.0.1', prefixLen: 24, dev: '%(ha_device_name)s' }]);
    expect(inst.virtualRoutes[1]).to.deep.equal({ dst: '8.8.8.0/24', via: '19.4.4.4', raw: '8.8.8.0/24 via 19.4.4.4 no_track protocol static' });
    // five excluded VIPs and one route are placeholders: reported, not guessed
    expect(r.warnings.map((w) => w.line)).to.deep.equal([20, 21, 22, 23, 24, 29]);
  });
  it('parses no_track and scope on VIPs, comments and one-line blocks', () => {
    const text = [
      '! Configuration File for keepalived', 'global_defs {', '    router_id neutron # inline', '}',
      'vrrp_instance VR_7 { state BACKUP', '    track_interface { ha-1 }', '    virtual_ipaddress_excluded {',
      '        fe80::f816:3eff:fe00:1/64 dev qr-1 scope link no_track', '        203.0.113.5 dev qg-1', '    }', '}',
    ].join('\n');
    const r = parseKeepalivedConf(text);
    expect(r.warnings).to.deep.equal([]);
    expect(r.value.globalDefs).to.deep.equal({ router_id: 'neutron' });
    expect(r.value.instances[0].trackInterfaces).to.deep.equal(['ha-1']);
    expect(r.value.instances[0].virtualIpaddressExcluded).to.deep.equal([
      { address: 'fe80::f816:3eff:fe00:1', prefixLen: 64, dev: 'qr-1', scope: 'link', noTrack: true },
      { address: '203.0.113.5', prefixLen: 32, dev: 'qg-1' },
    ]);
  });
  it('reports unclosed blocks and unknown keywords', () => {
    const r = parseKeepalivedConf('vrrp_instance VR_1 {\n  state BACKUP\n  bogus_keyword 1\n');
    expect(r.value.instances[0].state).to.equal('BACKUP');
    expect(r.warnings.map((w) => w.line)).to.deep.equal([1, 3]);
  });
});

describe('parse: keepalived state file', () => {
  for (const s of ['primary', 'master', 'backup', 'fault'] as const) {
    it(`reads "${s}"`, () => expect(parseKeepalivedState(`${s}\n`)).to.deep.equal({ value: s, warnings: [] }));
  }
  it('anything else is unknown with a warning', () => {
    expect(parseKeepalivedState('').value).to.equal('unknown');
    expect(parseKeepalivedState('').warnings).to.have.length(1);
    expect(parseKeepalivedState('cat: /var/lib/neutron/ha_confs/x/state: No such file or directory\n')).to.deep.include({ value: 'unknown' });
  });
});

describe('parse: sysctl', () => {
  it('reads `sysctl -a` output generated in a namespace', () => {
    const r = parseSysctl(readFixture('sysctl-a-netns.txt'));
    expect(r.warnings).to.deep.equal([]);
    expect(r.value['net.ipv4.ip_forward']).to.equal('0');
    expect(r.value['net.ipv4.conf.qr-aaaa.send_redirects']).to.equal('1');
    expect(Object.keys(r.value)).to.have.length(16);
  });
  it('reports sysctl error lines', () => {
    const r = parseSysctl('net.ipv4.ip_forward = 1\nsysctl: permission denied on key "fs.protected_regular"\nkernel.x =\n');
    expect(r.value).to.deep.equal({ 'net.ipv4.ip_forward': '1', 'kernel.x': '' });
    expect(r.warnings.map((w) => w.line)).to.deep.equal([2]);
  });
});

describe('parse: openstack / neutron CLI tables', () => {
  it('reads a Field/Value table into fields (router show)', () => {
    const r = parseOpenstackTable(readCorpusBody('openstack-cli/kaplonski-router-show-legacy.txt'));
    expect(r.warnings).to.deep.equal([]);
    expect(r.value.columns).to.deep.equal(['Field', 'Value']);
    expect(r.value.fields).to.include({ ha: 'False', distributed: 'False', name: 'router1', status: 'ACTIVE', routes: '' });
    expect(JSON.parse(r.value.fields?.external_gateway_info ?? '{}').external_fixed_ips[0].ip_address).to.equal('10.10.0.240');
  });
  it('re-joins a value the formatter wrapped inside one JSON cell (neutron devref router show; issue 15)', () => {
    const r = parseOpenstackTable(readCorpusBody('openstack-cli/neutron-devref-layer3-router-show-full.txt'));
    expect(r.warnings).to.deep.equal([]);
    const gw = JSON.parse(r.value.fields?.external_gateway_info ?? '{}');
    expect(gw.external_fixed_ips).to.deep.equal([
      { subnet_id: '0d9c4261-4046-462f-9d92-64fb89bc3ae6', ip_address: '172.24.4.7' },
      { subnet_id: '9e90b059-da97-45b8-8cb8-f9370217e181', ip_address: '2001:db8::1' },
    ]);
  });
  it('reads the old neutron CLI\'s "Created a new floatingip:" title as output, not noise', () => {
    const r = parseOpenstackTable(readCorpusBody('openstack-cli/hustcat-neutron-floatingip-create.txt'));
    expect(r.warnings).to.deep.equal([]);
    expect(r.value.fields).to.include({ floating_ip_address: '203.0.113.11', status: 'DOWN' });
    expect(parseOpenstackTable('Some prose\n+---+\n| a |\n+---+\n').warnings.map((w) => w.message)).to.deep.equal(['text outside the table']);
  });
  it('joins multi-line cells', () => {
    const r = parseOpenstackTable(readCorpusBody('openstack-cli/neutron-devref-layer3-port-list-router.txt'));
    expect(r.value.rows).to.have.length(3);
    expect(r.value.rows[0]['Fixed IP Addresses']).to.equal(
      "ip_address='172.24.4.7', subnet_id='0d9c4261-4046-462f-9d92-64fb89bc3ae6'\nip_address='2001:db8::1', subnet_id='9e90b059-da97-45b8-8cb8-f9370217e181'",
    );
    expect(r.value.rows[2]).to.include({ 'MAC Address': 'fa:16:3e:13:dd:42', Status: 'ACTIVE' });
    expect(r.value.fields).to.equal(undefined);
  });
  it('reads the mangled split-brain table (two active agents) with warnings', () => {
    const r = parseOpenstackTable(readCorpusBody('l3ha/rocky-split-brain-l3-agent-list-hosting-router-two-active.txt'));
    expect(r.value.rows.map((x) => [x.host, x.ha_state])).to.deep.equal([
      ['bj-sjhl-os-controller-gray-161-13', 'standby'],
      ['bj-sjhl-os-controller-gray-161-11', 'active'],
      ['bj-sjhl-os-controller-gray-161-12', 'active'],
    ]);
    expect(r.warnings.map((w) => w.line)).to.deep.equal([1, 3, 8]);
  });
});
