import { expect } from 'chai';
import { associateFip, disassociateFip, labPaths, readLabState } from '../../src/lab';
import { runGarpWatch } from '../../src/cli/commands/garp';
import { labFipTrigger } from '../../src/garp/lab-adapter';
import { useGarpLab } from './lab-session';

const PROFILE = 'neutron-legacy';
const FIP = '203.0.113.102';

/**
 * Issue 15: on a data plane built by the real agents neutron never sets br-ex up, and
 * `tcpdump -i br-ex` fails with "That device is not up". A capture that fails must say so
 * (node, device, tcpdump's words, non-zero exit); a bridge that is down is captured on its
 * ports instead, saying so.
 */
describe('capture failures and a down br-ex on neutron-legacy @lab', function () {
  this.timeout(120_000);
  const lab = useGarpLab(PROFILE);
  const associated = (): boolean => readLabState(labPaths(lab().stateDir))!.fips[FIP] !== undefined;
  afterEach(async () => {
    if (!lab.current()) return;
    await lab().ssh('net1', 'ip link set br-ex up; ip link del hpdown0 2>/dev/null || true');
    if (associated()) await disassociateFip({ stateDir: lab().stateDir, fip: FIP });
  });

  const watch = async (on: string[], during?: () => Promise<unknown>, duration = '6s') => {
    const out: string[] = [];
    const err: string[] = [];
    const running = runGarpWatch(
      { inventory: labPaths(lab().stateDir).inventory, node: ['net1'], on, duration, format: 'table', pattern: 'any', deadline: '10s' },
      { write: (t) => out.push(t), warn: (t) => err.push(t) },
    );
    if (during) {
      await new Promise((r) => setTimeout(r, 2500));
      await during();
    }
    const code = await running;
    return { code, out: out.join(''), err: err.join('') };
  };

  it('a device that is down: error with node, device and tcpdump\'s words, exit 3 — not "0 frame(s), no anomaly" and exit 0', async () => {
    await lab().ssh('net1', 'ip link add hpdown0 type veth peer name hpdown1');
    const r = await watch(['hpdown0'], undefined, '2s');
    expect(r.code).to.equal(3);
    expect(r.err).to.match(/net1 hpdown0: capture did not start: tcpdump: hpdown0: That device is not up/);
    expect(r.out).to.match(/capture FAILED on 1 point\(s\)/);
  });

  it('br-ex down (as under the real agents): garp watch captures on its port ex-up instead, says so, and sees the G-ARPs', async () => {
    await lab().ssh('net1', 'ip link set br-ex down');
    const r = await watch(['br-ex'], () => associateFip({ stateDir: lab().stateDir, fip: FIP, instance: 'vm2' }), '15s');
    expect(r.err).to.match(/net1: br-ex is down \(neutron does not set it up\): capturing on its port\(s\) ex-up instead/);
    expect(r.out).not.to.match(/capture FAILED/);
    expect(r.code, r.out + r.err).to.equal(0);
    const garps = r.out.split('\n').filter((l) => l.includes('ex-up') && l.includes(FIP) && /garp-(request|reply)/.test(l));
    expect(garps.length, r.out).to.equal(6);
  });

  it('garp verify with br-ex down: the wire line comes from ex-up (not a blind "0 announcements"), the verdict PASS', async () => {
    await lab().ssh('net1', 'ip link set br-ex down');
    const action = { kind: 'associate' as const, instance: 'vm2' };
    const r = await lab().verify({ fip: FIP, action, trigger: labFipTrigger(lab().stateDir, FIP, action) });
    expect(r.status, r.message).to.equal('PASS');
    expect(r.warnings.join('\n')).to.match(/net1: br-ex is down .* ex-up instead/);
    const wire = r.wire.find((w) => w.node === 'net1' && w.role === 'wire');
    expect(wire).to.include({ device: 'ex-up', garps: 6 });
    expect(wire?.error).to.equal(undefined);
  });

  it('garp verify: a wire capture that cannot run is shown as FAILED with tcpdump\'s words; the announcer\'s own capture failing leaves no verdict (INCONCLUSIVE capture-failed)', async () => {
    const action = { kind: 'associate' as const, instance: 'vm2' };
    const r = await lab().verify({ fip: FIP, action, trigger: labFipTrigger(lab().stateDir, FIP, action), wireDevice: 'nope0' });
    expect(r.status, r.message).to.equal('PASS');
    const wire = r.wire.find((w) => w.node === 'net1' && w.role === 'wire');
    expect(wire?.error).to.match(/net1 nope0: capture did not start: tcpdump: nope0: No such device exists/);
    await disassociateFip({ stateDir: lab().stateDir, fip: FIP });
    const facts = lab().facts();
    const router = facts.routers[0];
    const qg = ('qg-' + facts.ports.find((p) => p.deviceOwner === 'network:router_gateway')!.id).slice(0, 14);
    await lab().ssh('net1', `ip -n qrouter-${router.id} link set ${qg} down`);
    try {
      const down = await lab().verify({ fip: FIP, action, trigger: labFipTrigger(lab().stateDir, FIP, action), deadlineMs: 3000 });
      expect(down.status).to.equal('INCONCLUSIVE');
      expect(down.cause).to.equal('capture-failed');
      expect(down.message).to.match(/That device is not up/);
    } finally {
      await lab().ssh('net1', `ip -n qrouter-${router.id} link set ${qg} up`);
    }
  });
});
