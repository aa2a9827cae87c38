import { expect } from 'chai';
import { parseIpAddr } from '../../src/parse/parse-ip-addr';
import { parseIpAddrJson } from '../../src/parse/parse-ip-addr-json';
import { readFixture } from './read-fixture';

/** vlanId of a vlan device (nova VlanManager's vlan<N>, ground-truth §5b), text and JSON forms */
describe('parseIpAddr / parseIpAddrJson: 802.1Q id of a vlan device', () => {
  it('text `ip -d`: eth0.100@eth0 in a bridge → kind vlan, vlanId 100, link eth0, master', () => {
    const body = readFixture('ip-d-link-vlan-in-bridge.txt').split('\n').filter((l) => !l.startsWith('#')).join('\n');
    const r = parseIpAddr(body);
    expect(r.warnings).to.deep.equal([]);
    const v = r.value.find((d) => d.name === 'eth0.100')!;
    expect(v).to.include({ kind: 'vlan', vlanId: 100, link: 'eth0', master: 'brq6a91ceec-5a' });
    expect(r.value.find((d) => d.name === 'tapdd1db2aa-92')!.vlanId).to.equal(undefined);
  });

  it('JSON `ip -d -j`: linkinfo.info_data.id (iproute2 iplink_vlan.c print_uint "id")', () => {
    const json = JSON.stringify([{ ifindex: 7, ifname: 'vlan100', link: 'eth1', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, master: 'br100', operstate: 'UP',
      address: '52:54:00:12:01:02', linkinfo: { info_kind: 'vlan', info_data: { protocol: '802.1Q', id: 100, flags: ['REORDER_HDR'] }, info_slave_kind: 'bridge' }, addr_info: [] }]);
    const r = parseIpAddrJson(json);
    expect(r.value[0]).to.include({ kind: 'vlan', vlanId: 100, link: 'eth1', master: 'br100' });
  });
});
