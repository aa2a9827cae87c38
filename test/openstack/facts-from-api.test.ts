import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFactsFromApi } from '../../src/openstack/facts-from-api';
import { readCloudFacts } from '../../src/openstack/facts-from-cloud';
import { releaseFromComputeVersions, releaseFromNovaMaxVersion } from '../../src/openstack/release-from-api';
import { buildFacts, buildPlan, initialFips } from '../../src/lab/plan';
import { loadFacts } from '../../src/model/load-facts';
import type { ApiBodies } from '../../src/openstack/api-bodies';
import { readFixture, startApiServer } from './api-server';
import { apiBodiesFromFacts, apiVisibleFacts } from './bodies-from-facts';

function apiRefBodies(): ApiBodies {
  const routers = readFixture('neutron/routers-list-response.json').routers;
  return {
    routers,
    ports: readFixture('neutron/ports-list-response.json').ports,
    floatingips: readFixture('neutron/floating-ips-list-response.json').floatingips,
    networks: readFixture('neutron/networks-list-response.json').networks,
    subnets: readFixture('neutron/subnets-list-response.json').subnets,
    agents: readFixture('neutron/agents-list-response.json').agents,
    l3AgentsByRouter: { [routers[0].id]: readFixture('neutron/router-l3-agent-list-response.json').agents, [routers[1].id]: [] },
    computeVersions: readFixture('nova/versions-get-resp.json').versions,
  };
}

describe('openstack facts from the API (api-ref bodies)', () => {
  it('maps routers, ports, floating IPs and agents of the api-ref samples into valid facts', () => {
    const { facts, warnings } = buildFactsFromApi(apiRefBodies());
    const r2 = facts.routers.find((r) => r.name === 'router2')!;
    expect(r2).to.deep.include({ mode: 'legacy', externalNetworkId: 'ae34051f-aa6c-4c75-abf5-50dc9ac99ef3', gatewayIp: '172.24.4.3', enableSnat: true, hosts: ['mkm-instance01'] });
    expect(r2.haState).to.equal(undefined);
    // the router_gateway port of the sample, with port_security_enabled false kept
    expect(facts.ports.find((p) => p.id === 'd80b1a3b-4fc1-49f3-952e-1e2ab7081d8b')).to.deep.include({ deviceOwner: 'network:router_gateway', mac: 'fa:16:3e:58:42:ed', fixedIps: ['172.24.4.2'], portSecurityEnabled: false });
    // only the associated floating IP (port_id set)
    expect(facts.floatingIps.map((f) => f.floatingIp)).to.deep.equal(['172.24.4.228']);
    expect(facts.agents.map((a) => `${a.type}@${a.host}`).sort()).to.deep.equal(['dhcp@agenthost1', 'l3@agenthost1', 'metadata@agenthost1', 'ovs@agenthost1']);
    expect(facts.agentModes).to.deep.equal({ agenthost1: 'legacy' });
    // nova sample: 2.104, past 2026.1's maximum 2.103: a development build, an open family
    expect(facts.release).to.equal('2026.1+');
    expect(warnings.some((w) => /L3 flavor f7b14d9a/.test(w))).to.equal(true);
  });
  it('HA router: ha_state of each hosting agent; two actives are kept as the API says them', () => {
    const b = apiRefBodies();
    const r = b.routers[0] as Record<string, unknown>;
    r.ha = true;
    const agent = b.l3AgentsByRouter[r.id as string]![0]!;
    b.l3AgentsByRouter[r.id as string] = [{ ...agent, host: 'net1', ha_state: 'active' }, { ...agent, host: 'net2', ha_state: 'active' }, { ...agent, host: 'net3', ha_state: null }];
    const got = buildFactsFromApi(b).facts.routers.find((x) => x.id === r.id)!;
    expect(got.mode).to.equal('ha');
    expect(got.haState).to.deep.equal({ net1: 'active', net2: 'active', net3: 'unknown' });
  });
  it('a non-admin view (ha/distributed hidden, no agents, no bindings) still gives valid facts and says what is missing', () => {
    const b = apiRefBodies();
    for (const r of b.routers) {
      delete r.ha;
      delete r.distributed;
    }
    delete b.agents;
    b.l3AgentsByRouter = {};
    b.unread = ['agents (HTTP 403)'];
    const { facts, warnings } = buildFactsFromApi(b);
    expect(facts.routers.every((r) => r.mode === 'legacy' && r.hosts.length === 0)).to.equal(true);
    expect(facts.agents).to.deep.equal([]);
    expect(warnings.join('\n')).to.match(/not read from the API: agents/).and.match(/mode legacy read from its ports/).and.match(/hosting it were not read/);
  });
  it('an entity the facts rules refuse is left out with a warning, never passed on', () => {
    const b = apiRefBodies();
    (b.ports[0] as Record<string, unknown>).mac_address = 'fa:16:3e:58:42:ed; reboot';
    const { facts, warnings } = buildFactsFromApi(b);
    expect(facts.ports.some((p) => p.id === 'd80b1a3b-4fc1-49f3-952e-1e2ab7081d8b')).to.equal(false);
    expect(warnings.some((w) => /port d80b1a3b.* left out: .*mac/.test(w))).to.equal(true);
  });
  it('release from nova\'s maximum microversion (rest_api_version_history "Maximum in")', () => {
    expect(releaseFromNovaMaxVersion('2.79')).to.equal('train');
    expect(releaseFromNovaMaxVersion('2.53')).to.equal('pike');
    expect(releaseFromNovaMaxVersion('2.54')).to.equal('pike+');
    expect(releaseFromNovaMaxVersion('2.87')).to.equal('ussuri+');
    expect(releaseFromNovaMaxVersion('2.96')).to.equal('2024.1+');
    expect(releaseFromNovaMaxVersion('2.1')).to.equal(undefined);
    expect(releaseFromNovaMaxVersion('')).to.equal(undefined);
    expect(releaseFromComputeVersions(readFixture('nova/versions-get-resp.json').versions)).to.deep.equal({ release: '2026.1+', maxVersion: '2.104' });
  });
});

/** the lab's facts (as `lab up` writes them) served as API bodies over HTTP, read back: same facts */
describe('openstack facts: the lab\'s facts through the API and back (real HTTP, paginated)', function () {
  this.timeout(30_000);
  const variants: [string, Parameters<typeof buildPlan>[1]][] = [
    ['neutron-legacy', {}],
    ['neutron-l3ha', { extras: true }],
    ['neutron-dvr', { ipv6: true }],
    ['neutron-dvr-snat-ha', { computeAgentMode: 'dvr_no_external' }],
  ];
  for (const [profile, opts] of variants)
    it(`${profile} ${JSON.stringify(opts)}`, async () => {
      const plan = buildPlan(profile, opts);
      const facts = buildFacts(plan, initialFips(plan), plan.router.haHosts[0], plan.extras?.router.hosts[1]);
      const server = await startApiServer({ cloud: apiBodiesFromFacts(facts), credentials: { username: 'admin', password: 'lab-Pa55' }, pageSize: 2 });
      const dir = mkdtempSync(path.join(os.tmpdir(), 'haprobe-cloud-'));
      writeFileSync(path.join(dir, 'clouds.yaml'), `clouds:\n  lab:\n    auth:\n      auth_url: ${server.authUrl}\n      username: admin\n      password: lab-Pa55\n      project_name: admin\n      user_domain_name: Default\n      project_domain_name: Default\n`);
      try {
        const got = await readCloudFacts({ cloud: 'lab', env: { HOME: dir, OS_CLIENT_CONFIG_FILE: path.join(dir, 'clouds.yaml') } });
        expect(apiVisibleFacts(got.facts)).to.deep.equal(apiVisibleFacts(facts));
        expect(got.source).to.equal('cloud:lab');
        expect(server.requests.some((r) => /marker=/.test(r.query))).to.equal(true);
      } finally {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
});

describe('haprobe facts --cloud (the command, real HTTP)', function () {
  this.timeout(30_000);
  const bin = path.join(__dirname, '..', '..', 'src', 'cli', 'bin.js');
  it('writes a facts file that loads as --facts; a refused password is one line, exit 2, no secret', async () => {
    const plan = buildPlan('neutron-l3ha');
    const facts = buildFacts(plan, initialFips(plan), plan.router.haHosts[0]);
    const server = await startApiServer({ cloud: apiBodiesFromFacts(facts), credentials: { username: 'admin', password: 'lab-Pa55' } });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'haprobe-cloud-'));
    const clouds = (pw: string): string => `clouds:\n  lab:\n    auth: {auth_url: "${server.authUrl}", username: admin, password: "${pw}", project_name: admin, user_domain_name: Default, project_domain_name: Default}\n`;
    try {
      writeFileSync(path.join(dir, 'clouds.yaml'), clouds('lab-Pa55'));
      const out = path.join(dir, 'facts.json');
      const env = { ...process.env, HOME: dir, OS_CLOUD: 'lab' };
      // spawnSync would block the server in this process: run the CLI asynchronously
      const run = (args: string[]): Promise<{ status: number | null; stderr: string; stdout: string }> =>
        new Promise((resolve) => {
          const { spawn } = require('node:child_process') as typeof import('node:child_process');
          const p = spawn(process.execPath, [bin, ...args], { cwd: dir, env });
          let stderr = '';
          let stdout = '';
          p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
          p.on('close', (status) => resolve({ status, stderr, stdout }));
        });
      const ok = await run(['facts', '-o', out, '--debug-api']);
      expect(ok.status, ok.stderr).to.equal(0);
      expect(ok.stderr).to.match(/facts of cloud:lab written to/);
      expect(ok.stderr).to.not.contain('lab-Pa55');
      for (const t of server.issuedTokens) expect(ok.stderr).to.not.contain(t);
      expect(apiVisibleFacts(loadFacts(out).facts)).to.deep.equal(apiVisibleFacts(facts));
      expect((readFileSync(out, 'utf8').match(/lab-Pa55/g) ?? []).length).to.equal(0);
      writeFileSync(path.join(dir, 'clouds.yaml'), clouds('wrong-Pa55'));
      const bad = await run(['facts']);
      expect(bad.status).to.equal(2);
      expect(bad.stderr.trim().split('\n')).to.have.length(1);
      expect(bad.stderr).to.match(/^haprobe: facts error: cloud lab: POST identity \/v3\/auth\/tokens: cloud API auth: Keystone refused the password/);
      expect(bad.stderr).to.not.contain('wrong-Pa55');
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('run: --facts and --cloud together is a usage error', () => {
    const r = spawnSync(process.execPath, [bin, 'run', '-i', '/nonexistent.yaml', '-p', 'neutron-l3ha', '--facts', 'f.json', '--cloud', 'x'], { encoding: 'utf8' });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/--facts and --cloud/);
  });
});
