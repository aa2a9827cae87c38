import { expect } from 'chai';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCloudConfig, cloudsFileCandidates } from '../../src/openstack/clouds-yaml';
import { ApiError } from '../../src/openstack/errors';

describe('openstack clouds.yaml / OS_* lookup', () => {
  // made in before(), not at load: a --grep that skips this suite leaves no temp dir
  let root = '';
  let cwd = '';
  let home = '';
  let userFile = '';
  let env: NodeJS.ProcessEnv = {};
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'haprobe-clouds-'));
    cwd = path.join(root, 'cwd');
    home = path.join(root, 'home');
    mkdirSync(cwd);
    mkdirSync(path.join(home, '.config', 'openstack'), { recursive: true });
    userFile = path.join(home, '.config', 'openstack', 'clouds.yaml');
    writeFileSync(userFile, [
      'clouds:',
      '  lab:',
      '    auth:',
      '      auth_url: https://keystone.lab:5000/v3',
      '      username: admin',
      '      project_name: admin',
      '      user_domain_name: Default',
      '      project_domain_name: Default',
      '    region_name: RegionOne',
      '    interface: internal',
      '    cacert: /etc/ssl/lab-ca.pem',
      '    api_timeout: 7',
      '  appcred:',
      '    auth_type: v3applicationcredential',
      '    auth:',
      '      auth_url: https://keystone.lab:5000',
      '      application_credential_id: 423f19a4ac1e4f48bbb4180756e6eb6c',
      '      application_credential_secret: rEaqvJka48mpv',
      '    verify: false',
      '',
    ].join('\n'));
    writeFileSync(path.join(home, '.config', 'openstack', 'secure.yaml'), 'clouds:\n  lab:\n    auth:\n      password: s3cret-from-secure\n');
    env = { HOME: home } as NodeJS.ProcessEnv;
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('looks in $OS_CLIENT_CONFIG_FILE, ./, ~/.config/openstack, /etc/openstack (first found wins)', () => {
    const c = cloudsFileCandidates({ OS_CLIENT_CONFIG_FILE: '/x/c.yaml' }, '/w', '/h', 'clouds');
    expect(c.filter((f) => f.endsWith('.yaml'))).to.deep.equal(['/x/c.yaml', '/w/clouds.yaml', '/h/.config/openstack/clouds.yaml', '/etc/openstack/clouds.yaml']);
  });
  it('reads a named cloud and merges secure.yaml over it', () => {
    const cfg = loadCloudConfig({ cloud: 'lab', env, cwd, home });
    expect(cfg.auth.password).to.equal('s3cret-from-secure');
    expect(cfg).to.include({ name: 'lab', authType: 'password', regionName: 'RegionOne', interface: 'internal', cacert: '/etc/ssl/lab-ca.pem', verify: true, timeoutMs: 7000 });
    expect(cfg.sources).to.have.length(2);
  });
  it('OS_CLOUD names the cloud; application credentials and verify: false', () => {
    const cfg = loadCloudConfig({ env: { ...env, OS_CLOUD: 'appcred' }, cwd, home });
    expect(cfg).to.include({ authType: 'v3applicationcredential', verify: false });
  });
  it('./clouds.yaml wins over the user file', () => {
    const here = mkdtempSync(path.join(root, 'cwd2-'));
    writeFileSync(path.join(here, 'clouds.yaml'), 'clouds:\n  other:\n    auth: {auth_url: "http://k", user_id: u1, password: p}\n');
    expect(loadCloudConfig({ cloud: 'other', env, cwd: here, home }).auth.userId).to.equal('u1');
    // the user file is not read at all: only secure.yaml's password for "lab" is left
    const err = catchErr(() => loadCloudConfig({ cloud: 'lab', env, cwd: here, home }));
    expect(err.reason).to.equal('config');
    expect(err.message).to.match(/lacks auth_url/);
    const unknown = catchErr(() => loadCloudConfig({ cloud: 'nope', env, cwd: here, home }));
    expect(unknown.hint).to.contain('other');
  });
  it('OS_* variables without a cloud name (openrc)', () => {
    const cfg = loadCloudConfig({ env: { OS_AUTH_URL: 'http://k:5000/v3', OS_USERNAME: 'demo', OS_PASSWORD: 'pw', OS_PROJECT_NAME: 'demo', OS_USER_DOMAIN_ID: 'default', OS_PROJECT_DOMAIN_ID: 'default', OS_INSECURE: 'true', OS_REGION_NAME: 'R1', OS_INTERFACE: 'internalURL' }, cwd, home });
    expect(cfg).to.include({ name: 'envvars', verify: false, regionName: 'R1', interface: 'internal' });
  });
  it('missing pieces are config errors naming the field, never the secret', () => {
    const err = catchErr(() => loadCloudConfig({ env: { OS_AUTH_URL: 'http://k', OS_USERNAME: 'demo', OS_USER_DOMAIN_NAME: 'Default' }, cwd, home }));
    expect(err.message).to.match(/lacks password/);
    const none = catchErr(() => loadCloudConfig({ env: {}, cwd, home }));
    expect(none.reason).to.equal('config');
    const dir = mkdtempSync(path.join(root, 'empty-'));
    const nofile = catchErr(() => loadCloudConfig({ cloud: 'x', env: { HOME: dir }, cwd: dir, home: dir }));
    expect(nofile.hint).to.contain('clouds.yaml');
    expect(JSON.stringify(catchErr(() => loadCloudConfig({ cloud: 'lab', env, cwd, home: dir })))).to.not.contain('s3cret');
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
