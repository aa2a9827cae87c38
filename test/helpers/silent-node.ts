import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A node that never answers: a TCP listener on 127.0.0.1 that accepts and says nothing (the SSH
 * banner never comes), and a one-node inventory pointing at it. `sockets` holds every connection
 * it got, so a test can prove that nothing was contacted. Registers its own before/after hooks.
 */
export interface SilentNode {
  /** the inventory file (set in before()) */
  inventory: () => string;
  /** the folder of the inventory, the key and anything the test writes (removed in after()) */
  dir: string;
  sockets: Set<net.Socket>;
}

export function useSilentNode(name: string, role: 'compute' | 'network'): SilentNode {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-silent-node-'));
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => void sockets.add(s.on('error', () => undefined)));
  let inv = '';
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const key = path.join(dir, 'id');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    inv = path.join(dir, 'inventory.yaml');
    fs.writeFileSync(inv, `knownHosts: false\nnodes:\n  - { name: ${name}, address: 127.0.0.1, port: ${port}, user: root, identityFile: ${key}, roles: [${role}] }\n`);
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { inventory: () => inv, dir, sockets };
}
