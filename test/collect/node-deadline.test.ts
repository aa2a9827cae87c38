import { expect } from 'chai';
import { collectNodes, describeDeadlineMiss } from '../../src/collect/collect';
import type { InventoryNode } from '../../src/inventory/types';
import type { ExecOptions, ExecResult, StreamHandle, Transport, TransportFailure } from '../../src/transport/types';

/**
 * Issue 10: a slow or dead node never stalls the others. Fake transports (pure collection code
 * under test; the lab proof with a stopped sshd is in docs/scale.md "Per-node deadline").
 */
type Mode = 'ok' | 'connect-hangs' | 'script-hangs';

class FakeTransport implements Transport {
  closed = false;
  execBudget: number | undefined;
  constructor(readonly node: string, private readonly mode: Mode) {}
  connect(): Promise<TransportFailure | undefined> {
    if (this.mode === 'connect-hangs') return new Promise(() => undefined);
    return Promise.resolve(undefined);
  }
  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    this.execBudget = options.timeoutMs;
    const result = (failure?: TransportFailure): ExecResult => ({ command, stdout: '', stderr: '', exitCode: failure ? null : 0, durationMs: 1, startedAt: new Date().toISOString(), failure });
    if (this.mode === 'ok') return new Promise((r) => setTimeout(() => r(result()), 20));
    // as SshTransport: the exec's own timeout kills the command and answers `timeout`
    return new Promise((r) => setTimeout(() => r(result({ reason: 'timeout', message: `command timed out after ${options.timeoutMs} ms` })), options.timeoutMs));
  }
  stream(): StreamHandle {
    throw new Error('not used');
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

const node = (name: string): InventoryNode => ({ name, address: '192.0.2.1', port: 22, user: 'root', roles: ['compute'], sudo: false });

describe('collect: per-node deadline (issue 10)', () => {
  it('a node whose connect never ends is a timeout naming the node and the phase; the others are read', async () => {
    const nodes = ['cmp1', 'cmp2', 'cmp3'].map(node);
    const fakes = new Map<string, FakeTransport>([
      ['cmp1', new FakeTransport('cmp1', 'ok')],
      ['cmp2', new FakeTransport('cmp2', 'connect-hangs')],
      ['cmp3', new FakeTransport('cmp3', 'ok')],
    ]);
    const t0 = Date.now();
    // concurrency 1: the dead node sits between the others in the same worker
    const out = await collectNodes(nodes, (n) => fakes.get(n.name)!, { concurrency: 1, deadlineMs: 300 });
    expect(Date.now() - t0).to.be.below(1500);
    expect(out.map((c) => c.failure?.reason)).to.deep.equal([undefined, 'timeout', undefined]);
    expect(out[1].failure!.message).to.match(/^node cmp2: per-node deadline of 0\.3 s passed .*no SSH session yet/);
    expect(fakes.get('cmp2')!.closed, 'connect in flight aborted').to.equal(true);
    expect(out[0].snapshot).to.not.equal(undefined);
  });

  it('a hanging script gets only what is left of the deadline, then is reported as the deadline (not the --timeout)', async () => {
    const fake = new FakeTransport('net1', 'script-hangs');
    const t0 = Date.now();
    const [c] = await collectNodes([node('net1')], () => fake, { timeoutMs: 120_000, deadlineMs: 250 });
    expect(Date.now() - t0).to.be.below(1500);
    expect(fake.execBudget).to.be.at.most(250);
    expect(c.failure?.reason).to.equal('timeout');
    expect(c.failure?.message).to.include('node net1: per-node deadline of 0.3 s').and.include('snapshot script was still running');
    expect(fake.closed).to.equal(true);
  });

  it('without a deadline the exec keeps its own budget and message', async () => {
    const fake = new FakeTransport('net1', 'script-hangs');
    const [c] = await collectNodes([node('net1')], () => fake, { timeoutMs: 50 });
    expect(fake.execBudget).to.equal(50);
    expect(c.failure?.message).to.equal('command timed out after 50 ms');
  });

  it('describeDeadlineMiss: whole seconds without decimals', () => {
    expect(describeDeadlineMiss('cmp7', 30_000, 'connect', 30_012).message).to.match(/^node cmp7: per-node deadline of 30 s passed after 30\.0 s: no SSH session yet/);
  });
});

describe('pool: release closes a node once read (issue 10: fds stay about --concurrency)', () => {
  it('closes a leaf node, keeps a node others jump through', async () => {
    const { TransportPool } = await import('../../src/transport/transport-pool');
    const made = new Map<string, FakeTransport>();
    const inv = {
      source: 'test', knownHosts: false as const,
      nodes: [{ ...node('bastion'), roles: ['network' as const] }, { ...node('cmp1'), jump: 'bastion' }, node('cmp2')],
    };
    const pool = new TransportPool(inv, { factory: (n) => { const t = new FakeTransport(n.name, 'ok'); made.set(n.name, t); return t; } });
    const out = await collectNodes(inv.nodes, (n) => pool.get(n), { concurrency: 2, release: (n) => pool.release(n) });
    expect(out.every((c) => c.failure === undefined)).to.equal(true);
    expect(made.get('cmp2')!.closed).to.equal(true);
    expect(made.get('cmp1')!.closed).to.equal(true);
    expect(made.get('bastion')!.closed, 'cmp1 jumps through it').to.equal(false);
    await pool.closeAll();
    expect(made.get('bastion')!.closed).to.equal(true);
  });
});
