import { expect } from 'chai';
import { applyFault, healFaults, labPaths, readLabState } from '../../src/lab';
import { nodeArgv, runArgv } from '../../src/lab/shell';
import { describeNovaLab } from './nova-lab-suite';

/**
 * nova-multihost-shared (issue 9): multi_host with share_address, every compute carries the same
 * dhcp_server 10.0.0.1 and nova's isolate_dhcp_address ebtables rules keep it host-local. Run with
 * the nova-multihost profile; the fault that drops the rules on cmp2 is caught by nova-dhcp-isolation.
 */
describeNovaLab('nova-multihost-shared', ['nova-dhcp-isolation-missing', 'nova-dnsmasq-dead'], {
  runProfile: 'nova-multihost',
  reasons: {
    'nova-dhcp-isolation-missing': /share_address: cmp2 carries the shared dhcp_server 10\.0\.0\.1 without any of the ebtables isolation/,
    'nova-dnsmasq-dead': /no dnsmasq for br100 on cmp2/,
  },
  extra: (lab) => {
    it('the isolation is real: vm1\'s ARP for 10.0.0.1 is answered by cmp1 only; without cmp2\'s rules cmp2 answers too', async function () {
      this.timeout(60_000);
      const state = readLabState(labPaths(lab()))!;
      const holder = (n: string): number => state.nodes[n]!.holderPid!;
      const macOf = async (n: string): Promise<string> => (await runArgv(nodeArgv(holder(n), ['cat', '/sys/class/net/br100/address']), '', 10_000)).stdout.trim().toLowerCase();
      const answerers = async (): Promise<Set<string>> => {
        const r = await runArgv(nodeArgv(holder('cmp1'), ['nsenter', '--net=/run/haprobe-vms/vm1', 'arping', '-c', '2', '-w', '4', '-I', 'eth0', '10.0.0.1']), '', 15_000);
        return new Set([...r.stdout.matchAll(/\[([0-9A-Fa-f:]{17})\]/g)].map((m) => m[1]!.toLowerCase()));
      };
      const [cmp1, cmp2] = [await macOf('cmp1'), await macOf('cmp2')];
      expect([...await answerers()]).to.deep.equal([cmp1]);
      await applyFault({ stateDir: lab(), name: 'nova-dhcp-isolation-missing' });
      try {
        expect([...await answerers()].sort()).to.deep.equal([cmp1, cmp2].sort());
      } finally {
        await healFaults({ stateDir: lab(), name: 'nova-dhcp-isolation-missing' });
      }
    });
  },
});
