import { expect } from 'chai';
import { parseOvnNb } from '../../src/parse/parse-ovn-nb';
import { parseOvnSb } from '../../src/parse/parse-ovn-sb';
import { parseOvnChassis, parseOvnControllerStatus } from '../../src/parse/parse-ovn-chassis';
import { readFixture } from '../checks/fixtures/ovn';

/** issue 11: the OVN parsers on REAL ovn-nbctl/ovn-sbctl 23.03 and ovs-vsctl outputs (test/fixtures/ovn), and on garbage */
describe('parse-ovn (issue 11)', () => {
  it('NB: routers, gateway lists by priority, HA_Chassis_Group, NAT rows with logical_port/external_mac, LSP options', () => {
    const { value, warnings } = parseOvnNb(readFixture('healthy/nb.txt'));
    expect(warnings).to.deep.equal([]);
    expect(value.routers.map((r) => r.name).sort()).to.deep.equal(['neutron-9b2f6c1e-5a1d-4c7e-8f00-111111111111', 'neutron-9b2f6c1e-5a1d-4c7e-8f00-222222222222']);
    const gw1 = value.routerPorts.find((p) => p.name === 'lrp-c0c0c0c0-0000-4000-8000-000000000001')!;
    expect(gw1.gatewayChassis.map((g) => `${g.chassis}:${g.priority}`)).to.deep.equal(['gw1:3', 'gw2:2', 'gw3:1']);
    expect(gw1.mac).to.equal('fa:16:3e:00:01:01');
    expect(gw1.networks).to.deep.equal(['203.0.113.10/24']);
    const gw2 = value.routerPorts.find((p) => p.name === 'lrp-c0c0c0c0-0000-4000-8000-000000000002')!;
    expect(gw2.haChassisGroup).to.equal('neutron-9b2f6c1e-5a1d-4c7e-8f00-222222222222');
    expect(value.haChassisGroups[0]!.members.map((m) => `${m.chassis}:${m.priority}`)).to.deep.equal(['gw2:32767', 'gw3:32766', 'gw1:32765']);
    const fip = value.routers.flatMap((r) => r.nat).find((n) => n.externalIp === '203.0.113.21')!;
    expect(fip).to.include({ type: 'dnat_and_snat', logicalIp: '10.0.1.12', logicalPort: 'f2f2f2f2-0000-4000-8000-000000000002', externalMac: 'fa:16:3e:aa:00:02' });
    const ext = value.switchPorts.find((p) => p.name === 'c0c0c0c0-0000-4000-8000-000000000001')!;
    expect(ext.options).to.deep.include({ 'nat-addresses': 'router', 'exclude-lb-vips-from-garp': 'true', 'router-port': 'lrp-c0c0c0c0-0000-4000-8000-000000000001' });
    expect(value.switchPorts.find((p) => p.type === 'localnet')!.options['network_name']).to.equal('physnet1');
  });

  it('SB: chassis with encap IPs and ovn-cms-options, cr-lrp bindings with the claiming chassis NAME and HA members', () => {
    const { value, warnings } = parseOvnSb(readFixture('healthy/sb.txt'));
    expect(warnings).to.deep.equal([]);
    expect(value.chassis.find((c) => c.name === 'gw1')).to.deep.include({ encapIps: ['192.0.2.11'], cmsOptions: ['enable-chassis-as-gw'] });
    const cr = value.portBindings.find((p) => p.logicalPort === 'cr-lrp-c0c0c0c0-0000-4000-8000-000000000002')!;
    expect(cr.chassis).to.equal('gw2');
    expect(cr.haMembers!.map((m) => m.chassis)).to.deep.equal(['gw2', 'gw3', 'gw1']);
    expect(value.portBindings.find((p) => p.logicalPort === 'f2f2f2f2-0000-4000-8000-000000000002')).to.deep.include({ chassis: 'cmp1', datapath: 'neutron-a1a1a1a1-1111-4222-8333-000000000001', up: true });
  });

  it('chassis: external_ids and tunnels with bfd config/status as ovn-controller and ovs-vsctl left them', () => {
    const { value, warnings } = parseOvnChassis(readFixture('chassis/cmp1-no-vswitchd.txt'));
    expect(warnings).to.deep.equal([]);
    expect(value.externalIds).to.include({ 'system-id': 'cmp1', 'ovn-encap-ip': '192.0.2.21', 'ovn-bridge-mappings': 'physnet1:br-ex' });
    expect(value.tunnels.map((t) => `${t.name} ${t.remoteIp} ${t.bfdEnabled}`)).to.deep.equal([
      'ovn-cmp2-0 192.0.2.22 false', 'ovn-gw1-0 192.0.2.11 true', 'ovn-gw2-0 192.0.2.12 true', 'ovn-gw3-0 192.0.2.13 true',
    ]);
    const down = parseOvnChassis(readFixture('chassis/gw1-bfd-gw2-down.txt')).value.tunnels.find((t) => t.name === 'ovn-gw2-0')!;
    expect(down.bfdStatus).to.include({ state: 'down', forwarding: 'false', diagnostic: 'Control Detection Time Expired' });
  });

  it('ovn-controller status lines', () => {
    expect(parseOvnControllerStatus('version: ovn-controller 23.03.1\nrunning: yes\n')).to.deep.equal({ value: { version: '23.03.1', running: true }, warnings: [] });
    expect(parseOvnControllerStatus('version: \nrunning: no\n').value).to.deep.equal({ running: false });
    expect(parseOvnControllerStatus('garbage\n').warnings[0]).to.include({ line: 1 });
  });

  it('garbage, truncation and errors become warnings with line numbers, never throws', () => {
    const nb = readFixture('healthy/nb.txt').split('\n').filter((l) => l.trim() !== '');
    const cut = parseOvnNb(nb.slice(0, 3).join('\n'));
    expect(cut.warnings.some((w) => /HA_Chassis_Group: not in the output/.test(w.message))).to.equal(true);
    const bad = parseOvnNb(['ovn-nbctl: unix:/run/ovn/ovnnb_db.sock: database connection failed (No such file or directory)', ...nb.slice(1)].join('\n'));
    expect(bad.warnings[0]).to.include({ line: 1 });
    expect(bad.value.routers).to.deep.equal([]);
    for (const text of ['', '{}', '[1,2', '{"headings":["name"],"data":[[1,2]]}\n'.repeat(12), '\u0000\n{"data":5}']) {
      expect(() => parseOvnNb(text)).to.not.throw();
      expect(() => parseOvnSb(text)).to.not.throw();
      expect(() => parseOvnChassis(text)).to.not.throw();
    }
    expect(parseOvnSb('{"headings":["name"],"data":[["x"]]}\nnope').warnings.map((w) => w.line)).to.include(2);
  });
});
