import { expect } from 'chai';
import { applyFault, healFaults, labPaths, readLabState } from '../../src/lab';
import { nodeArgv, runArgv } from '../../src/lab/shell';
import { describeNovaLab } from './nova-lab-suite';

/** a real DHCP client (busybox udhcpc) in vm1's namespace: the router dnsmasq hands out (option 3) */
async function dhcpRouterOfVm1(stateDir: string): Promise<string> {
  const state = readLabState(labPaths(stateDir))!;
  const script = '/var/lib/nova/udhcpc-print.sh';
  const r = await runArgv(nodeArgv(state.nodes['cmp1']!.holderPid!, ['sh', '-c',
    `printf '%s\\n' '#!/bin/sh' '[ "$1" = bound ] && echo "router=$router ip=$ip"; exit 0' > ${script} && chmod +x ${script} && ` +
    `nsenter --net=/run/haprobe-vms/vm1 busybox udhcpc -i eth0 -n -q -f -t 4 -T 1 -s ${script}`]), '', 20_000);
  const m = /router=(\S*) ip=(\S+)/.exec(r.stdout);
  expect(m, `udhcpc: ${r.stdout}\n${r.stderr}`).to.not.equal(null);
  expect(m![2]).to.equal('10.0.0.11');
  return m![1]!;
}

describeNovaLab('nova-hw-gateway', ['nova-hw-gateway-option-overridden', 'nova-hw-gateway-metadata-forward-missing', 'nova-dnsmasq-dead', 'nova-missing-metadata-dnat'], {
  extra: (lab) => {
    it('the data plane goes through the router: vm1 reaches the upstream and the metadata API (DNAT on the router), the network host drops forwarding', async () => {
      const state = readLabState(labPaths(lab()))!;
      const cmp1 = state.nodes['cmp1']!.holderPid!;
      const inVm = (argv: string[]): string[] => nodeArgv(cmp1, ['nsenter', '--net=/run/haprobe-vms/vm1', ...argv]);
      const route = await runArgv(inVm(['ip', 'route', 'show', 'default']), '', 10_000);
      expect(route.stdout).to.contain('default via 10.0.0.254');
      expect((await runArgv(inVm(['ping', '-c', '1', '-W', '2', '203.0.113.1']), '', 10_000)).code).to.equal(0);
      const meta = await runArgv(inVm(['curl', '-s', '-m', '3', 'http://169.254.169.254/']), '', 10_000);
      expect(meta.stdout.trim(), meta.stderr).to.equal('instance-id');
      const fwd = await runArgv(nodeArgv(state.nodes['net1']!.holderPid!, ['iptables', '-S', 'nova-network-FORWARD']), '', 10_000);
      expect(fwd.stdout).to.contain('-A nova-network-FORWARD -i br100 -j DROP');
    });

    it('the FIP does not answer the upstream, and why: net1 drops the DNATed request (nova-network-FORWARD -o br100 DROP); opened, the reply returns un-NATed through the router', async function () {
      this.timeout(60_000);
      const state = readLabState(labPaths(lab()))!;
      const up = state.nodes['upstream']!.holderPid!;
      const net1 = state.nodes['net1']!.holderPid!;
      const fip = '203.0.113.101';
      const drops = async (): Promise<number> => {
        const r = await runArgv(nodeArgv(net1, ['iptables', '-L', 'nova-network-FORWARD', '-v', '-x', '-n']), '', 10_000);
        return r.stdout.split('\n').filter((l) => /\sDROP\s.*\sbr100\s/.test(l)).reduce((n, l) => n + Number(l.trim().split(/\s+/)[0]), 0);
      };
      const before = await drops();
      expect((await runArgv(nodeArgv(up, ['ping', '-c', '2', '-W', '1', fip]), '', 10_000)).code, 'the FIP answered').to.not.equal(0);
      expect(await drops(), 'net1 dropped the DNATed echo requests towards br100').to.be.greaterThan(before);
      // the design's other half: even forwarded, vm1 replies by its default route — the router — so net1's DNAT is never undone
      const open = ['nova-network-FORWARD', '-o', 'br100', '-d', '10.0.0.11/32', '-j', 'ACCEPT'];
      await runArgv(nodeArgv(net1, ['iptables', '-I', ...open]), '', 10_000);
      try {
        const dump = runArgv(nodeArgv(up, ['timeout', '5', 'tcpdump', '-i', 'any', '-nn', '-l', 'icmp[icmptype] = icmp-echoreply']), '', 15_000);
        await new Promise((r) => setTimeout(r, 1000));
        await runArgv(nodeArgv(up, ['ping', '-c', '2', '-W', '1', fip]), '', 10_000);
        const seen = (await dump).stdout;
        expect(seen, seen).to.match(/flat0\s+In\s+IP 10\.0\.0\.11 > 203\.0\.113\.1: ICMP echo reply/);
        expect(seen, 'no reply carries the FIP as its source').to.not.match(/IP 203\.0\.113\.101 > /);
      } finally {
        await runArgv(nodeArgv(net1, ['iptables', '-D', ...open]), '', 10_000);
      }
    });

    it('a real DHCP client gets the hardware gateway; when the opts file says 3,<network host> it wins over dnsmasq_config_file\'s dhcp-option=3,<router>', async () => {
      expect(await dhcpRouterOfVm1(lab())).to.equal('10.0.0.254');
      await applyFault({ stateDir: lab(), name: 'nova-hw-gateway-option-overridden' });
      try {
        expect(await dhcpRouterOfVm1(lab())).to.equal('10.0.0.1');
      } finally {
        await healFaults({ stateDir: lab(), name: 'nova-hw-gateway-option-overridden' });
      }
      expect(await dhcpRouterOfVm1(lab())).to.equal('10.0.0.254');
    });
  },
});
