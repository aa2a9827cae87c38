import { expect } from 'chai';
import { applyFault, failoverRouter, healFaults, restoreRouter } from '../../src/lab';
import { isAlive } from '../../src/lab/processes';
import { nsAddrs, pingFromUpstream, portBy, qrouter, upstreamNeigh, useLab, verifyAgainstFacts } from './lab-helpers';

const PROFILE = 'neutron-l3ha';

describe('lab neutron-l3ha @lab', function () {
  this.timeout(120_000);
  const s = useLab(PROFILE);

  it('one primary; VIPs, state files, keepalived.conf and NAT on every node match facts.json', async () => {
    const f = s().facts();
    expect(Object.values(f.routers[0].haState!).sort()).to.deep.equal(['active', 'standby', 'standby']);
    await verifyAgainstFacts(s());
    for (const node of f.routers[0].hosts) {
      const ps = await s().sh(node, 'ps -eo args');
      expect(ps).to.match(/keepalived -P -f \/var\/lib\/neutron\/ha_confs\/\S+\/keepalived\.conf -p \S+\.pid\.keepalived -r \S+\.pid\.keepalived-vrrp -D/);
    }
  });

  it('each node is its own host: hostname = node name, pgrep sees only its own processes', async () => {
    const f = s().facts();
    for (const node of Object.keys(s().addr)) expect((await s().sh(node, 'hostname')).trim()).to.equal(node);
    for (const node of f.routers[0].hosts) {
      // keepalived -P: one parent + one VRRP child, and no other node's
      const pids = (await s().sh(node, 'pgrep -x keepalived')).trim().split('\n');
      expect(pids, `${node}: keepalived processes`).to.have.length(2);
      expect((await s().sh(node, 'pgrep -c -x sshd')).trim(), `${node}: sshd listener + this session`).to.equal('2');
    }
    expect((await s().ssh('cmp1', 'pgrep -x keepalived')).code, 'cmp1 sees no keepalived').to.equal(1);
  });

  it('ping reaches the instance through DNAT on the primary', async () => {
    const f = s().facts();
    expect(await pingFromUpstream(s(), f.floatingIps[0].floatingIp)).to.equal(63);
    expect(await upstreamNeigh(s(), f.floatingIps[0].floatingIp)).to.equal(portBy(f, 'network:router_gateway').mac);
  });

  it('killing the primary keepalived (by pid) moves the VIPs to a backup and the ping recovers', async () => {
    const before = s().facts();
    const fip = before.floatingIps[0].floatingIp;
    const rec = await failoverRouter({ stateDir: s().stateDir, how: 'kill-keepalived' });
    expect(rec.toNode).to.be.a('string').and.not.equal(rec.fromNode);
    expect(rec.newPrimaryAtMs! - rec.actedAtMs).to.be.below(15_000);
    const after = s().facts();
    expect(after.routers[0].haState![rec.toNode!]).to.equal('active');
    const qgNew = (await nsAddrs(s(), rec.toNode!, qrouter(after))).find((a) => a.ifname.startsWith('qg-'))!;
    expect(qgNew.addr_info.map((a) => a.local)).to.include(fip);
    const qgOld = (await nsAddrs(s(), rec.fromNode, qrouter(after))).find((a) => a.ifname.startsWith('qg-'))!;
    expect(qgOld.addr_info).to.deep.equal([]);
    let ttl: number | undefined;
    for (let i = 0; i < 10 && ttl === undefined; i++) ttl = await pingFromUpstream(s(), fip, 1);
    expect(ttl).to.equal(63);
    // the node's init reaped the killed keepalived: no zombie that `kill -0` would still find
    expect(isAlive(rec.killedPid!), `killed keepalived ${rec.killedPid} still there`).to.equal(false);
    await restoreRouter({ stateDir: s().stateDir });
    expect((await s().sh(rec.fromNode, 'ps -eo args')).includes('keepalived -P')).to.equal(true);
  });

  it('fault split-brain: two nodes report primary and hold the VIPs; heal returns to one', async () => {
    const rec = await applyFault({ stateDir: s().stateDir, name: 'split-brain' });
    expect(rec.check).to.equal('l3ha-single-primary');
    const f = s().facts();
    const states = await Promise.all(f.routers[0].hosts.map((n) => s().sh(n, `cat /var/lib/neutron/ha_confs/${f.routers[0].id}/state`)));
    expect(states.map((x) => x.trim()).filter((x) => x === 'primary')).to.have.length(2);
    const vip = `169.254.0.${f.routers[0].haVrId}`;
    const holders = await Promise.all(f.routers[0].hosts.map(async (n) =>
      (await nsAddrs(s(), n, qrouter(f))).some((d) => d.addr_info.some((a) => a.local === vip))));
    expect(holders.filter(Boolean)).to.have.length(2);
    await healFaults({ stateDir: s().stateDir });
    const after = await Promise.all(f.routers[0].hosts.map((n) => s().sh(n, `cat /var/lib/neutron/ha_confs/${f.routers[0].id}/state`)));
    expect(after.map((x) => x.trim()).filter((x) => x === 'primary')).to.have.length(1);
  });
});
