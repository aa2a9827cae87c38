import { expect } from 'chai';
import { createSession, type ApiSession } from '../../src/openstack/session';
import { readCloudEntry } from '../../src/openstack/clouds-yaml';
import { networkRequest, listNetwork } from '../../src/openstack/network';
import { ApiError } from '../../src/openstack/errors';
import type { CloudConfig } from '../../src/openstack/types';
import { readFixture, startApiServer, type ApiServer, type CloudData } from './api-server';
import { makeTestPki, type TestPki } from './make-certs';

const PASSWORD = 'devstacker-Pa55';
const APP_SECRET = 'rEaqvJka48mpv';

function apiRefCloud(): CloudData {
  return {
    routers: readFixture('neutron/routers-list-response.json').routers,
    ports: readFixture('neutron/ports-list-response.json').ports,
    floatingips: readFixture('neutron/floating-ips-list-response.json').floatingips,
    networks: readFixture('neutron/networks-list-response.json').networks,
    subnets: readFixture('neutron/subnets-list-response.json').subnets,
    agents: readFixture('neutron/agents-list-response.json').agents,
  };
}

function passwordCloud(authUrl: string, extra: Record<string, unknown> = {}): CloudConfig {
  return readCloudEntry('test', { auth: { auth_url: authUrl, username: 'admin', password: PASSWORD, user_domain_name: 'Default', project_name: 'admin', project_domain_name: 'Default' }, ...extra }, ['test']);
}

async function expectApiError(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('did not throw');
}

describe('openstack session over real HTTP (api-ref bodies)', function () {
  this.timeout(20_000);
  let server: ApiServer;
  const debug: string[] = [];
  let session: ApiSession;
  before(async () => {
    server = await startApiServer({ cloud: apiRefCloud(), credentials: { username: 'admin', password: PASSWORD }, pageSize: 1, tokenUses: 3 });
    session = createSession(passwordCloud(server.authUrl), { debug: (l) => debug.push(l), retryDelayMs: 10 });
  });
  after(() => server.close());

  it('follows pagination links (page size 1) to the whole collection, on the catalog endpoint not the link host', async () => {
    const routers = await listNetwork(session, 'routers');
    expect(routers.map((r) => r.id)).to.deep.equal(readFixture('neutron/routers-list-response.json').routers.map((r: { id: string }) => r.id));
    const gets = server.requests.filter((r) => r.path.endsWith('/v2.0/routers'));
    expect(gets.length).to.equal(routers.length + 0);
    expect(gets[1].query).to.match(/marker=/);
  });
  it('re-authenticates once when the token stops working mid-run (401), and the list is still whole', async () => {
    const before = session.authCount;
    const ports = await listNetwork(session, 'ports');
    expect(ports).to.have.length(readFixture('neutron/ports-list-response.json').ports.length);
    await listNetwork(session, 'agents');
    expect(session.authCount).to.be.greaterThan(before);
    expect(server.requests.some((r) => r.status === 401)).to.equal(true);
  });
  it('a 503 on a GET is retried; a lasting 503 is a server error naming the request', async () => {
    server.faults.push({ match: /GET .*\/v2\.0\/networks$/, status: 503, times: 1 });
    expect(await listNetwork(session, 'networks')).to.have.length.greaterThan(0);
    server.faults.push({ match: /GET .*\/v2\.0\/subnets$/, status: 503 });
    const err = await expectApiError(listNetwork(session, 'subnets'));
    expect(err.reason).to.equal('server');
    expect(err.status).to.equal(503);
    expect(err.where).to.equal('cloud test: GET network /v2.0/subnets');
    expect(err.message).to.contain('The server is currently unavailable');
    server.faults.length = 0;
  });
  it('creates, updates and deletes through the generic request (POST/PUT/DELETE)', async () => {
    const created = await networkRequest(session, 'POST', '/v2.0/routers', { router: { name: 'r-new', ha: true } });
    expect(created.status).to.equal(201);
    const id = (created.body as { router: { id: string } }).router.id;
    const put = await networkRequest(session, 'PUT', `/v2.0/routers/${id}`, { router: { name: 'r-renamed' } });
    expect((put.body as { router: { name: string } }).router.name).to.equal('r-renamed');
    expect((await networkRequest(session, 'DELETE', `/v2.0/routers/${id}`)).status).to.equal(204);
    const gone = await expectApiError(networkRequest(session, 'GET', `/v2.0/routers/${id}`));
    expect(gone).to.include({ reason: 'http', status: 404 });
  });
  it('a POST answered 503 is not retried (not idempotent)', async () => {
    server.faults.push({ match: /POST .*\/v2\.0\/networks$/, status: 503, times: 1 });
    const n = server.requests.length;
    const err = await expectApiError(networkRequest(session, 'POST', '/v2.0/networks', { network: { name: 'x' } }));
    expect(err.reason).to.equal('server');
    expect(server.requests.length - n).to.equal(1);
  });
  it('a timeout is typed and names the request', async () => {
    server.faults.push({ match: /GET .*\/v2\.0\/floatingips$/, status: 0, delayMs: 1500, times: 1 });
    const quick = createSession(passwordCloud(server.authUrl), { timeoutMs: 300 });
    const err = await expectApiError(listNetwork(quick, 'floatingips'));
    expect(err).to.include({ reason: 'timeout', where: 'cloud test: GET network /v2.0/floatingips' });
  });
  it('wrong password: auth error; no endpoint for a region: endpoint error', async () => {
    const bad = createSession(readCloudEntry('test', { auth: { auth_url: server.authUrl, username: 'admin', password: 'wrong-pass', user_domain_name: 'Default', project_name: 'admin', project_domain_name: 'Default' } }, ['t']));
    const err = await expectApiError(listNetwork(bad, 'routers'));
    expect(err.reason).to.equal('auth');
    expect(err.format()).to.not.contain('wrong-pass');
    const elsewhere = createSession(passwordCloud(server.authUrl, { region_name: 'RegionTwo' }));
    expect((await expectApiError(listNetwork(elsewhere, 'routers'))).reason).to.equal('endpoint');
  });
  it('application credentials authenticate (catalog from the app-credential sample)', async () => {
    const s2 = await startApiServer({ cloud: apiRefCloud(), credentials: { appCredId: '423f19a4ac1e4f48bbb4180756e6eb6c', appCredSecret: APP_SECRET }, tokenBody: 'keystone/auth-application-credential-response.json' });
    try {
      const s = createSession(readCloudEntry('ac', { auth_type: 'v3applicationcredential', auth: { auth_url: s2.authUrl, application_credential_id: '423f19a4ac1e4f48bbb4180756e6eb6c', application_credential_secret: APP_SECRET } }, ['t']));
      expect(await listNetwork(s, 'agents')).to.have.length(readFixture('neutron/agents-list-response.json').agents.length);
    } finally {
      await s2.close();
    }
  });
  it('renews a token before its expires_at (no 401 needed)', async () => {
    const s2 = await startApiServer({ cloud: apiRefCloud(), credentials: { username: 'admin', password: PASSWORD }, tokenTtlMs: 120_000 });
    try {
      let skew = 0;
      const s = createSession(passwordCloud(s2.authUrl), { now: () => Date.now() + skew });
      await listNetwork(s, 'networks');
      expect(s.authCount).to.equal(1);
      skew = 90_000; // 30 s before expiry: inside the 60 s margin
      await listNetwork(s, 'networks');
      expect(s.authCount).to.equal(2);
      // the new token's expiry is counted on our clock (issued_at + lifetime): no renewal loop
      await listNetwork(s, 'networks');
      expect(s.authCount).to.equal(2);
      expect(s2.requests.some((r) => r.status === 401)).to.equal(false);
    } finally {
      await s2.close();
    }
  });
  it('never writes a password, secret or token into the debug lines', () => {
    expect(debug.length).to.be.greaterThan(5);
    const text = debug.join('\n');
    for (const s of [PASSWORD, ...server.issuedTokens]) expect(text).to.not.contain(s);
    expect(text).to.match(/GET http:\/\/127\.0\.0\.1:\d+\/port9696\/v2\.0\/routers -> 200/);
  });
});

describe('openstack session over real HTTPS (openssl-made CA)', function () {
  this.timeout(30_000);
  let pki: TestPki;
  let server: ApiServer;
  before(async () => {
    pki = makeTestPki();
    server = await startApiServer({ tls: { key: pki.key, cert: pki.cert }, cloud: apiRefCloud(), credentials: { username: 'admin', password: PASSWORD } });
  });
  after(() => server.close());

  it('cacert: the CA bundle that signed the server is trusted', async () => {
    const s = createSession(passwordCloud(server.authUrl, { cacert: pki.caFile }));
    expect(await listNetwork(s, 'routers')).to.have.length.greaterThan(0);
  });
  it('a wrong CA (or none) is a TLS error with the cacert hint, before any secret is sent', async () => {
    for (const extra of [{ cacert: pki.wrongCaFile }, {}]) {
      const n = server.authBodies.length;
      const err = await expectApiError(listNetwork(createSession(passwordCloud(server.authUrl, extra)), 'routers'));
      expect(err.reason).to.equal('tls');
      expect(err.hint).to.contain('cacert');
      expect(err.where).to.equal('cloud test: POST identity /v3/auth/tokens');
      expect(server.authBodies.length).to.equal(n);
    }
  });
  it('verify: false accepts the server without its CA', async () => {
    const s = createSession(passwordCloud(server.authUrl, { verify: false }));
    expect(await listNetwork(s, 'networks')).to.have.length.greaterThan(0);
  });
  it('an unreadable cacert file is a config error', () => {
    expect(() => createSession(passwordCloud(server.authUrl, { cacert: '/nonexistent/ca.pem' }))).to.throw(ApiError, /cannot read cacert/);
  });
});
