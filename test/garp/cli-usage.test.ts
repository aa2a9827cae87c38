import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { buildFacts, buildPlan, initialFips } from '../../src/lab/plan';
import { registerDrillCommand, runDrillFailover } from '../../src/cli/commands/drill';
import { HaprobeError } from '../../src/errors';

const BIN = path.resolve(__dirname, '../../src/cli/bin.js');

describe('garp verify / drill failover: refusals and usage errors (exit 2)', () => {
  let dir = '';
  let inv = '';
  let factsFile = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-garp-cli-'));
    inv = path.join(dir, 'inventory.yaml');
    factsFile = path.join(dir, 'facts.json');
    const plan = buildPlan('neutron-l3ha');
    fs.writeFileSync(factsFile, JSON.stringify(buildFacts(plan, initialFips(plan), 'net1')));
    fs.writeFileSync(inv, 'knownHosts: false\nnodes:\n' + plan.nodes.map((n) => `  - { name: ${n.name}, address: ${n.mgmtIp}, roles: [${n.roles.join(', ')}] }\n`).join(''));
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('garp verify --associate on a non-lab inventory: --via openstack is not implemented yet, exit 2, nothing touched', () => {
    const r = spawnSync(process.execPath, [BIN, 'garp', 'verify', '--inventory', inv, '--facts', factsFile, '--profile', 'neutron-l3ha', '--fip', '203.0.113.102', '--associate', 'vm2'], { encoding: 'utf8' });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/--via openstack is not implemented yet/);
  });

  it('garp verify: --associate and --disassociate together, and --lab-garp without a lab, are usage errors', () => {
    const common = ['garp', 'verify', '--inventory', inv, '--facts', factsFile, '--profile', 'neutron-l3ha', '--fip', '203.0.113.101'];
    const both = spawnSync(process.execPath, [BIN, ...common, '--associate', 'vm1', '--disassociate'], { encoding: 'utf8' });
    expect(both.status).to.equal(2);
    expect(both.stderr).to.match(/exclude each other/);
    const labGarp = spawnSync(process.execPath, [BIN, ...common, '--lab-garp', 'none'], { encoding: 'utf8' });
    expect(labGarp.status).to.equal(2);
    expect(labGarp.stderr).to.match(/--lab-garp only works with --via lab/);
  });

  it('drill failover refuses without --yes-i-mean-it and says what it would do', async () => {
    let err: unknown;
    try {
      await runDrillFailover({ inventory: inv, facts: factsFile, profile: 'neutron-l3ha', fault: 'kill-keepalived', format: 'table' });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(HaprobeError);
    expect((err as HaprobeError).code).to.equal('usage');
    expect((err as HaprobeError).message).to.match(/refusing without --yes-i-mean-it: would kill the keepalived of the current primary .* of router /);
  });

  it('garp verify and drill failover take the same short options as run (-i -f -p)', () => {
    const verify = spawnSync(process.execPath, [BIN, 'garp', 'verify', '-i', inv, '-f', factsFile, '-p', 'neutron-l3ha', '--fip', '203.0.113.102', '--associate', 'vm2'], { encoding: 'utf8' });
    expect(verify.stderr).to.match(/--via openstack is not implemented yet/);
    const drill = spawnSync(process.execPath, [BIN, 'drill', 'failover', '-i', inv, '-f', factsFile, '-p', 'neutron-l3ha', '--fault', 'kill-keepalived'], { encoding: 'utf8' });
    expect(drill.status).to.equal(2);
    expect(drill.stderr).to.match(/refusing without --yes-i-mean-it/);
  });

  it('registerDrillCommand adds `drill failover` with the three faults', () => {
    const program = new Command('haprobe');
    registerDrillCommand(program);
    const failover = program.commands.find((c) => c.name() === 'drill')!.commands.find((c) => c.name() === 'failover')!;
    expect(failover.helpInformation()).to.match(/kill-keepalived.*link-down.*stop-node/s);
    expect(failover.helpInformation()).to.include('--yes-i-mean-it');
  });
});
