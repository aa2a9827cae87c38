import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { neutronLabPaths } from '../../src/lab/neutron/names';
import { longestGapMs, outageUntilMs, parseArpLine, parseBfdShow } from '../../src/lab/neutron/ovn-failover';
import { rowsOfDbJson } from '../../src/lab/neutron/ovn-build';
import { renderOvnChassisInfra, renderOvnMl2Conf, renderOvnServerConf } from '../../src/lab/neutron/ovn-render';
import { isOvnProfile, ovnTopologyOf } from '../../src/lab/neutron/ovn-topology';
import { listOvnFaults, OVN_FAULTS } from '../../src/lab/neutron/ovn-faults';

/** the pure parts of the ML2/OVN lab (issue 11): topology, rendered configs, the failover parsers */
const fixture = (name: string): string =>
  fs.readFileSync(path.resolve(__dirname, '../../../test/fixtures/ovn-lab', name), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');

describe('ML2/OVN lab: pure parts', () => {
  it('topology: central, three gateway chassis, two computes, one instance per compute', () => {
    const t = ovnTopologyOf('ovn');
    expect(t.chassis.filter((c) => c.gateway).map((c) => c.name)).to.deep.equal(['gw1', 'gw2', 'gw3']);
    expect(t.chassis.filter((c) => !c.gateway).map((c) => c.name)).to.deep.equal(['cmp1', 'cmp2']);
    expect(t.central.roles).to.deep.equal(['controller']);
    expect(t.distributedFip).to.equal(true);
    expect(ovnTopologyOf('ovn-centralized').distributedFip).to.equal(false);
    expect(isOvnProfile('neutron-l3ha')).to.equal(false);
  });

  it('neutron-server: the in-tree OVN driver and L3 plugin, both connections, the FIP mode', () => {
    const p = neutronLabPaths('/var/tmp/x');
    expect(renderOvnServerConf(p)).to.include('service_plugins = ovn-router');
    const ml2 = renderOvnMl2Conf(true);
    expect(ml2).to.include('mechanism_drivers = ovn').and.include('ovn_nb_connection = tcp:198.18.8.5:6641')
      .and.include('ovn_sb_connection = tcp:198.18.8.5:6642').and.include('enable_distributed_floating_ip = true');
    expect(renderOvnMl2Conf(false)).to.include('enable_distributed_floating_ip = false');
  });

  it('chassis: netdev bridges, Geneve over br-phy, gateways marked enable-chassis-as-gw, computes not', () => {
    const t = ovnTopologyOf('ovn');
    const gw = renderOvnChassisInfra(t.chassis[0], '/d', '/k');
    expect(gw).to.include('external_ids:ovn-cms-options=enable-chassis-as-gw').and.include('external_ids:ovn-encap-ip=198.18.9.11')
      .and.include('external_ids:ovn-bridge-mappings=extnet:br-ex').and.include('external_ids:ovn-bridge-datapath-type=netdev');
    expect(renderOvnChassisInfra(t.chassis[3], '/d', '/k')).to.not.include('enable-chassis-as-gw');
  });

  it('OVSDB --format=json rows: sets, uuids and maps flattened', () => {
    const text = JSON.stringify({ headings: ['_uuid', 'chassis', 'options', 'external_mac'], data: [[['uuid', 'u1'], ['set', []], ['map', [['a', 'b']]], 'fa:16:3e:00:00:01']] });
    expect(rowsOfDbJson(text)).to.deep.equal([{ _uuid: 'u1', chassis: [], options: { a: 'b' }, external_mac: 'fa:16:3e:00:00:01' }]);
  });

  it('tcpdump -i any ARP lines (real 4.99.3 output): interface, direction, sender MAC, G-ARP addresses', () => {
    const frames = fixture('tcpdump-any-arp.txt').split('\n').filter(Boolean).map((l) => parseArpLine(l, 0)!);
    expect(frames.map((f) => [f.port, f.dir, f.spa, f.tpa])).to.deep.equal([
      ['va', 'Out', '203.0.113.10', '203.0.113.10'], ['vb', 'B', '203.0.113.10', '203.0.113.10'],
      ['va', 'Out', '203.0.113.10', '203.0.113.1'], ['vb', 'B', '203.0.113.10', '203.0.113.1'],
    ]);
    expect(frames[1].srcMac).to.equal('96:6e:ce:67:b3:61');
    expect(parseArpLine('garbage', 0)).to.equal(undefined);
  });

  it('ping -D: the longest gap between replies after the action', () => {
    const out = '[100.000] 64 bytes from 1.1.1.1: icmp_seq=1\n[100.100] 64 bytes from 1.1.1.1: icmp_seq=2\n[103.200] 64 bytes from 1.1.1.1: icmp_seq=33\n';
    expect(longestGapMs(out, 100_050)).to.equal(3100);
  });

  it('ping -D: the outage up to the end of the window counts the silence after the last reply (a return that never recovers)', () => {
    const out = '[100.000] 64 bytes from 1.1.1.1: icmp_seq=1\n[100.100] 64 bytes from 1.1.1.1: icmp_seq=2\n[103.200] 64 bytes from 1.1.1.1: icmp_seq=33\n';
    expect(outageUntilMs(out, 100_050, 103_300)).to.equal(3100);
    expect(outageUntilMs(out, 100_050, 110_000)).to.equal(6800);
    expect(outageUntilMs('', 100_000, 115_000)).to.equal(15_000);
  });

  it('bfd/show of a gateway chassis (real, OVS of Debian 12 under OVN 23.03): four sessions up, budget 1000 ms × 3', () => {
    const rows = parseBfdShow(fixture('gw1-appctl-bfd-show.txt'));
    expect(rows.map((r) => r.iface).sort()).to.deep.equal(['ovn-cmp1-0', 'ovn-cmp2-0', 'ovn-gw2-0', 'ovn-gw3-0']);
    expect(rows.every((r) => r.state === 'up' && r.remote === 'up')).to.equal(true);
    expect(rows[0]).to.include({ minTx: 100, minRx: 1000, mult: 3 });
  });

  it('bfd/show: state and timers per interface', () => {
    const text = '---- ovn-gw2-0 ----\n\tForwarding: true\n\tDetect Multiplier: 3\n\tLocal Minimum TX Interval: 100ms\n\tDetect Time: now +2992ms\n\n\tLocal Flags: none\n\tLocal Session State: up\n\tLocal Diagnostic: No Diagnostic\n\tRemote Session State: up\n';
    const [b] = parseBfdShow(text);
    expect(b.iface).to.equal('ovn-gw2-0');
    expect(b.state).to.equal('up');
    expect(b.minTx).to.equal(100);
    expect(b.mult).to.equal(3);
  });

  it('every OVN fault is listed with its check and, for a §7 row, its bug', () => {
    const rows = listOvnFaults();
    expect(rows.map((r) => r.name)).to.deep.equal(OVN_FAULTS.map((f) => f.name));
    for (const r of rows) if (r.row !== undefined) expect(r.bugs.length).to.be.greaterThan(0);
  });
});
