import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildFacts, buildPlan, initialFips } from '../../src/lab/plan';
import { PROFILES } from '../../src/lab/profiles';
import { loadFacts, validateFacts, validateFactsPart } from '../../src/model/load-facts';
import { HaprobeError } from '../../src/errors';

const BIN = path.resolve(__dirname, '../../src/cli/bin.js');

/** the lab's facts for a profile, as written to facts.json (JSON round trip drops undefined) */
function labFacts(profile = 'neutron-l3ha'): Record<string, any> {
  const plan = buildPlan(profile);
  return JSON.parse(JSON.stringify(buildFacts(plan, initialFips(plan), 'net1')));
}

/** [what is changed, the change, the path named, what the message must say] */
const BAD: [string, (f: Record<string, any>) => void, string, RegExp][] = [
  ['hosts as a string (crashed checks with "(names ?? []).map is not a function")', (f) => (f.routers[0].hosts = 'net1'), 'routers[0].hosts', /expected a list, got a string "net1"/],
  ['router id with shell text', (f) => (f.routers[0].id = '$(touch /tmp/x)'), 'routers[0].id', /expected a UUID/],
  ['haVrId as text', (f) => (f.routers[0].haVrId = '1; reboot'), 'routers[0].haVrId', /expected a whole number/],
  ['haVrId out of VRRP range', (f) => (f.routers[0].haVrId = 256), 'routers[0].haVrId', /<= 255/],
  ['unknown router mode', (f) => (f.routers[0].mode = 'active-active'), 'routers[0].mode', /expected one of legacy, ha, dvr, dvr-ha/],
  ['haState value', (f) => (f.routers[0].haState = { net1: 'primary' }), 'routers[0].haState.net1', /expected one of active, standby, unknown/],
  ['host name with a space', (f) => (f.routers[0].hosts = ['net1', 'net 2']), 'routers[0].hosts[1]', /expected a host name/],
  ['subnet CIDR without prefix', (f) => (f.routers[0].subnets[0].cidr = '10.0.0.0'), 'routers[0].subnets[0].cidr', /expected a CIDR/],
  ['IPv4 CIDR with a /33', (f) => (f.routers[0].subnets[0].cidr = '10.0.0.0/33'), 'routers[0].subnets[0].cidr', /expected a CIDR/],
  ['gateway not an IP', (f) => (f.routers[0].gatewayIp = '203.0.113.300'), 'routers[0].gatewayIp', /expected an IPv4 or IPv6 address/],
  ['port MAC', (f) => (f.ports[0].mac = 'zz:16:3e:00:00:01'), 'ports[0].mac', /expected a MAC address/],
  ['port fixed IP', (f) => (f.ports[0].fixedIps = ['10.0.0.1`id`']), 'ports[0].fixedIps[0]', /expected an IPv4 or IPv6 address/],
  ['allowed address pair', (f) => (f.ports[0].allowedAddressPairs = [{ ipAddress: '10.0.0.0/99' }]), 'ports[0].allowedAddressPairs[0].ipAddress', /an IP address or a CIDR/],
  ['deviceOwner with a quote', (f) => (f.ports[0].deviceOwner = "network:router_interface'"), 'ports[0].deviceOwner', /not allowed/],
  ['floating IP', (f) => (f.floatingIps[0].floatingIp = '203.0.113.101; id'), 'floatingIps[0].floatingIp', /IPv4 or IPv6/],
  ['instance port id', (f) => (f.instances[0].portId = 'vm1-port'), 'instances[0].portId', /UUID/],
  ['agent alive as text', (f) => (f.agents[0].alive = 'yes'), 'agents[0].alive', /expected true or false/],
  ['agent mode', (f) => (f.agents[0].agentMode = 'dvr-snat'), 'agents[0].agentMode', /dvr_snat/],
  ['upstream namespace with a glob', (f) => (f.upstream.namespace = 'ns/../x'), 'upstream.namespace', /namespace name/],
  ['upstream IP missing', (f) => delete f.upstream.ip, 'upstream.ip', /missing required field "ip"/],
  ['a typo in a field name', (f) => (f.routers[0].haVrid = 3), 'routers[0].haVrid', /unknown field "haVrid"/],
  ['version', (f) => (f.version = 2), 'version', /expected 1/],
  ['firewallDriver with shell text', (f) => (f.firewallDriver = 'openvswitch; id'), 'firewallDriver', /not allowed/],
  ['agentModes value', (f) => (f.agentModes = { cmp1: 'snat' }), 'agentModes.cmp1', /dvr_no_external/],
  ['adminStateUp as text', (f) => (f.ports[0].adminStateUp = 'false'), 'ports[0].adminStateUp', /true or false/],
];

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
