import { expect } from 'chai';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Inventory } from '../../src/inventory/types';
import { createTransport } from '../../src/transport/create-transport';
import { TransportPool } from '../../src/transport/transport-pool';
import { type KeyPair, type Sshd, childrenOf, makeKeyPair, makeTmpDir, startSshd } from '../helpers/sshd';

/** connections an sshd listener serves now = its direct children (one per connection) */
function connectionsOf(sshd: Sshd): number {
  return childrenOf(sshd.pid).length;
}

describe('transport: jump host and pool (two throwaway sshds)', function () {
  this.timeout(30_000);
  let dir: string;
  let key: KeyPair;
  let bastion: Sshd;
  let target: Sshd;
  let noForward: Sshd;
  let inv: Inventory;

  before(async () => {
    dir = makeTmpDir('haprobe-jump-');
    key = makeKeyPair(dir, 'client');
    [bastion, target, noForward] = await Promise.all([
      startSshd({ authorizedKeys: [key.publicKey] }),
      startSshd({ authorizedKeys: [key.publicKey] }),
      startSshd({ authorizedKeys: [key.publicKey], extraConfig: ['AllowTcpForwarding no'] }),
    ]);
    const knownHosts = path.join(dir, 'known_hosts');
    fs.writeFileSync(knownHosts, [bastion, target, noForward].map((s) => s.knownHostsLine).join('\n') + '\n');
    const node = (name: string, port: number, jump?: string) => ({
      name,
      address: '127.0.0.1',
      port,
      user: 'root',
      identityFile: key.path,
      roles: ['network' as const],
      sudo: false,
      ...(jump ? { jump } : {}),
    });
    inv = {
      source: 'test',
      knownHosts,
      nodes: [
        node('bastion', bastion.port),
        node('net1', target.port, 'bastion'),
        node('net2', target.port, 'bastion'),
        node('blocked', noForward.port),
        node('behind-blocked', target.port, 'blocked'),
        node('behind-external', target.port, `root@127.0.0.1:${bastion.port}`),
      ],
    };
  });
  after(async () => {
    await Promise.all([bastion, target, noForward].map((s) => s?.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reaches a node through a bastion node (forwardOut on the bastion connection)', async () => {
    const t = createTransport(inv.nodes[1], inv, { agent: false });
    try {
      const r = await t.exec('echo via-jump');
      expect(r).to.include({ stdout: 'via-jump\n', exitCode: 0 });
      expect(connectionsOf(bastion)).to.equal(1);
    } finally {
      await t.close();
    }
  });

  it('reaches a node through an external user@host:port bastion', async () => {
    const t = createTransport(inv.nodes[5], inv, { agent: false });
    try {
      expect((await t.exec('echo ext')).stdout).to.equal('ext\n');
    } finally {
      await t.close();
    }
  });

  it('a bastion that refuses forwarding makes the node `unreachable`, naming the jump', async () => {
    const t = createTransport(inv.nodes[4], inv, { agent: false });
    try {
      const f = await t.connect();
      expect(f?.reason).to.equal('unreachable');
      expect(f?.message).to.contain('jump blocked');
    } finally {
      await t.close();
    }
  });

  it('the pool shares one bastion connection, bounds connects, and closes everything', async () => {
    const pool = new TransportPool(inv, { agent: false, concurrency: 2 });
    const nodes = inv.nodes.filter((n) => ['bastion', 'net1', 'net2'].includes(n.name));
    const failures = await pool.connectAll(nodes);
    expect([...failures.entries()]).to.deep.equal([
      ['bastion', undefined],
      ['net1', undefined],
      ['net2', undefined],
    ]);
    const results = await Promise.all(nodes.map((n) => pool.get(n).exec('echo $((6*7))')));
    expect(results.map((r) => r.stdout)).to.deep.equal(['42\n', '42\n', '42\n']);
    expect(connectionsOf(bastion)).to.equal(1);
    expect(connectionsOf(target)).to.equal(2);
    await pool.closeAll();
    const gone = async (s: Sshd): Promise<boolean> => {
      for (let i = 0; i < 40 && connectionsOf(s) > 0; i++) await new Promise((r) => setTimeout(r, 50));
      return connectionsOf(s) === 0;
    };
    expect(await gone(bastion)).to.equal(true);
    expect(await gone(target)).to.equal(true);
  });

  it('a pool reports each unreachable node as data', async () => {
    const pool = new TransportPool(inv, { agent: false });
    try {
      const failures = await pool.connectAll([inv.nodes[4]]);
      expect(failures.get('behind-blocked')?.reason).to.equal('unreachable');
    } finally {
      await pool.closeAll();
    }
  });

  it('preconnect of a dead bastion and a node behind it: one attempt at the bastion, whose answer both get', async () => {
    // a "bastion" that hangs up at once: each attempt is one accepted connection
    let accepted = 0;
    const dead = net.createServer((socket) => {
      accepted += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as net.AddressInfo).port;
    const base = inv.nodes[0]!;
    const nodes = [{ ...base, name: 'dead-bastion', port }, { ...base, name: 'behind-dead', port: target.port, jump: 'dead-bastion' }];
    const pool = new TransportPool({ ...inv, nodes }, { connectTimeoutMs: 5000 });
    try {
      pool.preconnect(nodes);
      const leaf = await pool.get(nodes[1]!).connect();
      expect(leaf?.message ?? '').to.match(/dead-bastion|127\.0\.0\.1/);
      const bastionAnswer = await pool.get(nodes[0]!).connect();
      expect(bastionAnswer?.reason).to.be.a('string');
      expect(accepted, 'the node behind it did not use up the bastion\'s early answer').to.equal(1);
    } finally {
      await pool.closeAll();
      dead.close();
    }
  });
});
