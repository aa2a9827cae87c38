import { expect } from 'chai';
import { labPaths, readLabState } from '../../src/lab';
import { nodeArgv, runArgv } from '../../src/lab/shell';
import { describeNovaLab } from './nova-lab-suite';
import { describeNovaGarp, describeNovaGarpVerify } from './nova-garp';

describeNovaLab('nova-multihost', ['nova-dnsmasq-dead', 'nova-fip-two-hosts', 'nova-fip-unbound', 'nova-missing-metadata-dnat', 'nova-metadata-down', 'nova-send-arp-off'], {
  extra: (lab) => {
    it('each instance reaches the metadata API of its own host (multi_host)', async () => {
      const state = readLabState(labPaths(lab()))!;
      for (const [node, vm] of [['cmp1', 'vm1'], ['cmp2', 'vm2']] as const) {
        const res = await runArgv(nodeArgv(state.nodes[node]!.holderPid!, ['nsenter', `--net=/run/haprobe-vms/${vm}`, 'curl', '-s', '-m', '3', 'http://169.254.169.254/']), '', 10_000);
        expect(res.stdout.trim(), `${vm}: ${res.stderr}`).to.equal('instance-id');
      }
    });
    describeNovaGarp(lab, '203.0.113.102');
    describeNovaGarpVerify(lab, '203.0.113.102', 'nova-multihost', 'vm2');
  },
});
