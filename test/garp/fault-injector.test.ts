import { expect } from 'chai';
import { sshRouterFaultInjector, type FaultTarget } from '../../src/garp/drill-failover';
import { sshNovaFaultInjector, type NovaMemberTarget } from '../../src/garp/drill-nova';
import type { ExecResult, Transport } from '../../src/transport/types';

/**
 * The drills' fault-injector port, SSH adapters (issue 14): which commands reach the primary's node
 * for each fault and what the restore reports. A recording transport stands in for the node (a
 * unit test of pure sequencing; the live proof is the drill suites on the labs).
 */
function recordingTransport(ran: string[], exitCodeOf: (cmd: string) => number = () => 0): Transport {
  return {
    node: 'net1',
    connect: async () => undefined,
    close: async () => undefined,
    async exec(command: string): Promise<ExecResult> {
      ran.push(command);
      return { command, stdout: '', stderr: '', exitCode: exitCodeOf(command), durationMs: 1, startedAt: new Date().toISOString() };
    },
    stream: () => { throw new Error('not used'); },
  } as unknown as Transport;
}

const ROUTER = '3f1e1b2a-0c4d-4e5f-8a9b-0c1d2e3f4a5b';

function routerTarget(ran: string[], exitCodeOf?: (cmd: string) => number): FaultTarget {
  return { router: ROUTER, node: 'net1', transport: recordingTransport(ran, exitCodeOf), haDevice: 'ha-1234abcd-56', statePath: '/var/lib/neutron', ns: `qrouter-${ROUTER}` };
}

describe('drill fault injectors over SSH (issue 14: the fault-injector port)', function () {
  it('kill-keepalived kills by the router pid file; the restore waits for the L3 agent to respawn it', async function () {
    const ran: string[] = [];
    const injector = sshRouterFaultInjector('kill-keepalived');
    await injector.inject(routerTarget(ran));
    expect(ran).to.have.length(1);
    expect(ran[0]).to.include(`/var/lib/neutron/ha_confs/${ROUTER}.pid.keepalived`);
    const warnings: string[] = [];
    expect(await injector.restore(routerTarget(ran), warnings)).to.deep.equal(['keepalived on net1 was respawned by the L3 agent']);
    expect(warnings).to.deep.equal([]);
  });

  it('link-down sets the ha- device down in the qrouter namespace and up again', async function () {
    const ran: string[] = [];
    const injector = sshRouterFaultInjector('link-down');
    await injector.inject(routerTarget(ran));
    expect(ran[0]).to.match(new RegExp(`qrouter-${ROUTER}.*ha-1234abcd-56.*down`));
    expect(await injector.restore(routerTarget(ran), [])).to.deep.equal(['set ha-1234abcd-56 up on net1']);
    expect(ran[1]).to.match(/ha-1234abcd-56.*up/);
  });

  it('a failed restore is a warning naming the node, not an exception', async function () {
    const ran: string[] = [];
    const warnings: string[] = [];
    const done = await sshRouterFaultInjector('stop-node').restore(routerTarget(ran, () => 1), warnings);
    expect(done).to.deep.equal([]);
    expect(warnings[0]).to.match(/^restore failed: ha- link up on net1 failed: exit 1/);
  });

  it('the nova injector refuses stop-node over SSH (haprobe cannot power a real host back on)', function () {
    expect(() => sshNovaFaultInjector('stop-node')).to.throw(/only --via lab/);
  });

  it('nova link-down takes flat_interface down and up again', async function () {
    const ran: string[] = [];
    const member: NovaMemberTarget = { node: 'net1', transport: recordingTransport(ran), publicInterface: 'eth0', flatInterface: 'eth1' };
    const injector = sshNovaFaultInjector('link-down');
    await injector.inject(member);
    expect(await injector.restore(member, [])).to.deep.equal(['set eth1 up on net1 (its cluster manager rejoins as backup: nopreempt)']);
    expect(ran).to.have.length(2);
    expect(ran[0]).to.match(/eth1.*down/);
    expect(ran[1]).to.match(/eth1.*up/);
  });
});
