import { expect } from 'chai';
import { labPaths, readLabState } from '../../src/lab';
import { nodeArgv, runArgv } from '../../src/lab/shell';
import { describeNovaLab } from './nova-lab-suite';

/**
 * nova-multinic (issue 9, seed 000 multi-NIC): healthy run, the two faults caught by
 * nova-multinic-paths, and the data plane itself: each of vm1's FIPs answers the upstream through
 * its own network host, and with net1's public side down the FIP on net2 still answers.
 */
describeNovaLab('nova-multinic', ['nova-multinic-same-host', 'nova-multinic-fip-missing'], {
  extra: (lab) => {
    it('vm1 answers on both FIPs; with net1 cut off the upstream still reaches it through net2', async () => {
      const state = readLabState(labPaths(lab()))!;
      const up = state.nodes['upstream']!.holderPid!;
      const ping = async (ip: string): Promise<number | null> => (await runArgv(nodeArgv(up, ['ping', '-c', '1', '-W', '1', ip]), '', 10_000)).code;
      expect(await ping('203.0.113.101')).to.equal(0);
      expect(await ping('203.0.113.103')).to.equal(0);
      const net1 = state.nodes['net1']!.holderPid!;
      await runArgv(nodeArgv(net1, ['ip', 'link', 'set', 'eth0', 'down']), '', 5_000);
      try {
        expect(await ping('203.0.113.101')).to.not.equal(0);
        expect(await ping('203.0.113.103')).to.equal(0);
      } finally {
        await runArgv(nodeArgv(net1, ['sh', '-c', 'ip link set eth0 up && ip route replace default via 203.0.113.1 dev eth0']), '', 5_000);
      }
    });
  },
});
