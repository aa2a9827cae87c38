import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HaprobeError } from '../../src/errors';
import { loadAnsibleInventory } from '../../src/inventory/load-ansible-inventory';
import { loadInventoryAuto } from '../../src/inventory/load-inventory-auto';
import { inventoryDigest } from '../../src/inventory/inventory-digest';

const INI = `# kolla-style multinode inventory
[control]
ctl1 ansible_host=198.18.0.31 ansible_user=stack ansible_become=true

[network]
net[1:2] ansible_ssh_private_key_file=~/.ssh/lab_key

[compute]
cmp1 ansible_host=198.18.0.21 ansible_port=2222 ansible_ssh_common_args='-o ProxyJump=ops@203.0.113.5'

[storage]
stor1 ansible_host=198.18.0.41

[hypervisors:children]
compute

[network:vars]
ansible_user=root

[all:vars]
ansible_port=22
`;

describe('inventory: Ansible INI', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haprobe-ini-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('maps role groups, host vars, group vars, ranges and ProxyJump', () => {
    const file = path.join(dir, 'hosts.ini');
    fs.writeFileSync(file, INI);
    const inv = loadAnsibleInventory(file);
    expect(inv.nodes.map((n) => n.name)).to.deep.equal(['ctl1', 'net1', 'net2', 'cmp1']);
    const by = Object.fromEntries(inv.nodes.map((n) => [n.name, n]));
    expect(by.ctl1).to.include({ address: '198.18.0.31', user: 'stack', sudo: true, port: 22 });
    expect(by.ctl1.roles).to.deep.equal(['controller']);
    expect(by.net1).to.include({ address: 'net1', user: 'root', sudo: false });
    expect(by.net1.identityFile).to.equal(path.join(os.homedir(), '.ssh/lab_key'));
    expect(by.cmp1).to.include({ port: 2222, jump: 'ops@203.0.113.5' });
    expect(by.cmp1.roles).to.deep.equal(['compute']);
    expect(inv.knownHosts).to.equal(path.join(os.homedir(), '.ssh/known_hosts'));
  });

  it('loadInventoryAuto picks INI or YAML by content; the digest ignores the file path and order', () => {
    const ini = path.join(dir, 'a.ini');
    fs.writeFileSync(ini, '[network]\nnet1 ansible_host=10.0.0.1\n[compute]\ncmp1 ansible_host=10.0.0.2\n');
    const yaml = path.join(dir, 'b.yaml');
    fs.writeFileSync(
      yaml,
      'knownHosts: ~/.ssh/known_hosts\nnodes:\n' +
        '  - {name: cmp1, address: 10.0.0.2, roles: [compute]}\n  - {name: net1, address: 10.0.0.1, roles: [network]}\n',
    );
    const a = loadInventoryAuto(ini);
    const b = loadInventoryAuto(yaml);
    expect(a.nodes).to.have.length(2);
    expect(b.nodes).to.have.length(2);
    expect(inventoryDigest(a)).to.match(/^[0-9a-f]{64}$/);
    expect(inventoryDigest(a)).to.equal(inventoryDigest(b));
    b.nodes[0].port = 2200;
    expect(inventoryDigest(a)).to.not.equal(inventoryDigest(b));
  });

  it('errors name the file and line', () => {
    const file = path.join(dir, 'bad.ini');
    fs.writeFileSync(file, '[network]\nnet1 ansible_host=10.0.0.1\nnet2 ansible_port=0\n');
    let err: unknown;
    try {
      loadAnsibleInventory(file);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(HaprobeError);
    expect((err as HaprobeError).where).to.equal(`${file}:3`);
    expect((err as HaprobeError).message).to.match(/net2: bad ansible_port '0'/);
  });

  it('an inventory without role groups is an error', () => {
    const file = path.join(dir, 'norole.ini');
    fs.writeFileSync(file, '[storage]\nstor1\n');
    expect(() => loadAnsibleInventory(file)).to.throw(HaprobeError, /no host in a controller, network, compute/);
  });
});
