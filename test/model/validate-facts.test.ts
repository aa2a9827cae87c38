import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROFILES } from '../../src/lab/profiles';
import { loadFacts, validateFacts, validateFactsPart } from '../../src/model/load-facts';
import { HaprobeError } from '../../src/errors';
import { BAD, labFacts } from './bad-facts';

const BIN = path.resolve(__dirname, '../../src/cli/bin.js');

describe('facts validation (issue 8: types and formats at load)', () => {
  for (const p of PROFILES) {
    it(`the lab's facts for ${p.id} are valid`, () => {
      expect(validateFacts(labFacts(p.id))).to.equal(undefined);
    });
  }

  for (const [what, change, at, message] of BAD) {
    it(`refuses ${what}: names ${at}`, () => {
      const f = labFacts('neutron-dvr-snat-ha');
      f.upstream = { ...f.upstream, namespace: 'up' };
      change(f);
      const problem = validateFacts(f);
      expect(problem, 'a problem').to.not.equal(undefined);
      expect(problem!.path).to.equal(at);
      expect(problem!.message).to.match(message);
    });
  }

  it('the optional deployment fields of issue 15 are accepted', () => {
    const f = labFacts();
    Object.assign(f, { release: '2024.1', firewallDriver: 'iptables_hybrid', firewallDrivers: { net1: 'neutron.agent.linux.openvswitch_firewall:OVSFirewallDriver' }, agentModes: { cmp1: 'dvr_no_external' } });
    f.ports[0].adminStateUp = false;
    expect(validateFacts(f)).to.equal(undefined);
  });

  it('missing lists default to [] (as before)', () => {
    const f: Record<string, unknown> = { version: 1 };
    expect(validateFacts(f)).to.equal(undefined);
    expect(f.routers).to.deep.equal([]);
    expect(f.agents).to.deep.equal([]);
  });

  it('validateFactsPart holds one entity (e.g. from the Neutron API) to the same rules', () => {
    const f = labFacts();
    expect(validateFactsPart('router', f.routers[0])).to.equal(undefined);
    expect(validateFactsPart('port', { ...f.ports[0], networkId: 'x y' })).to.deep.include({ path: 'networkId' });
    expect(validateFactsPart('router', { ...f.routers[0], hosts: 'net1' })!.message).to.match(/expected a list/);
  });

  describe('loadFacts and the CLI', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-facts-'));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('a YAML facts file with a bad field: HaprobeError(facts) naming file and path', () => {
      const file = path.join(dir, 'facts.yaml');
      fs.writeFileSync(file, 'version: 1\nrouters:\n  - { id: 5d2c0000-0000-4000-8000-000000000001, mode: ha, hosts: net1, subnets: [] }\n');
      let err: unknown;
      try {
        loadFacts(file);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(HaprobeError);
      expect((err as HaprobeError).code).to.equal('facts');
      expect((err as HaprobeError).where).to.equal(`${file}: routers[0].hosts`);
    });

    it('`haprobe run -f` with hosts: "net1" exits 2 with one line, before any node is contacted', () => {
      const f = labFacts();
      f.routers[0].hosts = 'net1';
      const file = path.join(dir, 'facts.json');
      fs.writeFileSync(file, JSON.stringify(f));
      const inv = path.join(dir, 'inventory.yaml');
      fs.writeFileSync(inv, 'knownHosts: false\nnodes:\n  - { name: net1, address: 192.0.2.1, roles: [network] }\n');
      const r = spawnSync(process.execPath, [BIN, 'run', '-q', '-i', inv, '-p', 'neutron-l3ha', '-f', file, '--timeout', '1'], { encoding: 'utf8' });
      expect(r.status).to.equal(2);
      expect(r.stderr).to.contain(`facts error: ${file}: routers[0].hosts: expected a list, got a string "net1"`);
      expect(r.stderr).to.not.match(/\n\s+at /);
    });
  });
});
