import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLE = path.join(ROOT, 'examples/sudoers.d/haprobe');
const VISUDO = ['/usr/sbin/visudo', '/usr/bin/visudo', '/sbin/visudo'].find((p) => existsSync(p));

describe('examples/sudoers.d/haprobe (docs/security.md)', () => {
  it('is valid sudoers syntax (visudo -c -f)', function () {
    if (!VISUDO) this.skip();
    const r = spawnSync(VISUDO!, ['-c', '-f', SAMPLE], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.include('parsed OK');
  });

  it('docs/security.md quotes its rules verbatim', () => {
    const readme = readFileSync(path.join(ROOT, 'docs', 'security.md'), 'utf8');
    const rules = readFileSync(SAMPLE, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(rules).to.have.length(4);
    for (const rule of rules) expect(readme, rule).to.include(rule);
  });
});

describe('examples/sudoers.d/haprobe: the rule works with haprobe over real SSH (non-root user, sudo -n)', function () {
  this.timeout(60_000);
  // required lazily: ssh2 and the sshd helper only when this runs
  /* eslint-disable @typescript-eslint/no-var-requires */
  const fs = require('node:fs') as typeof import('node:fs');
  const helpers = require('../helpers/sshd') as typeof import('../helpers/sshd');
  /* eslint-enable @typescript-eslint/no-var-requires */
  const installed = '/etc/sudoers.d/haprobe-test-sample';
  let dir: string;
  let sshd: import('../helpers/sshd').Sshd | undefined;
  let key: import('../helpers/sshd').KeyPair;

  before(async function () {
    if (process.getuid?.() !== 0 || !VISUDO || !existsSync('/usr/sbin/sshd') || !existsSync('/usr/bin/sudo')) this.skip();
    helpers.ensureTestUser();
    dir = helpers.makeTmpDir('hp-sudoers-');
    key = helpers.makeKeyPair(dir, 'client');
    sshd = await helpers.startSshd({ authorizedKeys: [key.publicKey] });
    // the sample as shipped, for the test account and with its I/O log in the tmp dir
    const rules = readFileSync(SAMPLE, 'utf8').replace(/\bhaprobe(?= |,)/g, helpers.TEST_USER).replace('/var/log/sudo-io/haprobe', path.join(dir, 'iolog'));
    fs.writeFileSync(installed, rules, { mode: 0o440 });
    expect(spawnSync(VISUDO!, ['-c', '-f', installed], { encoding: 'utf8' }).status).to.equal(0);
  });
  after(async () => {
    fs.rmSync(installed, { force: true });
    await sshd?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('haprobe run\'s snapshot script runs as root through the rule, and the script is in the sudo I/O log', async () => {
    const { SshTransport } = require('../../src/transport/ssh-transport') as typeof import('../../src/transport/ssh-transport');
    const { collectNode } = require('../../src/collect/collect') as typeof import('../../src/collect/collect');
    const knownHosts = path.join(dir, 'known_hosts');
    fs.writeFileSync(knownHosts, sshd!.knownHostsLine + '\n');
    const t = new SshTransport({
      node: 'here',
      endpoint: { host: '127.0.0.1', port: sshd!.port, user: helpers.TEST_USER, identityFile: key.path },
      knownHosts, agent: false, connectTimeoutMs: 10_000, sudo: true,
    });
    try {
      const who = await t.exec('id -u');
      expect(who.failure, JSON.stringify(who.failure)).to.equal(undefined);
      expect(who.stdout.trim()).to.equal('0');
      // the rule allows the shell only: another program under sudo is refused
      const other = await t.exec('sudo -n /usr/bin/id -u', { sudo: false });
      expect(other.exitCode).to.not.equal(0);
      expect(other.stderr).to.match(/password is required|not allowed/);
      const node = { name: 'here', address: '127.0.0.1', port: sshd!.port, user: helpers.TEST_USER, roles: ['network' as const], sudo: true };
      const c = await collectNode(node, t, { timeoutMs: 30_000 });
      expect(c.failure, JSON.stringify(c.failure)).to.equal(undefined);
      const iptables = c.evidence.find((e) => e.command === 'section:iptables:');
      expect(iptables?.exitCode, iptables?.output).to.equal(0);
    } finally {
      await t.close();
    }
    expect(fs.readdirSync(path.join(dir, 'iolog')).length).to.be.greaterThan(0);
  });
});
