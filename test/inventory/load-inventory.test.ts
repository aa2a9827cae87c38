import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { haprobeErrorOf } from '../helpers/haprobe-error';
import { loadInventory } from '../../src/inventory/load-inventory';

function writeInv(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const VALID = `
knownHosts: ./known_hosts
defaults: { user: root, port: 22, identityFile: ~/.ssh/id_ed25519 }
nodes:
  - name: bastion
    address: 198.18.0.2
    roles: [gateway]
  - name: net1
    address: 198.18.0.11
    roles: [network]
    jump: bastion
  - name: cmp1
    address: 198.18.0.21
    roles: [compute, network]
    port: 2222
    user: stack
    identityFile: keys/cmp1
    jump: ops@203.0.113.5:2200
  - name: ctl1
    address: 198.18.0.31
    roles: [controller]
    user: admin
    sudo: false
`;

describe('inventory: loadInventory (YAML)', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haprobe-inv-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a valid file with defaults, relative and ~ paths, jumps and sudo defaults', () => {
    const file = writeInv(dir, 'inv.yaml', VALID);
    const inv = loadInventory(file);
    expect(inv.source).to.equal(file);
    expect(inv.knownHosts).to.equal(path.join(dir, 'known_hosts'));
    expect(inv.nodes.map((n) => n.name)).to.deep.equal(['bastion', 'net1', 'cmp1', 'ctl1']);
    const [bastion, net1, cmp1, ctl1] = inv.nodes;
    expect(bastion).to.deep.equal({
      name: 'bastion',
      address: '198.18.0.2',
      port: 22,
      user: 'root',
      roles: ['gateway'],
      sudo: false,
      identityFile: path.join(os.homedir(), '.ssh/id_ed25519'),
    });
    expect(net1.jump).to.equal('bastion');
    expect(cmp1).to.include({ port: 2222, user: 'stack', sudo: true, jump: 'ops@203.0.113.5:2200' });
    expect(cmp1.identityFile).to.equal(path.join(dir, 'keys/cmp1'));
    expect(cmp1.roles).to.deep.equal(['compute', 'network']);
    expect(ctl1).to.include({ user: 'admin', sudo: false });
  });

  it('knownHosts: false is the explicit opt-out; absent means ~/.ssh/known_hosts', () => {
    const off = loadInventory(writeInv(dir, 'off.yaml', 'knownHosts: false\nnodes: [{name: a, address: x, roles: [network]}]\n'));
    expect(off.knownHosts).to.equal(false);
    const dflt = loadInventory(writeInv(dir, 'dflt.yaml', 'nodes: [{name: a, address: x, roles: [network]}]\n'));
    expect(dflt.knownHosts).to.equal(path.join(os.homedir(), '.ssh/known_hosts'));
  });

  // each case: file text, expected `where` suffix, a fragment of the message
  const cases: Array<[string, string, string, RegExp]> = [
    ['not a mapping', '- a\n- b\n', '', /must be a mapping/],
    ['empty nodes', 'nodes: []\n', 'nodes', /non-empty "nodes"/],
    ['missing name', 'nodes:\n  - address: 1.2.3.4\n    roles: [network]\n', 'nodes[0].name', /no name/],
    ['missing address', 'nodes:\n  - name: net1\n    roles: [network]\n', 'nodes[0].address', /net1: missing address/],
    [
      'duplicate names',
      'nodes:\n  - {name: a, address: x, roles: [network]}\n  - {name: a, address: y, roles: [network]}\n',
      'nodes[1].name',
      /duplicate node name 'a' \(first at nodes\[0\]\)/,
    ],
    [
      'unknown role',
      'nodes:\n  - {name: a, address: x, roles: [network]}\n  - {name: b, address: y, roles: [netwrk]}\n',
      'nodes[1].roles',
      /b: unknown role 'netwrk'/,
    ],
    ['bad port', 'nodes:\n  - {name: a, address: x, roles: [network], port: 70000}\n', 'nodes[0].port', /a: bad port '70000'/],
    ['bad default port', 'defaults: {port: ssh}\nnodes:\n  - {name: a, address: x, roles: [network]}\n', 'defaults.port', /bad port/],
    [
      'jump to an unknown node',
      'nodes:\n  - {name: a, address: x, roles: [network], jump: bastoin}\n',
      'nodes[0].jump',
      /a: jump 'bastoin' is not a node/,
    ],
    [
      'jump cycle',
      'nodes:\n  - {name: a, address: x, roles: [network], jump: b}\n  - {name: b, address: y, roles: [network], jump: a}\n',
      'nodes[0].jump',
      /jump cycle a → b → a/,
    ],
    ['self jump', 'nodes:\n  - {name: a, address: x, roles: [network], jump: a}\n', 'nodes[0].jump', /jump cycle a → a/],
    ['malformed external jump', 'nodes:\n  - {name: a, address: x, roles: [network], jump: "u@h:99999"}\n', 'nodes[0].jump', /malformed jump/],
    ['unknown field', 'nodes:\n  - {name: a, adress: x, roles: [network]}\n', 'nodes[0].adress', /unknown field 'adress'/],
    ['knownHosts wrong type', 'knownHosts: 3\nnodes:\n  - {name: a, address: x, roles: [network]}\n', 'knownHosts', /path or false/],
    ['sudo not a boolean', 'nodes:\n  - {name: a, address: x, roles: [network], sudo: "yes"}\n', 'nodes[0].sudo', /true or false/],
  ];
  for (const [title, text, field, message] of cases) {
    it(`rejects ${title}, naming the file and field`, () => {
      const file = writeInv(dir, `bad-${title.replace(/\W+/g, '-')}.yaml`, text);
      const err = haprobeErrorOf(() => loadInventory(file));
      expect(err.code).to.equal('inventory');
      expect(err.where).to.equal(field ? `${file}: ${field}` : file);
      expect(err.message).to.match(message);
    });
  }

  it('reports YAML syntax errors with line:col', () => {
    const file = writeInv(dir, 'syntax.yaml', 'nodes:\n  - name: a\n    address: [x\n');
    const err = haprobeErrorOf(() => loadInventory(file));
    expect(err.where).to.match(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+$`));
    expect(err.message).to.match(/YAML syntax error/);
  });

  it('reports a missing file', () => {
    const err = haprobeErrorOf(() => loadInventory(path.join(dir, 'nope.yaml')));
    expect(err.code).to.equal('inventory');
    expect(err.message).to.equal('file not found');
    expect(err.where).to.equal(path.join(dir, 'nope.yaml'));
  });
});
