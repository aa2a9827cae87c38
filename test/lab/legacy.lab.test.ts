import { expect } from 'chai';
import { applyFault, associateFip, disassociateFip, healFaults, labDown, labUp } from '../../src/lab';
import {
  devName, nsAddrs, ovsInterfaces, pingFromUpstream, portBy, qrouter, upstreamNeigh, useLab, verifyAgainstFacts,
} from './lab-helpers';

const PROFILE = 'neutron-legacy';

describe('lab neutron-legacy @lab', function () {
  this.timeout(120_000);
  const s = useLab(PROFILE);

  it('every node answers SSH and its data plane matches facts.json', async () => {
    await verifyAgainstFacts(s());
  });

  it('ping from the upstream reaches the instance through DNAT; upstream learnt the qg- MAC', async () => {
    const f = s().facts();
    const fip = f.floatingIps[0];
    const ttl = await pingFromUpstream(s(), fip.floatingIp);
    expect(ttl, 'reply crossed the router').to.equal(63);
    expect(await upstreamNeigh(s(), fip.floatingIp)).to.equal(portBy(f, 'network:router_gateway').mac);
  });

  it('lab fip associate: NAT before address, 6 arping runs in 3 rounds 2 s apart, upstream learns the qg- MAC', async () => {
    const rec = await associateFip({ stateDir: s().stateDir, fip: '203.0.113.102' });
    expect(rec.natAppliedAtMs).to.be.at.most(rec.addressAppliedAtMs);
    expect(rec.garp!.sentAtMs).to.have.length(6);
    expect(rec.garp!.sentAtMs[2] - rec.garp!.sentAtMs[1]).to.be.at.least(1900);
    expect(await upstreamNeigh(s(), '203.0.113.102')).to.equal(rec.expectedMac);
    expect(await pingFromUpstream(s(), '203.0.113.102')).to.equal(63);
    expect(s().facts().floatingIps.map((x) => x.floatingIp)).to.include('203.0.113.102');
    await disassociateFip({ stateDir: s().stateDir, fip: '203.0.113.102' });
    const f = s().facts();
    const qgIps = (await nsAddrs(s(), 'net1', qrouter(f))).find((a) => a.ifname.startsWith('qg-'))!.addr_info.map((a) => a.local);
    expect(qgIps).to.not.include('203.0.113.102');
  });

  it('fault missing-garp: the upstream keeps the previous owner MAC', async () => {
    const rec = await applyFault({ stateDir: s().stateDir, name: 'missing-garp' });
    expect(rec.check).to.equal('upstream-neighbour');
    const mac = await upstreamNeigh(s(), String(rec.undo!.fip));
    expect(mac).to.equal(rec.undo!.previousMac);
    expect(mac).to.not.equal(rec.undo!.expectedMac);
    await healFaults({ stateDir: s().stateDir, name: 'missing-garp' });
  });

  it('fault wrong-sender-garp: who-has FIP tell gw leaves the upstream entry stale', async () => {
    const rec = await applyFault({ stateDir: s().stateDir, name: 'wrong-sender-garp' });
    expect(await upstreamNeigh(s(), String(rec.undo!.fip))).to.equal(rec.undo!.previousMac);
    await healFaults({ stateDir: s().stateDir });
  });

  it('fault missing-dnat: the PREROUTING DNAT is gone from iptables-save; heal restores it', async () => {
    const f = s().facts();
    const fip = f.floatingIps[0];
    const rule = `-A neutron-l3-agent-PREROUTING -d ${fip.floatingIp}/32 -j DNAT --to-destination ${fip.fixedIp}`;
    await applyFault({ stateDir: s().stateDir, name: 'missing-dnat' });
    expect(await s().sh('net1', `ip netns exec ${qrouter(f)} iptables-save -t nat`)).to.not.include(rule);
    expect(await pingFromUpstream(s(), fip.floatingIp, 1), 'router itself answers').to.equal(64);
    await healFaults({ stateDir: s().stateDir });
    expect(await s().sh('net1', `ip netns exec ${qrouter(f)} iptables-save -t nat`)).to.include(rule);
  });

  it('faults stale-namespace and missing-namespace show in `ip netns`', async () => {
    const f = s().facts();
    await applyFault({ stateDir: s().stateDir, name: 'stale-namespace' });
    expect(await s().sh('net2', 'ip netns')).to.include(qrouter(f));
    await healFaults({ stateDir: s().stateDir });
    expect(await s().sh('net2', 'ip netns')).to.not.include(qrouter(f));
    await applyFault({ stateDir: s().stateDir, name: 'missing-namespace' });
    expect(await s().sh('net1', 'ip netns')).to.not.include(qrouter(f));
    await healFaults({ stateDir: s().stateDir });
    expect(await s().sh('net1', 'ip netns')).to.include(qrouter(f));
    expect(await pingFromUpstream(s(), f.floatingIps[0].floatingIp)).to.equal(63);
  });

  it('fault mac-mismatch: qr- MAC differs from the port MAC and attached-mac', async () => {
    const f = s().facts();
    const qr = portBy(f, 'network:router_interface');
    await applyFault({ stateDir: s().stateDir, name: 'mac-mismatch' });
    const dev = (await nsAddrs(s(), 'net1', qrouter(f))).find((a) => a.ifname === devName('qr-', qr.id))!;
    expect(dev.address).to.not.equal(qr.mac);
    const iface = (await ovsInterfaces(s(), 'net1')).find((i) => i.name === devName('qr-', qr.id))!;
    expect(iface.ids['attached-mac']).to.equal(qr.mac);
    await healFaults({ stateDir: s().stateDir });
    expect((await nsAddrs(s(), 'net1', qrouter(f))).find((a) => a.ifname === devName('qr-', qr.id))!.address).to.equal(qr.mac);
  });

  it('fault missing-antispoof-flow: the table=24 arp_spa flow of the port is gone', async () => {
    const f = s().facts();
    const vm = f.instances.find((i) => i.host === 'cmp1')!;
    await applyFault({ stateDir: s().stateDir, name: 'missing-antispoof-flow', node: 'cmp1' });
    expect(await s().sh('cmp1', 'ovs-ofctl dump-flows br-int table=24')).to.not.include(`arp_spa=${vm.ip}`);
    await healFaults({ stateDir: s().stateDir });
    expect(await s().sh('cmp1', 'ovs-ofctl dump-flows br-int table=24')).to.include(`arp_spa=${vm.ip}`);
  });

  it('one lab per machine: a second up is refused, down of another state dir leaves this lab alone', async () => {
    const other = '/var/tmp/haprobe-labtest-other';
    let err: unknown;
    try {
      await labUp({ profile: 'neutron-l3ha', stateDir: other, renderer: 'silent' });
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.match(/another lab is up/);
    await labDown({ stateDir: other });
    expect((await s().ssh('net1', 'true')).code).to.equal(0);
  });

  it('fault node-unreachable: ssh to the node fails until heal', async () => {
    await applyFault({ stateDir: s().stateDir, name: 'node-unreachable', node: 'cmp2' });
    const down = await s().ssh('cmp2', 'true');
    expect(down.code, 'no command ran').to.equal(null);
    expect(down.stderr, 'typed transport failure').to.match(/^unreachable: /);
    await healFaults({ stateDir: s().stateDir });
    expect((await s().ssh('cmp2', 'true')).code).to.equal(0);
  });
});
