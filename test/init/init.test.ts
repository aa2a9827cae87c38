import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectSourceKind, draftFromFile, draftFromText, jumpOfProxyCommand, renderInventoryYaml, writeInventoryFile } from '../../src/init';
import { loadInventory } from '../../src/inventory';
import { haprobeErrorOf } from '../helpers/haprobe-error';

/** real inventories of kolla-ansible, openstack-ansible and TripleO (see test/fixtures/inventories/SOURCE) */
const FIX = path.resolve(__dirname, '../../../test/fixtures/inventories');
const BIN = path.resolve(__dirname, '../../src/cli/bin.js');
const fix = (name: string): string => path.join(FIX, name);
const byName = (d: ReturnType<typeof draftFromFile>): Record<string, (typeof d.inventory.nodes)[number]> =>
  Object.fromEntries(d.inventory.nodes.map((n) => [n.name, n]));

describe('init: inventory from what the operator has (issue 13)', () => {
  describe('source kind is read from the content', () => {
    const cases: Array<[string, string]> = [
      ['kolla-multinode.ini', 'kolla-ini'],
      ['osa-aio-openstack_inventory.json', 'osa-json'],
      ['tripleo-ansible-inventory.yaml', 'tripleo-yaml'],
      ['ssh_config', 'ssh-config'],
    ];
    for (const [file, kind] of cases) {
      it(`${file} → ${kind}`, () => expect(detectSourceKind(fs.readFileSync(fix(file), 'utf8'), file)).to.equal(kind));
    }
    it('something else is a usage error naming --from', () => {
      expect(haprobeErrorOf(() => detectSourceKind('just text\n', 'x.txt')).hint).to.match(/--from/);
    });
  });

  it('kolla-ansible multinode: control → controller, network/neutron-l3-agent → network, compute → compute; others left out', () => {
    const d = draftFromFile(fix('kolla-multinode.ini'));
    const nodes = byName(d);
    expect(Object.keys(nodes)).to.deep.equal(['control01', 'control02', 'control03', 'network01', 'network02', 'compute01']);
    expect(nodes.control01).to.include({ address: 'control01', user: 'root', port: 22, sudo: false });
    expect(nodes.control01.roles).to.deep.equal(['controller']);
    expect(nodes.network02.roles).to.deep.equal(['network']);
    expect(nodes.compute01.roles).to.deep.equal(['compute']);
    expect(d.why.network01).to.match(/neutron-l3-agent/);
    expect(d.notes.join('\n')).to.match(/left out: monitoring01, storage01, localhost/);
  });

  it('openstack-ansible AIO: the metal host gets network, compute and (for its neutron_server container) controller; Ironic compute left out', () => {
    const d = draftFromFile(fix('osa-aio-openstack_inventory.json'));
    expect(d.inventory.nodes).to.have.length(1);
    const aio = d.inventory.nodes[0];
    expect(aio).to.include({ name: 'aio1', address: '172.29.236.100', user: 'root' });
    expect([...aio.roles].sort()).to.deep.equal(['compute', 'controller', 'network']);
    expect(d.why.aio1).to.match(/physical host of a neutron_server container/);
    expect(d.notes.join('\n')).to.match(/aio1-ironic-compute-container-f6982d53/);
  });

  it('TripleO: Controller/Compute role groups, tripleo-admin with sudo, undercloud left out, ML2/OVN noted', () => {
    const d = draftFromFile(fix('tripleo-ansible-inventory.yaml'));
    const nodes = byName(d);
    expect(nodes['rk-openstack-0-controller-0']).to.include({ address: '192.168.7.243', user: 'tripleo-admin', sudo: true });
    expect(nodes['rk-openstack-0-controller-0'].roles).to.deep.equal(['controller']);
    expect(nodes['rk-openstack-0-novacompute-0'].roles).to.deep.equal(['compute']);
    expect(nodes.undercloud).to.equal(undefined);
    expect(d.notes.join('\n')).to.match(/ML2\/OVN/);
  });

  it('TripleO ML2/OVS: neutron_l3 puts the network role where the L3 agent runs; Networker* and ComputeDVR by prefix', () => {
    const yaml = [
      'Controller:', '  hosts:', '    oc-controller-0: {ansible_host: 192.0.2.10}', '  vars: {ansible_ssh_user: heat-admin}',
      'NetworkerSriov:', '  hosts:', '    oc-networker-0: {ansible_host: 192.0.2.20}', '  vars: {ansible_ssh_user: heat-admin}',
      'ComputeDVR:', '  hosts:', '    oc-computedvr-0: {ansible_host: 192.0.2.30}', '  vars: {ansible_ssh_user: heat-admin}',
      'neutron_l3:', '  children:', '    Controller: {}', '    ComputeDVR: {}',
    ].join('\n');
    const nodes = byName(draftFromText(yaml, 'inv.yaml', 'tripleo-yaml'));
    expect(nodes['oc-controller-0'].roles).to.deep.equal(['controller', 'network']);
    expect(nodes['oc-networker-0'].roles).to.deep.equal(['network']);
    expect(nodes['oc-computedvr-0'].roles).to.have.members(['compute', 'network']);
  });

  it('~/.ssh/config: one node per concrete alias with a role, ProxyJump and a `ssh -W` ProxyCommand become the jump', () => {
    const d = draftFromFile(fix('ssh_config'));
    const nodes = byName(d);
    expect(Object.keys(nodes)).to.deep.equal(['ctl-0', 'ctl-1', 'net-0', 'compute-0']);
    expect(nodes['ctl-0']).to.include({ address: '192.168.24.10', user: 'heat-admin', sudo: true });
    expect(nodes['net-0'].jump).to.equal('ops@203.0.113.10:2222');
    expect(nodes['compute-0'].jump).to.equal('ops@203.0.113.10:2222');
    expect(d.notes.join('\n')).to.match(/bastion, backup-box/);
  });

  it('~/.ssh/config: --role gives roles by alias glob, a jump to another node stays a node name', () => {
    const text = 'Host gw-a\n  HostName 192.0.2.1\nHost l3-a\n  HostName 192.0.2.2\n  ProxyJump gw-a\n';
    const d = draftFromText(text, 'config', 'ssh-config', { roles: ['gw-*=gateway', 'l3-*=network,compute'] });
    const nodes = byName(d);
    expect(nodes['gw-a'].roles).to.deep.equal(['gateway']);
    expect(nodes['l3-a']).to.include({ jump: 'gw-a' });
    expect(nodes['l3-a'].roles).to.deep.equal(['network', 'compute']);
    expect(haprobeErrorOf(() => draftFromText(text, 'config', 'ssh-config', { roles: ['gw-*=router'] })).where).to.equal('--role');
  });

  it('Ansible INI: user, port, key, become and a ProxyCommand jump are carried over', () => {
    const ini = [
      '[network]',
      "net1 ansible_host=192.0.2.5 ansible_port=2200 ansible_user=stack ansible_ssh_private_key_file=/keys/id ansible_become=false",
      '[compute]',
      'cmp1 ansible_host=192.0.2.6',
      '[compute:vars]',
      `ansible_ssh_common_args='-o StrictHostKeyChecking=no -o ProxyCommand="ssh -W %h:%p -q jump@198.51.100.1"'`,
    ].join('\n');
    const nodes = byName(draftFromText(ini, '/tmp/hosts.ini', 'kolla-ini'));
    expect(nodes.net1).to.include({ address: '192.0.2.5', port: 2200, user: 'stack', identityFile: '/keys/id', sudo: false });
    expect(nodes.cmp1).to.include({ jump: 'jump@198.51.100.1' });
  });

  describe('jumpOfProxyCommand', () => {
    const cases: Array<[string, string | undefined]> = [
      ['ssh -W %h:%p bastion', 'bastion'],
      ['ssh -q -W %h:%p -p 2222 ops@203.0.113.10', 'ops@203.0.113.10:2222'],
      ['/usr/bin/ssh -i ~/.ssh/k -o User=stack -W %h:%p undercloud', 'stack@undercloud'],
      ['ssh -W %h:%p -l stack 192.0.2.1', 'stack@192.0.2.1'],
      ['nc -X connect -x proxy:3128 %h %p', undefined],
      ['ssh bastion nc %h %p', undefined],
      ['ssh -W %h:%p $(touch x)', undefined],
    ];
    for (const [cmd, jump] of cases) it(`${cmd} → ${String(jump)}`, () => expect(jumpOfProxyCommand(cmd)).to.equal(jump));
  });

  describe('writing: validated by the loader, atomic, never over an existing file without --force', () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haprobe-init-'))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const file of ['kolla-multinode.ini', 'osa-aio-openstack_inventory.json', 'tripleo-ansible-inventory.yaml', 'ssh_config']) {
      it(`${file}: the written file loads back as the derived inventory`, () => {
        const d = draftFromFile(fix(file));
        const out = path.join(dir, 'inventory.yaml');
        writeInventoryFile(out, renderInventoryYaml(d), d.inventory);
        const back = loadInventory(out);
        expect(back.nodes).to.deep.equal(d.inventory.nodes);
        expect(fs.statSync(out).mode & 0o777).to.equal(0o600);
        expect(fs.readdirSync(dir)).to.deep.equal(['inventory.yaml']);
      });
    }

    it('an existing file is kept without --force and replaced with it', () => {
      const d = draftFromFile(fix('kolla-multinode.ini'));
      const out = path.join(dir, 'inv.yaml');
      fs.writeFileSync(out, 'mine\n');
      expect(haprobeErrorOf(() => writeInventoryFile(out, renderInventoryYaml(d), d.inventory)).hint).to.match(/--force/);
      expect(fs.readFileSync(out, 'utf8')).to.equal('mine\n');
      writeInventoryFile(out, renderInventoryYaml(d), d.inventory, { force: true });
      expect(loadInventory(out).nodes).to.have.length(6);
      expect(fs.readdirSync(dir)).to.deep.equal(['inv.yaml']);
    });

    it('CLI: prints for review without -o, writes with -o, exit 2 on an existing file', () => {
      const out = path.join(dir, 'inv.yaml');
      const show = spawnSync('node', [BIN, 'init', fix('tripleo-ansible-inventory.yaml')], { encoding: 'utf8' });
      expect(show.status, show.stderr).to.equal(0);
      expect(show.stdout).to.match(/rk-openstack-0-controller-0: controller ← groups Controller, neutron_api/);
      expect(show.stderr).to.match(/review the roles above, then write with -o FILE/);
      expect(fs.existsSync(out)).to.equal(false);
      const write = spawnSync('node', [BIN, 'init', fix('kolla-multinode.ini'), '-o', out], { encoding: 'utf8' });
      expect(write.status, write.stderr).to.equal(0);
      expect(loadInventory(out).nodes.map((n) => n.name)).to.include('network02');
      const again = spawnSync('node', [BIN, 'init', fix('kolla-multinode.ini'), '-o', out], { encoding: 'utf8' });
      expect(again.status).to.equal(2);
      expect(again.stderr).to.match(/exists; not overwritten/);
    });
  });
});
