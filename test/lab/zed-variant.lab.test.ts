import { expect } from 'chai';
import { applyFault, failoverRouter, healFaults, restoreRouter } from '../../src/lab';
import { nodeArgv, runArgv } from '../../src/lab/shell';
import * as path from 'node:path';
import { describeFindings, failing, rowChecksFiring, runAgainstLab, runCli } from '../run/run-helpers';
import { devName, nsAddrs, pingFromUpstream, portBy, qrouter, useLab, type LabSession } from './lab-helpers';

/**
 * `lab up --release zed` (issue 16): the hand-built engine renders what the real-Neutron engine
 * (Debian 12's Zed) showed — docs/real-engine.md "What real neutron does", column "hand-built zed
 * matches". One lab per suite; each difference the hand-built lab can emulate is asserted on the
 * nodes over SSH, and `haprobe run` on the healthy lab has zero findings and zero parser warnings.
 */
const sh = (s: LabSession, node: string, cmd: string): Promise<string> => s.sh(node, cmd);

function haActive(s: LabSession): string {
  return Object.entries(s.facts().routers[0].haState!).find(([, v]) => v === 'active')![0];
}

/** row 5: br-ex (and neutron's other bridges) DOWN; tcpdump on it fails as on the real engine */
function bridgesDown(s: () => LabSession, nodes: string[]): void {
  it('row 5: br-ex, br-int, br-tun left DOWN; `tcpdump -i br-ex` fails there', async () => {
    for (const node of nodes) {
      for (const br of ['br-ex', 'br-int', 'br-tun']) {
        const line = await sh(s(), node, `ip -o link show ${br}`);
        expect(line, `${node} ${br}`).to.not.match(/<[^>]*\bUP\b[^>]*>/);
      }
      const t = await s().ssh(node, 'timeout 3 tcpdump -n -c 1 -i br-ex arp');
      expect(t.code, `${node}: tcpdump -i br-ex`).to.not.equal(0);
    }
  });
}

/**
 * row 5 seen from the tools: with br-ex DOWN, `garp verify` (disassociate, then associate) and
 * `drill failover` over SSH must still judge — they capture on a port of br-ex instead
 */
function garpVerify(s: () => LabSession, profile: string, fip: string, instance: string): void {
  it(`row 5: garp verify --disassociate / --associate ${instance} PASS with br-ex DOWN`, async function () {
    this.timeout(120_000);
    const common = ['garp', 'verify', '--inventory', path.join(s().stateDir, 'inventory.yaml'), '--facts', path.join(s().stateDir, 'facts.json'),
      '--profile', profile, '--fip', fip, '--format', 'json'];
    const off = await runCli([...common, '--disassociate']);
    expect(off.code, off.stderr.slice(-2000) + off.stdout.slice(-1500)).to.equal(0);
    const on = await runCli([...common, '--associate', instance]);
    expect(on.code, on.stderr.slice(-2000) + on.stdout.slice(-1500)).to.equal(0);
  });
}

function cleanRun(s: () => LabSession, profile: string): void {
  it('haprobe run on the healthy zed lab: zero findings, zero parser warnings', async function () {
    this.timeout(120_000);
    const { code, result } = await runAgainstLab(s().stateDir, profile);
    expect(failing(result), describeFindings(failing(result))).to.deep.equal([]);
    const warns = result.findings.filter((x) => x.verdict === 'warn');
    expect(warns, describeFindings(warns)).to.deep.equal([]);
    expect(rowChecksFiring(result), 'issue 12: the §7 checks on a healthy lab').to.equal('');
    expect(result.warnings ?? [], 'lines haprobe did not understand').to.deep.equal([]);
    expect(code).to.equal(0);
  });
}

describe('lab release zed: neutron-l3ha @lab', function () {
  this.timeout(120_000);
  const s = useLab('neutron-l3ha', { variant: { release: 'zed' } });

  it('facts say release zed; the internal port is network:ha_router_replicated_interface', () => {
    const f = s().facts();
    expect(f.release).to.equal('zed');
    expect(f.firewallDriver, 'row 1: noop, anti-spoof flows all the same').to.equal('noop');
    expect(portBy(f, 'network:ha_router_replicated_interface'), 'qr- owner').to.not.equal(undefined);
    expect(f.ports.filter((p) => p.deviceOwner === 'network:router_interface')).to.deep.equal([]);
  });

  it('row 9: random VRID (not 1), ha- addresses random in 169.254.192.0/18, keepalived.conf as Zed renders it', async () => {
    const f = s().facts();
    const r = f.routers[0];
    expect(r.haVrId).to.be.within(2, 254);
    const has = f.ports.filter((p) => p.deviceOwner === 'network:router_ha_interface').map((p) => p.fixedIps[0]);
    expect(has.filter((ip) => /^169\.254\.192\.[123]$/.test(ip)), 'the old fixed .1/.2/.3').to.deep.equal([]);
    for (const ip of has) expect(Number(ip.split('.')[2])).to.be.within(192, 255);
    const qr = portBy(f, 'network:ha_router_replicated_interface');
    const qg = portBy(f, 'network:router_gateway');
    for (const node of r.hosts) {
      const conf = await sh(s(), node, `cat /var/lib/neutron/ha_confs/${r.id}/keepalived.conf`);
      expect(conf).to.include('    router_id neutron\n');
      expect(conf).to.include(`    virtual_router_id ${r.haVrId}\n`);
      expect(conf).to.match(new RegExp(`169\\.254\\.0\\.${r.haVrId}/24 dev ha-`));
      expect(conf).to.include('    garp_master_delay 60\n');
      expect(conf).to.not.include('protocol static');
      const excluded = /virtual_ipaddress_excluded \{\n([\s\S]*?)\n {4}\}/.exec(conf)![1].split('\n');
      expect(excluded.every((l) => l.endsWith(' no_track')), excluded.join('\n')).to.equal(true);
      // IPv6 link-local addresses of qr-/qg- are VIPs although the subnets are IPv4 only
      expect(excluded.filter((l) => l.includes('fe80::') && l.includes('scope link')).map((l) => l.trim().split(' ')[2]).sort())
        .to.deep.equal([devName('qg-', qg.id), devName('qr-', qr.id)].sort());
      expect(conf).to.match(/0\.0\.0\.0\/0 via \S+ dev qg-\S+ no_track\n/);
    }
  });

  it('row 9 / issue: the backup\'s qr-/qg- carry no address at all (not even fe80::); the primary\'s carry the link-local VIPs', async () => {
    const f = s().facts();
    const r = f.routers[0];
    for (const node of r.hosts) {
      const addrs = await nsAddrs(s(), node, qrouter(f));
      const ports = addrs.filter((d) => d.ifname.startsWith('qr-') || d.ifname.startsWith('qg-'));
      expect(ports).to.have.length(2);
      if (r.haState![node] === 'active') {
        for (const d of ports) expect(d.addr_info.filter((a) => a.local.startsWith('fe80:')), `${node} ${d.ifname}`).to.have.length(1);
      } else {
        for (const d of ports) expect(d.addr_info, `${node} ${d.ifname}`).to.deep.equal([]);
      }
      expect((await sh(s(), node, `ip netns exec ${qrouter(f)} sysctl -n net.ipv4.ip_nonlocal_bind`)).trim(), 'Ocata–Zed').to.equal('0');
    }
  });

  it('row 11: FIP DNAT in PREROUTING and OUTPUT without -i; --random-fully; mangle 0x2 on qg-, address-scope marks, CONNMARK save/restore', async () => {
    const f = s().facts();
    const node = haActive(s());
    const qr = devName('qr-', portBy(f, 'network:ha_router_replicated_interface').id);
    const qg = devName('qg-', portBy(f, 'network:router_gateway').id);
    const fip = f.floatingIps[0];
    const save = await sh(s(), node, `ip netns exec ${qrouter(f)} iptables-save`);
    expect(save).to.include(`-A neutron-l3-agent-PREROUTING -d ${fip.floatingIp}/32 -j DNAT --to-destination ${fip.fixedIp}`);
    expect(save).to.include(`-A neutron-l3-agent-OUTPUT -d ${fip.floatingIp}/32 -j DNAT --to-destination ${fip.fixedIp}`);
    expect(save).to.include(`-o ${qg} -j SNAT --to-source ${f.routers[0].gatewayIp} --random-fully`);
    expect(save).to.include(`-A neutron-l3-agent-mark -i ${qg} -j MARK --set-xmark 0x2/0xffff`);
    expect(save).to.include(`-A neutron-l3-agent-scope -i ${qr} -j MARK --set-xmark 0x4000000/0xffff0000`);
    expect(save).to.include(`-A neutron-l3-agent-scope -i ${qg} -j MARK --set-xmark 0x4000000/0xffff0000`);
    expect(save).to.include(`-A neutron-l3-agent-scope -o ${qr} -m mark ! --mark 0x4000000/0xffff0000 -j DROP`);
    expect(save).to.include(`-A neutron-l3-agent-POSTROUTING -o ${qg} -m connmark --mark 0x0/0xffff0000 -j CONNMARK --save-mark`);
    expect(save).to.include('-j CONNMARK --restore-mark --nfmask 0xffff0000 --ctmask 0xffff0000');
  });

  bridgesDown(s, ['net1', 'net2', 'net3']);

  cleanRun(s, 'neutron-l3ha');

  garpVerify(s, 'neutron-l3ha', '203.0.113.101', 'vm1');

  it('row 5/10: drill failover (kill-keepalived over SSH) judges with br-ex DOWN, and the killed keepalived is respawned', async function () {
    this.timeout(300_000);
    const r = await runCli(['drill', 'failover', '--inventory', path.join(s().stateDir, 'inventory.yaml'), '--facts', path.join(s().stateDir, 'facts.json'),
      '--profile', 'neutron-l3ha', '--fault', 'kill-keepalived', '--via', 'ssh', '--yes-i-mean-it', '--format', 'json'], 280_000);
    const o = JSON.parse(r.stdout) as { drill: { verdict: string; message: string; newPrimaryMs?: number }; warnings: string[] };
    const why = JSON.stringify({ drill: o.drill, warnings: o.warnings }).slice(0, 6000) + r.stderr.slice(-1500);
    // pass — or warn for the one thing a 3-replica router shows and the 2-replica real engine did not:
    // both backups claim the VIPs for a moment (same priority, same timer) and one yields: a real L2 flap
    if (o.drill.verdict === 'warn') expect(o.drill.message, why).to.match(/other node\(s\) announced the router's addresses during the takeover/);
    else expect(o.drill.verdict, why).to.equal('pass');
    expect(o.drill.newPrimaryMs, why).to.be.a('number').and.at.most(10_000);
    expect(o.warnings.filter((w) => /did not come back/.test(w)), 'the ProcessMonitor stand-in respawned keepalived').to.deep.equal([]);
    expect(o.warnings.filter((w) => /br-ex is down/.test(w))).to.have.length(3);
  });

  it('row 6: at the transition keepalived sends 5 G-ARP requests for every VIP (gateway and FIP); the FIP answers after', async function () {
    this.timeout(60_000);
    const f = s().facts();
    const r = f.routers[0];
    const qg = portBy(f, 'network:router_gateway');
    const fip = f.floatingIps[0].floatingIp;
    const cap = runArgv(nodeArgv(s().state().nodes.upstream.holderPid!, ['timeout', '8', 'tcpdump', '-l', '-n', '-e', '-i', 'ext0', 'arp', 'and', 'ether', 'src', qg.mac]), '', 15_000);
    await new Promise((res) => setTimeout(res, 1000));
    const rec = await failoverRouter({ stateDir: s().stateDir });
    try {
      expect(rec.toNode).to.be.a('string').and.not.equal(rec.fromNode);
      const lines = (await cap).stdout.split('\n');
      // keepalived (vrrp_garp_master_repeat 5): bursts of 5 requests per VIP, all VIPs interleaved
      // within a few ms. The real engine has 2 HA nodes and showed one burst; with 3 nodes here both
      // backups may claim the VIPs for a moment and each sends its burst (same qg- MAC), so count bursts.
      const at = (l: string): number => { const [h, m, x] = l.split(' ')[0].split(':').map(Number); return (h * 60 + m) * 60 + x; };
      const first = at(lines.find((l) => l.includes('Request'))!);
      for (const ip of [r.gatewayIp!, fip]) {
        const reqs = lines.filter((l) => l.includes(`Request who-has ${ip} (ff:ff:ff:ff:ff:ff) tell ${ip}`));
        expect(reqs.length % 5, `${ip}: bursts of 5\n${lines.join('\n')}`).to.equal(0);
        expect(reqs.filter((l) => at(l) - first < 0.05).length, `${ip}: a burst of 5 at the transition`).to.be.at.least(5);
      }
      expect(lines.filter((l) => l.includes('Reply')), 'no agent/state-change arping on Zed').to.deep.equal([]);
      // with 3 replicas both backups may claim the VIPs for a moment (see above): if the loser's burst came
      // last, br-ex forwards to it until the upstream probes its neighbour entry again — give it 15 s
      expect(await pingFromUpstream(s(), fip, 1, 15), `${fip} answers after the failover\n${lines.join('\n')}`).to.equal(63);
    } finally {
      // the router goes back even when an assertion failed: the lab's later readers expect its primary
      await restoreRouter({ stateDir: s().stateDir });
    }
  });
});

describe('lab release zed: neutron-dvr @lab', function () {
  this.timeout(120_000);
  const s = useLab('neutron-dvr', { variant: { release: 'zed' } });

  it('row 4: the dvr_snat node has its own fg- port (network:floatingip_agent_gateway) and fip namespace', async () => {
    const f = s().facts();
    expect(f.release).to.equal('zed');
    const fg = portBy(f, 'network:floatingip_agent_gateway', 'net1');
    expect(fg, 'fg- of net1 in the facts').to.not.equal(undefined);
    const fipNs = `fip-${f.routers[0].externalNetworkId}`;
    expect((await sh(s(), 'net1', 'ip netns')).split('\n').map((l) => l.split(' ')[0])).to.include(fipNs);
    const addrs = await nsAddrs(s(), 'net1', fipNs);
    const dev = addrs.find((d) => d.ifname === devName('fg-', fg.id))!;
    expect(dev.address).to.equal(fg.mac);
    expect(dev.addr_info.map((a) => a.local)).to.include(fg.fixedIps[0]);
  });

  it('row 11: DVR qrouter marks its ports with the address scope; FIPs answer through the computes\' fg-', async () => {
    const f = s().facts();
    for (const fip of f.floatingIps) {
      const save = await sh(s(), fip.host!, `ip netns exec ${qrouter(f)} iptables-save`);
      expect(save).to.match(/-A neutron-l3-agent-scope -i rfp-\S+ -j MARK --set-xmark 0x4000000\/0xffff0000/);
      expect(save).to.match(/-A neutron-l3-agent-scope -o qr-\S+ -m mark ! --mark 0x4000000\/0xffff0000 -j DROP/);
      expect(await pingFromUpstream(s(), fip.floatingIp)).to.equal(62);
    }
  });

  bridgesDown(s, ['net1', 'cmp1']);

  cleanRun(s, 'neutron-dvr');

  garpVerify(s, 'neutron-dvr', '203.0.113.101', 'vm1');
});

describe('lab release zed: neutron-legacy @lab', function () {
  this.timeout(120_000);
  const s = useLab('neutron-legacy', { variant: { release: 'zed' } });

  it('IPv6 left on in the router namespace (kernel link-local on qr-/qg-), FIP answers', async () => {
    const f = s().facts();
    expect(f.release).to.equal('zed');
    const addrs = await nsAddrs(s(), 'net1', qrouter(f));
    for (const d of addrs.filter((x) => x.ifname.startsWith('qr-') || x.ifname.startsWith('qg-'))) {
      expect(d.addr_info.some((a) => a.local.startsWith('fe80:')), d.ifname).to.equal(true);
    }
    expect(await pingFromUpstream(s(), f.floatingIps[0].floatingIp)).to.equal(63);
  });

  bridgesDown(s, ['net1', 'cmp1']);

  it('missing-dnat healed: the namespace gets back the Zed rules up built (--random-fully, scope marks, CONNMARK), not the default era\'s', async () => {
    const f = s().facts();
    const rules = async (): Promise<string[]> => (await sh(s(), 'net1', `ip netns exec ${qrouter(f)} iptables-save`)).split('\n')
      .filter((l) => l.startsWith('-A ') || l.startsWith(':')).map((l) => l.replace(/\[\d+:\d+\]/, '')).sort();
    const before = await rules();
    expect(before.some((l) => l.includes('--random-fully')), 'zed SNAT form').to.equal(true);
    await applyFault({ stateDir: s().stateDir, name: 'missing-dnat' });
    expect(await rules()).to.not.deep.equal(before);
    await healFaults({ stateDir: s().stateDir });
    expect(await rules()).to.deep.equal(before);
  });

  cleanRun(s, 'neutron-legacy');
});
