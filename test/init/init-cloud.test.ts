import { expect } from 'chai';
import { draftFromAgents, renderInventoryYaml, type NeutronAgent } from '../../src/init';
import { draftFromCloud } from '../../src/init/draft-from-cloud';
import { readFixture, startApiServer, type ApiServer } from '../openstack/api-server';
import { haprobeErrorOf } from '../helpers/haprobe-error';

/** neutron api-ref's GET /v2.0/agents body (test/fixtures/openstack-api/SOURCE): one all-in-one agent host */
const apiRefAgents = (): NeutronAgent[] => readFixture('neutron/agents-list-response.json').agents;

describe('init --cloud: roles from the Neutron agent list (issue 13)', function () {
  this.timeout(20_000);

  it('api-ref agents: the host of a legacy L3 agent is a network node', () => {
    const d = draftFromAgents(apiRefAgents(), 'cloud t');
    expect(d.inventory.nodes).to.have.length(1);
    expect(d.inventory.nodes[0]).to.include({ name: 'agenthost1', address: 'agenthost1', user: 'root' });
    expect(d.inventory.nodes[0].roles).to.deep.equal(['network']);
    expect(d.why.agenthost1).to.equal('network ← L3 agent (agent_mode legacy)');
  });

  it('DVR: dvr_snat → network, dvr/dvr_no_external → compute, OVS-only hosts → compute; dead agents noted', () => {
    const base = apiRefAgents().find((a) => a.agent_type === 'L3 agent')!;
    const ovs = apiRefAgents().find((a) => a.agent_type === 'Open vSwitch agent')!;
    const l3 = (host: string, mode: string, alive = true): NeutronAgent => ({ ...base, host, alive, configurations: { ...base.configurations, agent_mode: mode } });
    const agents: NeutronAgent[] = [
      l3('net-1.example.org', 'dvr_snat'), l3('cmp-1.example.org', 'dvr'), l3('cmp-2.example.org', 'dvr_no_external', false),
      { ...ovs, host: 'net-1.example.org' }, { ...ovs, host: 'cmp-3.example.org' },
    ];
    const d = draftFromAgents(agents, 'cloud t');
    const roles = Object.fromEntries(d.inventory.nodes.map((n) => [n.name, n.roles]));
    expect(roles).to.deep.equal({ 'net-1': ['network'], 'cmp-1': ['compute'], 'cmp-2': ['compute'], 'cmp-3': ['compute'] });
    expect(d.inventory.nodes.find((n) => n.name === 'net-1')!.address).to.equal('net-1.example.org');
    expect(d.notes.join('\n')).to.match(/L3 agent on cmp-2\.example\.org is not alive/);
    expect(renderInventoryYaml(d)).to.match(/# {3}cmp-3: compute ← Open vSwitch agent, no L3 agent/);
  });

  it('no L3/OVS agent (ML2/OVN) is an inventory error, not an empty file', () => {
    expect(haprobeErrorOf(() => draftFromAgents([{ host: 'h', agent_type: 'OVN Controller Gateway agent' }], 'cloud t')).message).to.match(/ML2\/OVN/);
  });

  describe('over real HTTP, through the openstack client (OS_* variables)', () => {
    let server: ApiServer;
    before(async () => {
      server = await startApiServer({ cloud: { agents: readFixture('neutron/agents-list-response.json').agents }, credentials: { username: 'admin', password: 'pw-Secret1' }, pageSize: 2 });
    });
    after(() => server.close());

    it('authenticates, pages through GET /v2.0/agents and derives the draft', async () => {
      const env = { OS_AUTH_URL: server.authUrl, OS_USERNAME: 'admin', OS_PASSWORD: 'pw-Secret1', OS_PROJECT_NAME: 'admin', OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default' };
      const d = await draftFromCloud(undefined, { env, cwd: '/nonexistent', home: '/nonexistent' });
      expect(d.kind).to.equal('cloud');
      expect(d.inventory.nodes.map((n) => [n.name, n.roles])).to.deep.equal([['agenthost1', ['network']]]);
      expect(server.requests.filter((r) => r.path.endsWith('/v2.0/agents')).length).to.be.greaterThan(1);
      expect(renderInventoryYaml(d)).to.not.include('pw-Secret1');
    });
  });
});
