import { expect } from 'chai';
import * as path from 'node:path';
import { labPaths, readLabState } from '../../src/lab';
import { nodeArgv, runArgv } from '../../src/lab/shell';
import { describeNovaLab } from './nova-lab-suite';

/** examples/nova/vlan-waivers.yaml (net1, the network host of both vlans, waived as a known SPOF) */
const VLAN_WAIVERS = path.resolve(__dirname, '../../../examples/nova/vlan-waivers.yaml');

/**
 * nova-vlan (issue 9, VlanManager, ground-truth §5b): vlan<N> are tagged OVS internal ports (this
 * kernel has no 8021q) enslaved in br<N>; healthy run, each fault caught by nova-vlan-bridge with
 * its check, subject and reason, and the data plane itself: the FIPs answer through the tagged
 * trunk, and frames on the computes' vlan_interface carry the network's 802.1Q tag.
 */
describeNovaLab('nova-vlan', ['nova-vlan-out-of-bridge', 'nova-vlan-shared-id', 'nova-vlan-dhcp-server-missing'], {
  waivers: VLAN_WAIVERS,
  reasons: {
    'nova-vlan-out-of-bridge': /vlan100 is in no bridge/,
    'nova-vlan-shared-id': /vlan101 carries vlan id 100 \(OVS tag\), the id of network private \(br100\)/,
    'nova-vlan-dhcp-server-missing': /dhcp_server 10\.0\.1\.1 not on br101/,
  },
  extra: (lab) => {
    it('both FIPs answer the upstream through the vlan trunk; cmp1\'s eth1 sees vlan 100 frames', async () => {
      const state = readLabState(labPaths(lab()))!;
      const up = state.nodes['upstream']!.holderPid!;
      for (const fip of ['203.0.113.101', '203.0.113.102']) {
        const ping = await runArgv(nodeArgv(up, ['ping', '-c', '1', '-W', '2', fip]), '', 10_000);
        expect(ping.code, `ping ${fip}: ${ping.stdout}${ping.stderr}`).to.equal(0);
      }
      const cmp1 = state.nodes['cmp1']!.holderPid!;
      // -e prints the 802.1Q header; vm1 pings its gateway (net1's br100) while the capture runs
      const [cap] = await Promise.all([
        runArgv(nodeArgv(cmp1, ['timeout', '8', 'tcpdump', '-c', '1', '-e', '-nn', '-i', 'eth1', 'vlan 100 and icmp']), '', 15_000),
        (async () => {
          await new Promise((r) => setTimeout(r, 1500));
          await runArgv(nodeArgv(cmp1, ['nsenter', '--net=/run/haprobe-vms/vm1', 'ping', '-c', '3', '-W', '1', '10.0.0.1']), '', 10_000);
        })(),
      ]);
      expect(cap.stdout, cap.stderr).to.match(/vlan 100/);
    });
  },
});
