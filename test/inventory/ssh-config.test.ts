import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadInventory } from '../../src/inventory/load-inventory';
import { parseSshConfig, resolveSshHost } from '../../src/inventory/ssh-config';

const CONFIG = `# operator's client config
Host net1
  HostName 198.18.0.11
  User stack
  Port 2222
  IdentityFile ~/.ssh/lab_key

Host net* !net9
  User ops
  Port 22

Match host cmp*
  User never-used

Host *
  User fallback
`;

describe('inventory: ~/.ssh/config aliases', () => {
  it('first obtained value wins, negation excludes, Match blocks are skipped', () => {
    const blocks = parseSshConfig(CONFIG);
    expect(resolveSshHost(blocks, 'net1', '/x', '/home/op')).to.deep.equal({
      hostName: '198.18.0.11',
      user: 'stack',
      port: 2222,
      identityFile: '/home/op/.ssh/lab_key',
    });
    expect(resolveSshHost(blocks, 'net2', '/x', '/home/op')).to.deep.equal({ user: 'ops', port: 22 });
    expect(resolveSshHost(blocks, 'net9', '/x', '/home/op')).to.deep.equal({ user: 'fallback' });
    expect(resolveSshHost(blocks, 'cmp1', '/x', '/home/op')).to.deep.equal({ user: 'fallback' });
  });

  it('loadInventory resolves addresses; the node’s own fields beat the ssh config', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haprobe-sshcfg-'));
    try {
      fs.writeFileSync(path.join(dir, 'config'), CONFIG);
      const inv = path.join(dir, 'inv.yaml');
      fs.writeFileSync(
        inv,
        'defaults: {user: root}\nnodes:\n  - {name: net1, address: net1, roles: [network]}\n' +
          '  - {name: net2, address: net1, roles: [network], user: root, port: 22}\n',
      );
      const [a, b] = loadInventory(inv, { sshConfig: path.join(dir, 'config') }).nodes;
      expect(a).to.include({ address: '198.18.0.11', user: 'stack', port: 2222, sudo: true });
      expect(a.identityFile).to.equal(path.join(os.homedir(), '.ssh/lab_key'));
      expect(b).to.include({ address: '198.18.0.11', user: 'root', port: 22, sudo: false });
      expect(loadInventory(inv).nodes[0]).to.include({ address: 'net1', user: 'root' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
