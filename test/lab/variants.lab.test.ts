import { expect } from 'chai';
import type { LabVariant } from '../../src/lab';
import { applyFault, failoverRouter, healFaults, restoreRouter } from '../../src/lab';
import { nodeArgv, runArgv } from '../../src/lab/shell';
import { describeFindings, failing, findingsMatching, rowChecksFiring, runAgainstLab } from '../run/run-helpers';
import { devName, nsAddrs, pingFromUpstream, portBy, primaryWordOf, qrouter, upstreamNeigh, useLab, type LabSession } from './lab-helpers';

/**
 * Each `lab up` variant (issue 15 "Variants in the lab"), one lab per suite: the data plane has the
 * variant's shape, read over SSH as haprobe reads it, and `haprobe run` on it finds nothing.
 * Where a healthy variant still trips a check that is not release/driver/mode-aware yet, the run
 * assertion stays but is skipped with the check named (`unfixed`).
 */
interface VariantCase {
  name: string;
  profile: string;
  variant: LabVariant;
  /** checks that still fail this healthy variant (to be fixed on the checks side) */
  unfixed: string[];
  shape(s: () => LabSession): void;
}

const sh = (s: LabSession, node: string, cmd: string): Promise<string> => s.sh(node, cmd);

function keepalivedConf(s: LabSession, node: string, routerId: string): Promise<string> {
  return sh(s, node, `cat /var/lib/neutron/ha_confs/${routerId}/keepalived.conf`);
}

function haActive(s: LabSession): string {
  const r = s.facts().routers[0];
  return Object.entries(r.haState!).find(([, v]) => v === 'active')![0];
}

/** shape shared by every L3 HA release: one primary, its word in the state file, pings through it */
function haBasics(s: () => LabSession, release: string): void {
  it(`one primary; state files say ${primaryWordOf(release)}/backup; the FIP answers`, async () => {
    const f = s().facts();
    expect(f.release).to.equal(release);
    const r = f.routers[0];
    expect(Object.values(r.haState!).sort()).to.deep.equal(['active', 'standby', 'standby']);
    for (const node of r.hosts) {
      const st = (await sh(s(), node, `cat /var/lib/neutron/ha_confs/${r.id}/state`)).trim();
      expect(st, node).to.equal(r.haState![node] === 'active' ? primaryWordOf(release) : 'backup');
    }
    expect(await pingFromUpstream(s(), f.floatingIps[0].floatingIp)).to.equal(63);
  });
}

const CASES: VariantCase[] = [
  {
    name: 'l3ha juno', profile: 'neutron-l3ha', variant: { release: 'juno' },
    unfixed: [],
    shape(s) {
      haBasics(s, 'juno');
      it('keepalived.conf is Juno\'s: sync group with notify scripts, gateway as the primary VIP, no garp_master_delay; no 169.254.0.x anywhere', async () => {
        const f = s().facts();
        const r = f.routers[0];
        const qg = portBy(f, 'network:router_gateway');
        const conf = await keepalivedConf(s(), haActive(s()), r.id);
        expect(conf).to.match(/^vrrp_sync_group VG_1 \{/);
        expect(conf).to.include(`notify_master "/var/lib/neutron/ha_confs/${r.id}/notify_master.sh"`);
        expect(conf).to.not.include('global_defs');
        expect(conf).to.not.include('garp_master_delay');
        expect(conf).to.not.include('no_track');
        expect(conf).to.include(`    virtual_ipaddress {\n        ${r.gatewayIp}/24 dev ${devName('qg-', qg.id)}\n    }`);
        expect(conf).to.include(`        0.0.0.0/0 via ${r.externalGatewayIp} dev ${devName('qg-', qg.id)}\n`);
        const addrs = await nsAddrs(s(), haActive(s()), qrouter(f));
        expect(addrs.flatMap((d) => d.addr_info.map((a) => a.local))).to.not.include('169.254.0.1');
      });
      it('failover (kill keepalived by pid): the notify scripts and the monitor move "master" to a backup', async () => {
        const rec = await failoverRouter({ stateDir: s().stateDir });
        expect(rec.toNode).to.be.a('string').and.not.equal(rec.fromNode);
        const r = s().facts().routers[0];
        expect((await sh(s(), rec.toNode!, `cat /var/lib/neutron/ha_confs/${r.id}/state`)).trim()).to.equal('master');
        await restoreRouter({ stateDir: s().stateDir });
      });
    },
  },
  {
    name: 'l3ha mitaka', profile: 'neutron-l3ha', variant: { release: 'mitaka' },
    unfixed: [],
    shape(s) {
      haBasics(s, 'mitaka');
      it('keepalived.conf: garp_master_delay 60, primary VIP 169.254.0.1 on ha-, no no_track; NAT without --random-fully, POSTROUTING with ! -i qg-', async () => {
        const f = s().facts();
        const r = f.routers[0];
        const qg = devName('qg-', portBy(f, 'network:router_gateway').id);
        const conf = await keepalivedConf(s(), haActive(s()), r.id);
        expect(conf).to.include('    garp_master_delay 60\n');
        expect(conf).to.match(/virtual_ipaddress \{\n {8}169\.254\.0\.1\/24 dev ha-/);
        expect(conf).to.not.include('no_track');
        const nat = await sh(s(), haActive(s()), `ip netns exec ${qrouter(f)} iptables-save -t nat`);
        expect(nat).to.not.include('--random-fully');
        expect(nat).to.include(`-A neutron-l3-agent-POSTROUTING ! -i ${qg} ! -o ${qg} -m conntrack ! --ctstate DNAT -j ACCEPT`);
      });
    },
  },
  {
    name: 'l3ha pike', profile: 'neutron-l3ha', variant: { release: 'pike' },
    unfixed: [],
    shape(s) {
      haBasics(s, 'pike');
      it('ip_nonlocal_bind 0 in the HA qrouter (Ocata–2022.2); on failover the state-change daemon arpings the gateway (REPLYs from the qg- MAC) besides keepalived', async () => {
        const f = s().facts();
        const r = f.routers[0];
        const qg = portBy(f, 'network:router_gateway');
        expect((await sh(s(), haActive(s()), `ip netns exec ${qrouter(f)} sysctl -n net.ipv4.ip_nonlocal_bind`)).trim()).to.equal('0');
        const cap = runArgv(nodeArgv(s().state().nodes.upstream.holderPid!, ['timeout', '8', 'tcpdump', '-l', '-n', '-e', '-i', 'ext0', 'arp', 'and', 'ether', 'src', qg.mac]), '', 15_000);
        await new Promise((res) => setTimeout(res, 1000));
        const rec = await failoverRouter({ stateDir: s().stateDir });
        expect(rec.toNode).to.be.a('string');
        const lines = (await cap).stdout.split('\n');
        // keepalived sends REQUESTs only; an ARP Reply for the gateway is the daemon's arping -A
        expect(lines.filter((l) => l.includes(`Reply ${r.gatewayIp} is-at ${qg.mac}`)).length, lines.join('\n')).to.be.at.least(1);
        expect(lines.filter((l) => l.includes(`Request who-has ${r.gatewayIp} (ff:ff:ff:ff:ff:ff) tell ${r.gatewayIp}`)).length).to.be.at.least(1);
        await restoreRouter({ stateDir: s().stateDir });
      });
    },
  },
  {
    name: 'l3ha train', profile: 'neutron-l3ha', variant: { release: 'train' },
    unfixed: [],
    shape(s) {
      haBasics(s, 'train');
      it('--random-fully, POSTROUTING without -i, no no_track', async () => {
        const f = s().facts();
        const qg = devName('qg-', portBy(f, 'network:router_gateway').id);
        const nat = await sh(s(), haActive(s()), `ip netns exec ${qrouter(f)} iptables-save -t nat`);
        expect(nat).to.include(`-o ${qg} -j SNAT --to-source ${f.routers[0].gatewayIp} --random-fully`);
        expect(nat).to.include(`-A neutron-l3-agent-POSTROUTING ! -o ${qg} -m conntrack ! --ctstate DNAT -j ACCEPT`);
        expect(await keepalivedConf(s(), haActive(s()), f.routers[0].id)).to.not.include('no_track');
      });
    },
  },
  {
    name: 'l3ha 2024.1 ipv6 extras', profile: 'neutron-l3ha', variant: { release: '2024.1', ipv6: true, extras: true },
    unfixed: [],
    shape(s) {
      haBasics(s, '2024.1');
      it('dual stack: IPv6 and link-local VIPs on the primary\'s qr-/qg-, none on the backups; ping6 reaches the instance', async () => {
        const f = s().facts();
        const r = f.routers[0];
        const qr = portBy(f, 'network:ha_router_replicated_interface');
        for (const node of r.hosts) {
          const addrs = await nsAddrs(s(), node, qrouter(f));
          const v6 = addrs.filter((d) => d.ifname.startsWith('qr-') || d.ifname.startsWith('qg-')).flatMap((d) => d.addr_info.map((a) => a.local)).filter((a) => a.includes(':'));
          if (r.haState![node] === 'active') {
            expect(v6, node).to.include.members(['fd00:10::1', '2001:db8:113::a']);
            expect(v6.filter((a) => a.startsWith('fe80:')), node).to.have.length(2);
          } else {
            expect(v6, `${node}: backup has no IPv6 (global or link-local)`).to.deep.equal([]);
          }
        }
        const vm6 = f.ports.find((p) => p.deviceOwner === "compute:nova" && p.adminStateUp !== false)!.fixedIps[1];
        expect(vm6).to.match(/^fd00:10::f816:3eff:fe/);
        expect(qr.fixedIps).to.deep.equal(['10.0.0.1', 'fd00:10::1']);
        const ping = await s().ssh('upstream', `ping -6 -c 2 -i 0.3 -W 2 ${vm6}`);
        expect(ping.stdout).to.match(/ttl=63/);
      });
      it('extras: r2 (VRID 2, same HA network, no gateway) has one primary and no qg-; the admin-down port is on VLAN 4095', async () => {
        const f = s().facts();
        const r2 = f.routers[1];
        expect(r2.haVrId).to.equal(2);
        expect(r2.externalNetworkId).to.equal(undefined);
        expect(Object.values(r2.haState!).filter((v) => v === 'active')).to.have.length(1);
        for (const node of r2.hosts) {
          expect((await sh(s(), node, 'pgrep -x keepalived')).trim().split('\n'), node).to.have.length(4);
          const addrs = await nsAddrs(s(), node, `qrouter-${r2.id}`);
          expect(addrs.some((d) => d.ifname.startsWith('qg-')), node).to.equal(false);
          expect((await sh(s(), node, `ip netns exec qrouter-${r2.id} ip route show default`)).trim()).to.equal('');
        }
        const down = f.ports.find((p) => p.adminStateUp === false)!;
        expect((await sh(s(), down.host!, `ovs-vsctl get Port ${devName('tap', down.id)} tag`)).trim()).to.equal('4095');
      });
    },
  },
  {
    name: 'dvr juno', profile: 'neutron-dvr', variant: { release: 'juno' },
    unfixed: [],
    shape(s) {
      it('pre-Newton DVR: FIP /32 on rfp- (169.254.31.28/31 pair), DNAT without -i rfp- plus OUTPUT DNAT; the FIP answers, upstream learnt the fg- MAC', async () => {
        const f = s().facts();
        for (const fip of f.floatingIps) {
          const addrs = await nsAddrs(s(), fip.host!, qrouter(f));
          const rfp = addrs.find((d) => d.ifname.startsWith('rfp-'))!;
          expect(rfp.addr_info.map((a) => `${a.local}/${a.prefixlen}`)).to.include.members(['169.254.31.28/31', `${fip.floatingIp}/32`]);
          const nat = await sh(s(), fip.host!, `ip netns exec ${qrouter(f)} iptables-save -t nat`);
          expect(nat).to.include(`-A neutron-l3-agent-PREROUTING -d ${fip.floatingIp}/32 -j DNAT --to-destination ${fip.fixedIp}`);
          expect(nat).to.include(`-A neutron-l3-agent-OUTPUT -d ${fip.floatingIp}/32 -j DNAT --to-destination ${fip.fixedIp}`);
          expect(await pingFromUpstream(s(), fip.floatingIp)).to.equal(62);
          expect(await upstreamNeigh(s(), fip.floatingIp)).to.equal(portBy(f, 'network:floatingip_agent_gateway', fip.host).mac);
        }
      });
    },
  },
  {
    name: 'dvr train dvr_no_external', profile: 'neutron-dvr', variant: { release: 'train', computeAgentMode: 'dvr_no_external' },
    unfixed: [],
    shape(s) {
      it('computes: qrouter only, no fip ns; FIPs centralized on snat-/qg- of net1 (address + DNAT), upstream learnt the qg- MAC', async () => {
        const f = s().facts();
        expect(f.agents.filter((a) => a.type === 'l3' && a.host.startsWith('cmp')).map((a) => a.agentMode)).to.deep.equal(['dvr_no_external', 'dvr_no_external']);
        expect(f.ports.filter((p) => p.deviceOwner === 'network:floatingip_agent_gateway')).to.deep.equal([]);
        const qg = portBy(f, 'network:router_gateway');
        const snat = `snat-${f.routers[0].id}`;
        for (const node of ['cmp1', 'cmp2']) expect((await sh(s(), node, 'ip netns')).trim().split('\n').map((l) => l.split(' ')[0])).to.deep.equal([qrouter(f)]);
        const addrs = await nsAddrs(s(), 'net1', snat);
        const qgIps = addrs.find((d) => d.ifname === devName('qg-', qg.id))!.addr_info.map((a) => `${a.local}/${a.prefixlen}`);
        const nat = await sh(s(), 'net1', `ip netns exec ${snat} iptables-save -t nat`);
        for (const fip of f.floatingIps) {
          expect(qgIps).to.include(`${fip.floatingIp}/32`);
          expect(nat).to.include(`-A neutron-l3-agent-PREROUTING -d ${fip.floatingIp}/32 -j DNAT --to-destination ${fip.fixedIp}`);
          expect(await pingFromUpstream(s(), fip.floatingIp)).to.equal(62);
          expect(await upstreamNeigh(s(), fip.floatingIp)).to.equal(qg.mac);
        }
      });
      it('fault missing-dnat on a centralized FIP deletes its DNAT in snat-; haprobe run names it (nat-rules); heal restores it', async () => {
        const f = s().facts();
        const snat = `snat-${f.routers[0].id}`;
        const rec = await applyFault({ stateDir: s().stateDir, name: 'missing-dnat' });
        expect(rec.subject).to.include(`namespace ${snat}`);
        const fip = String(rec.undo!.fip);
        expect(await sh(s(), 'net1', `ip netns exec ${snat} iptables-save -t nat`)).to.not.include(`-A neutron-l3-agent-PREROUTING -d ${fip}/32 -j DNAT`);
        const { code, result } = await runAgainstLab(s().stateDir, 'neutron-dvr');
        expect(code).to.not.equal(0);
        expect(findingsMatching(result, 'nat-rules', { node: 'net1', floatingIp: fip }), describeFindings(failing(result))).to.have.length.at.least(1);
        await healFaults({ stateDir: s().stateDir });
        expect(await sh(s(), 'net1', `ip netns exec ${snat} iptables-save -t nat`)).to.include(`-A neutron-l3-agent-PREROUTING -d ${fip}/32 -j DNAT`);
      });
    },
  },
  {
    name: 'legacy openvswitch-firewall ipv6', profile: 'neutron-legacy', variant: { firewallDriver: 'openvswitch', ipv6: true },
    unfixed: [],
    shape(s) {
      it('OVS firewall: arp_spa in table 71, table 24 only its drop; dual-stack qr-/qg-; ping and ping6 reach the instance', async () => {
        const f = s().facts();
        expect(f.firewallDriver).to.equal('openvswitch');
        for (const vm of f.instances) {
          const flows = await sh(s(), vm.host, 'ovs-ofctl dump-flows br-int');
          expect(flows).to.match(new RegExp(`table=71,.*arp,reg5=\\S+,in_port=\\S+,dl_src=${vm.mac},arp_spa=${vm.ip.replace(/\./g, '\\.')} `));
          expect(flows.split('\n').filter((l) => l.includes('table=24,'))).to.have.length(1);
          expect(flows).to.match(/table=24,.*priority=0 actions=drop/);
        }
        const addrs = await nsAddrs(s(), 'net1', qrouter(f));
        const all = addrs.flatMap((d) => d.addr_info.map((a) => a.local));
        expect(all).to.include.members(['fd00:10::1', '2001:db8:113::a']);
        expect(await pingFromUpstream(s(), f.floatingIps[0].floatingIp)).to.equal(63);
        const vm6 = f.ports.find((p) => p.id === f.instances[0].portId)!.fixedIps[1];
        expect((await s().ssh('upstream', `ping -6 -c 2 -i 0.3 -W 2 ${vm6}`)).stdout).to.match(/ttl=63/);
      });
    },
  },
  {
    name: 'legacy iptables_hybrid 2024.1', profile: 'neutron-legacy', variant: { firewallDriver: 'iptables_hybrid', release: '2024.1' },
    unfixed: [],
    shape(s) {
      it('hybrid plug: tap on qbr, qvo on br-int with the anti-spoof flows in table 24; the FIP answers', async () => {
        const f = s().facts();
        expect(f.firewallDriver).to.equal('iptables_hybrid');
        for (const vm of f.instances) {
          const ports = await sh(s(), vm.host, 'ovs-vsctl list-ports br-int');
          expect(ports).to.include(devName('qvo', vm.portId)).and.not.include(devName('tap', vm.portId));
          expect(await sh(s(), vm.host, `ip -o link show master ${devName('qbr', vm.portId)}`)).to.include(devName('tap', vm.portId));
          const flows = await sh(s(), vm.host, 'ovs-ofctl dump-flows br-int table=24');
          expect(flows).to.include(`arp_spa=${vm.ip} `);
        }
        expect(await pingFromUpstream(s(), f.floatingIps[0].floatingIp)).to.equal(63);
      });
    },
  },
];

for (const c of CASES) {
  describe(`lab variant ${c.name} @lab`, function () {
    this.timeout(120_000);
    const s = useLab(c.profile, { variant: c.variant });

    it('lab up: hostname and release as asked', async () => {
      console.log(`      lab up ${c.name}: ${(s().up.upMs / 1000).toFixed(1)} s`);
      expect(s().up.variant).to.deep.equal(c.variant);
      expect((await s().sh('net1', 'hostname')).trim()).to.equal('net1');
    });

    c.shape(s);

    const title = 'haprobe run on the healthy variant: zero findings';
    const body = async (): Promise<void> => {
      const { code, result } = await runAgainstLab(s().stateDir, c.profile);
      expect(failing(result), describeFindings(failing(result))).to.deep.equal([]);
      expect(result.findings.filter((x) => x.verdict === 'warn'), describeFindings(result.findings.filter((x) => x.verdict === 'warn'))).to.deep.equal([]);
      expect(rowChecksFiring(result), 'issue 12: the §7 checks on a healthy lab').to.equal('');
      expect(code).to.equal(0);
    };
    // HAPROBE_LAB_UNFIXED=1 runs the skipped ones too (to see whether the checks caught up)
    if (c.unfixed.length === 0 || process.env.HAPROBE_LAB_UNFIXED) it(title, body);
    else it.skip(`${title} — skipped until these checks know the variant: ${c.unfixed.join(', ')}`, body);
  });
}
