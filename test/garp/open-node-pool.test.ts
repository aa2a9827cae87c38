import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HaprobeError } from '../../src/errors';
import type { Inventory, InventoryNode } from '../../src/inventory/types';
import type { ExecResult, StreamHandle, StreamOptions, Transport } from '../../src/transport/types';
import { buildCaptureCommand } from '../../src/capture/live';
import { openNodePool } from '../../src/garp/open-node-pool';
import type { CapturePoint } from '../../src/garp/capture-points';

const node = (name: string, sudo: boolean): InventoryNode => ({ name, address: '192.0.2.1', port: 22, user: 'root', roles: [], sudo });
const INVENTORY: Inventory = { source: 'inv.yaml', knownHosts: false, nodes: [node('net1', false), node('net2', true)] };

/** a transport whose stream() emits one chunk and ends */
function fakeTransport(name: string, log: string[], failClose = false): Transport {
  return {
    node: name,
    connect: async () => undefined,
    exec: async (): Promise<ExecResult> => ({ stdout: '', stderr: '', exitCode: 0, durationMs: 0 } as ExecResult),
    stream(command: string, o: StreamOptions): StreamHandle {
      log.push(`stream ${name} ${command}`);
      o.onStdout(Buffer.from('PCAP'));
      return { done: Promise.resolve({} as never), stop: async () => undefined };
    },
    async close() {
      log.push(`close ${name}`);
      if (failClose) throw new Error('close failed');
    },
  };
}

describe('garp node pool', () => {
  it('opens one transport per node on first use, knows sudo, refuses nodes outside the inventory, closes all (close errors swallowed)', async () => {
    const log: string[] = [];
    const pool = openNodePool(INVENTORY, (n) => (log.push(`open ${n.name}`), fakeTransport(n.name, log, n.name === 'net2')), undefined);
    expect(log).to.deep.equal([]);
    const a = pool.transportOf('net1');
    expect(pool.transportOf('net1')).to.equal(a);
    pool.transportOf('net2');
    expect(log).to.deep.equal(['open net1', 'open net2']);
    expect([pool.sudoOf('net1'), pool.sudoOf('net2'), pool.sudoOf('cmp9')]).to.deep.equal([false, true, undefined]);
    expect([pool.has('net2'), pool.has('cmp9')]).to.deep.equal([true, false]);
    let err: unknown;
    try {
      pool.transportOf('cmp9');
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(HaprobeError);
    expect((err as HaprobeError).code).to.equal('inventory');
    expect((err as HaprobeError).message).to.equal('node cmp9 (from the facts) is not in the inventory');
    expect(pool.keepPcap({ node: 'net1', role: 'wire', target: { device: 'br-ex' } })).to.equal(undefined);
    await pool.closeAll();
    expect(log.slice(2).sort()).to.deep.equal(['close net1', 'close net2']);
  });

  it('with a pcapDir: the stream of a kept capture point is teed to <node>_<spec>.pcap, other streams are not', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-pool-'));
    try {
      const log: string[] = [];
      const pool = openNodePool(INVENTORY, (n) => fakeTransport(n.name, log), dir);
      const point: CapturePoint = { node: 'net1', role: 'origin', target: { namespace: 'qrouter-r1', device: 'qg-1', direction: 'out' } };
      const file = pool.keepPcap(point)!;
      expect(path.dirname(file)).to.equal(dir);
      expect(path.basename(file)).to.match(/^net1_[A-Za-z0-9_.-]+\.pcap$/);
      const seen: string[] = [];
      const h = pool.transportOf('net1').stream(buildCaptureCommand(point.target), { onStdout: (b) => seen.push(b.toString()) });
      await h.done;
      pool.transportOf('net1').stream('ping -D 203.0.113.1', { onStdout: () => undefined });
      pool.transportOf('net2').stream(buildCaptureCommand(point.target), { onStdout: () => undefined });
      expect(seen).to.deep.equal(['PCAP']);
      expect(fs.readdirSync(dir)).to.deep.equal([path.basename(file)]);
      expect(fs.readFileSync(file, 'utf8')).to.equal('PCAP');
      await pool.closeAll();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
