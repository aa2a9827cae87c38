import { expect } from 'chai';
import { runArgv, nodeArgv } from '../../src/lab/shell';
import { readLabState, labPaths } from '../../src/lab';
import { describeFindings, runAgainstLab } from './run-helpers';
import { describeNovaLab, NOVA_FLAT_WAIVERS } from './nova-lab-suite';
import { describeNovaGarp, describeNovaGarpVerify } from './nova-garp';

describeNovaLab('nova-flatdhcp', ['nova-missing-float-snat', 'nova-fip-unbound', 'nova-fip-two-hosts', 'nova-dnsmasq-dead', 'nova-missing-metadata-dnat', 'nova-metadata-down', 'nova-send-arp-off'], {
  waivers: NOVA_FLAT_WAIVERS,
  extra: (lab) => {
    it('without the waiver the single network host is its own finding (seed 000), exit 1', async () => {
      const { code, result } = await runAgainstLab(lab(), 'nova-flatdhcp');
      const spof = result.findings.filter((f) => f.checkId === 'nova-network-spof' && f.verdict === 'fail');
      expect(spof.map((f) => f.subject), describeFindings(result.findings)).to.deep.equal([{ node: 'net1', device: 'br100' }]);
      expect(result.findings.filter((f) => f.verdict === 'fail' && f.checkId !== 'nova-network-spof')).to.deep.equal([]);
      expect(code).to.equal(1);
    });
    it('the data plane works: an instance reaches the metadata API through the DNAT and the upstream pings its FIP', async () => {
      const state = readLabState(labPaths(lab()))!;
      const cmp1 = state.nodes['cmp1']!.holderPid!;
      const meta = await runArgv(nodeArgv(cmp1, ['nsenter', '--net=/run/haprobe-vms/vm1', 'curl', '-s', '-m', '3', 'http://169.254.169.254/']), '', 10_000);
      expect(meta.stdout.trim(), meta.stderr).to.equal('instance-id');
      const ping = await runArgv(nodeArgv(state.nodes['upstream']!.holderPid!, ['ping', '-c', '1', '-W', '2', '203.0.113.102']), '', 10_000);
      expect(ping.code).to.equal(0);
    });
    describeNovaGarp(lab, '203.0.113.102');
    describeNovaGarpVerify(lab, '203.0.113.102', 'nova-flatdhcp', 'vm2');
  },
});
