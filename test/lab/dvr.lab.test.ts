import { expect } from 'chai';
import { applyFault, associateFip, disassociateFip, healFaults } from '../../src/lab';
import { pingFromUpstream, portBy, qrouter, upstreamNeigh, useLab, verifyAgainstFacts } from './lab-helpers';

for (const PROFILE of ['neutron-dvr', 'neutron-dvr-snat-ha']) {
  describe(`lab ${PROFILE} @lab`, function () {
    this.timeout(120_000);
    const s = useLab(PROFILE, { dropState: PROFILE === 'neutron-dvr-snat-ha' });

    it('qrouter/fip/snat namespaces, fg-, rules, routes, NAT, OVS ports and flows match facts.json', async () => {
      await verifyAgainstFacts(s());
      if (PROFILE === 'neutron-dvr-snat-ha') {
        expect(Object.values(s().facts().routers[0].haState!).sort()).to.deep.equal(['active', 'standby']);
      }
    });

    it('each FIP answers from its host: ping through fip ns + DNAT -i rfp-, upstream sees that host\'s fg- MAC', async () => {
      const f = s().facts();
      for (const fip of f.floatingIps) {
        expect(await pingFromUpstream(s(), fip.floatingIp), fip.floatingIp).to.equal(62);
        expect(await upstreamNeigh(s(), fip.floatingIp)).to.equal(portBy(f, 'network:floatingip_agent_gateway', fip.host).mac);
      }
    });

    it('SNAT path: an instance without FIP reaches the upstream through snat-<router>; the shared qr- MAC never reaches the fabric', async () => {
      const f = s().facts();
      const fip = f.floatingIps[f.floatingIps.length - 1];
      await disassociateFip({ stateDir: s().stateDir, fip: fip.floatingIp });
      const st = s().state();
      const vm = f.instances.find((i) => i.ip === fip.fixedIp)!;
      const { runArgv } = await import('../../src/lab/shell');
      const r = await runArgv(['nsenter', '-t', String(st.nodes[vm.host].holderPid), '-m', '-n', '--', 'nsenter',
        `--net=/run/haprobe-vms/${vm.name}`, 'ping', '-c', '1', '-W', '2', '203.0.113.1'], '');
      expect(r.stdout).to.include('1 received');
      // the frames from qr- to sg- crossed the fabric with the host's DVR MAC (br-tun rewrite), never the qr- MAC
      const qr = portBy(f, 'network:router_interface_distributed');
      const fdb = (await runArgv(['ip', 'netns', 'exec', 'hp-fabric', 'bridge', 'fdb', 'show', 'br', 'data'], '')).stdout;
      expect(fdb).to.not.include(qr.mac);
      expect(fdb).to.include('fa:16:3f:');
      await associateFip({ stateDir: s().stateDir, fip: fip.floatingIp });
    });

    it('faults missing-dnat (-i rfp- rule) and missing-garp (fg- not announced) are visible', async () => {
      const f = s().facts();
      const fip = f.floatingIps[0];
      await applyFault({ stateDir: s().stateDir, name: 'missing-dnat' });
      const nat = await s().sh(fip.host!, `ip netns exec ${qrouter(f)} iptables-save -t nat`);
      expect(nat).to.not.match(new RegExp(`-d ${fip.floatingIp}/32 -i rfp-\\S+ -j DNAT`));
      await healFaults({ stateDir: s().stateDir });
      const rec = await applyFault({ stateDir: s().stateDir, name: 'missing-garp' });
      expect(await upstreamNeigh(s(), String(rec.undo!.fip))).to.equal(rec.undo!.previousMac);
      await healFaults({ stateDir: s().stateDir });
      expect(await upstreamNeigh(s(), String(rec.undo!.fip))).to.equal(rec.undo!.expectedMac);
    });
  });
}
