import { expect } from 'chai';
import { buildAuthRequest, identityV3Url, readTokenResponse } from '../../src/openstack/keystone';
import { selectEndpoint } from '../../src/openstack/catalog';
import { readCloudEntry } from '../../src/openstack/clouds-yaml';
import { ApiError } from '../../src/openstack/errors';
import { readFixture } from './api-server';

/** the request bodies haprobe builds equal the keystone api-ref samples (test/fixtures/openstack-api/SOURCE) */
describe('openstack keystone v3 (api-ref samples)', () => {
  const src = ['test'];
  it('password, user id, project by name in a domain = auth/requests/project-name-password.json', () => {
    const cfg = readCloudEntry('c', { auth: { auth_url: 'http://k/identity', user_id: 'ee4dfb6e5540447cb3741905149d9b6e', password: 'devstacker', project_name: 'admin', project_domain_id: 'default' } }, src);
    expect(buildAuthRequest(cfg)).to.deep.equal(readFixture('keystone/project-name-password.json'));
  });
  it('password, project by id = auth/requests/project-id-password.json', () => {
    const cfg = readCloudEntry('c', { auth: { auth_url: 'http://k/v3', user_id: 'ee4dfb6e5540447cb3741905149d9b6e', password: 'devstacker', project_id: 'a6944d763bf64ee6a275f1263fae0352' } }, src);
    expect(buildAuthRequest(cfg)).to.deep.equal(readFixture('keystone/project-id-password.json'));
  });
  it('application credential by id / by name + user = the admin/auth-application-credential-*-request.json samples', () => {
    const byId = readCloudEntry('c', { auth_type: 'v3applicationcredential', auth: { auth_url: 'http://k', application_credential_id: '423f19a4ac1e4f48bbb4180756e6eb6c', application_credential_secret: 'rEaqvJka48mpv' } }, src);
    expect(buildAuthRequest(byId)).to.deep.equal(readFixture('keystone/auth-application-credential-id-request.json'));
    const byName = readCloudEntry('c', { auth_type: 'v3applicationcredential', auth: { auth_url: 'http://k', application_credential_name: 'monitoring', user_id: '423f19a4ac1e4f48bbb4180756e6eb6c', application_credential_secret: 'rEaqvJka48mpv' } }, src);
    expect(buildAuthRequest(byName)).to.deep.equal(readFixture('keystone/auth-application-credential-name-request.json'));
  });
  it('username needs a user domain; domain_name fills user and project domains (keystoneauth rule)', () => {
    expect(() => readCloudEntry('c', { auth: { auth_url: 'http://k', username: 'u', password: 'p', project_name: 'p' } }, src)).to.throw(ApiError, /user_domain_name/);
    const cfg = readCloudEntry('c', { auth: { auth_url: 'http://k', username: 'admin', password: 'p', project_name: 'admin', domain_name: 'Default' } }, src);
    expect(buildAuthRequest(cfg)).to.deep.equal({
      auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'p' } } }, scope: { project: { name: 'admin', domain: { name: 'Default' } } } },
    });
  });
  it('identityV3Url accepts auth_url with or without /v3 (and a v2.0 one)', () => {
    expect(identityV3Url('https://k:5000')).to.equal('https://k:5000/v3');
    expect(identityV3Url('https://k:5000/v3/')).to.equal('https://k:5000/v3');
    expect(identityV3Url('https://k/identity/v2.0')).to.equal('https://k/identity/v3');
  });
  it('reads the project-scoped token sample: expiry and catalog; picks endpoints by type/interface/region', () => {
    const t = readTokenResponse('tok', readFixture('keystone/auth-password-project-scoped-response.json'), 'here');
    expect(t.expiresAt).to.equal(Date.parse('2015-11-07T02:58:43.578887Z'));
    expect(selectEndpoint(t.catalog, { type: 'network', interface: 'internal' })).to.equal('http://23.253.248.171:9696/');
    expect(selectEndpoint(t.catalog, { type: 'identity', interface: 'admin', region: 'RegionOne' })).to.equal('http://example.com/identity_v2_admin/v2.0');
    const e1 = catchErr(() => selectEndpoint(t.catalog, { type: 'network', interface: 'public', region: 'RegionTwo' }));
    expect(e1.reason).to.equal('endpoint');
    expect(e1.hint).to.contain('public@RegionOne');
    expect(catchErr(() => selectEndpoint(t.catalog, { type: 'load-balancer', interface: 'public' })).reason).to.equal('endpoint');
    const twoRegions = [{ type: 'network', endpoints: [{ url: 'a', interface: 'public', regionId: 'R1' }, { url: 'b', interface: 'public', regionId: 'R2' }] }];
    expect(catchErr(() => selectEndpoint(twoRegions, { type: 'network', interface: 'public' })).message).to.match(/several regions/);
    expect(selectEndpoint(twoRegions, { type: 'network', interface: 'public', region: 'R2' })).to.equal('b');
  });
  it('an unscoped token (no catalog) is an auth error with a hint', () => {
    expect(catchErr(() => readTokenResponse('tok', { token: { methods: ['password'], expires_at: '2030-01-01T00:00:00Z' } }, 'here')).reason).to.equal('auth');
  });
});

function catchErr(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('did not throw');
}
