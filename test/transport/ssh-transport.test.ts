import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { SshTransport, type SshTransportOptions } from '../../src/transport/ssh-transport';
import {
  type KeyPair,
  type Sshd,
  TEST_USER,
  ensureTestUser,
  freePort,
  makeKeyPair,
  makeTmpDir,
  startSilentListener,
  startSshd,
} from '../helpers/sshd';

/** true while a process with this pid exists (zombies count as gone) */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}

/** pids of live processes whose command line contains `token` (read-only scan of /proc) */
function pidsWithToken(token: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(token) && alive(Number(entry))) pids.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

async function waitUntil(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

function fingerprintOf(pubLine: string, dir: string): string {
  const file = path.join(dir, `fp-${Date.now()}.pub`);
  fs.writeFileSync(file, pubLine + '\n');
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', file], { encoding: 'utf8' }).split(' ')[1];
}

describe('transport: SshTransport against a throwaway sshd', function () {
  this.timeout(30_000);
  let dir: string;
  let key: KeyPair;
  let sshd: Sshd;
  let knownHosts: string;
  const open: SshTransport[] = [];

  const transport = (over: Partial<SshTransportOptions> = {}, endpoint: Partial<SshTransportOptions['endpoint']> = {}): SshTransport => {
    const t = new SshTransport({
      node: 'n1',
      endpoint: { host: '127.0.0.1', port: sshd.port, user: 'root', identityFile: key.path, ...endpoint },
      knownHosts,
      agent: false,
      connectTimeoutMs: 5000,
      stopGraceMs: 1000,
      ...over,
    });
    open.push(t);
    return t;
  };

  before(async () => {
    dir = makeTmpDir('haprobe-transport-');
    key = makeKeyPair(dir, 'client');
    sshd = await startSshd({ authorizedKeys: [key.publicKey] });
    knownHosts = path.join(dir, 'known_hosts');
    fs.writeFileSync(knownHosts, sshd.knownHostsLine + '\n');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.close()));
  });
  after(async () => {
    await sshd?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exec returns stdout, stderr, exit code and timing; stdin reaches the command', async () => {
    const t = transport();
    const before = Date.now();
    const r = await t.exec("printf 'out\\n'; printf 'err\\n' >&2; exit 3");
    expect(r).to.include({ command: "printf 'out\\n'; printf 'err\\n' >&2; exit 3", stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
    expect(r.failure).to.equal(undefined);
    expect(Date.parse(r.startedAt)).to.be.at.least(before - 5);
    expect(r.durationMs).to.be.within(0, 10_000);
    const s = await t.exec('tr a-z A-Z', { stdin: 'hello\n' });
    expect(s.stdout).to.equal('HELLO\n');
    // runningAtMs: when the remote command started (its wrapper's pid marker arrived), between the request and the end
    const slow = await t.exec('sleep 0.4');
    expect(slow.runningAtMs, 'runningAtMs').to.be.a('number');
    expect(slow.runningAtMs!).to.be.within(Date.parse(slow.startedAt), Date.parse(slow.startedAt) + slow.durationMs - 300);
    const q = await t.exec(`printf '%s' "it's \\"quoted\\" \\$HOME"`);
    expect(q.stdout).to.equal(`it's "quoted" $HOME`);
  });

  it('runs many concurrent execs over one connection beyond the channel cap', async () => {
    const t = transport({ maxChannels: 3 });
    const started = Date.now();
    // 12 × 0.2 s with at most 3 at a time: ≥ 0.8 s (all at once would take 0.2 s)
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => t.exec(`sleep 0.2; p=$PPID; while :; do case $(ps -o comm= -p $p) in sshd*) break;; esac; p=$(ps -o ppid= -p $p); done; echo $p ${i}`)));
    expect(Date.now() - started).to.be.at.least(780);
    expect(results.map((r) => r.exitCode)).to.deep.equal(Array(12).fill(0));
    expect(results.map((r) => Number(r.stdout.split(' ')[1]))).to.deep.equal([...Array(12).keys()]);
    // every channel's shell has the same sshd ancestor (the guard wrapper and `timeout` sit in
    // between): the one sshd session process of our one connection
    expect(new Set(results.map((r) => r.stdout.split(' ')[0])).size).to.equal(1);
  });

  it('the default cap (8) stays under MaxSessions (10): 20 parallel execs all succeed', async () => {
    const t = transport();
    const results = await Promise.all(Array.from({ length: 20 }, () => t.exec('echo ok')));
    expect(results.filter((r) => r.stdout === 'ok\n' && !r.failure)).to.have.length(20);
  });

  it('a command timeout is failure `timeout` and the remote process is killed', async () => {
    const t = transport();
    const pidFile = path.join(dir, 'timeout.pid');
    const r = await t.exec(`echo $$ > ${pidFile}; sleep 30`, { timeoutMs: 600 });
    expect(r.failure?.reason).to.equal('timeout');
    expect(r.exitCode).to.equal(null);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(await waitUntil(() => !alive(pid), 3000), `pid ${pid} still alive`).to.equal(true);
    // the connection is still usable
    expect((await t.exec('echo again')).stdout).to.equal('again\n');
  });

  it('a wrong key is failure `auth`', async () => {
    const other = makeKeyPair(dir, 'stranger');
    const t = transport({}, { identityFile: other.path });
    const f = await t.connect();
    expect(f?.reason).to.equal('auth');
    const r = await t.exec('true');
    expect(r.failure?.reason).to.equal('auth');
    expect(r.exitCode).to.equal(null);
  });

  it('a missing identity file is failure `auth` naming the file', async () => {
    const t = transport({}, { identityFile: path.join(dir, 'nope') });
    const f = await t.connect();
    expect(f?.reason).to.equal('auth');
    expect(f?.message).to.contain(path.join(dir, 'nope'));
  });

  it('authenticates with an ssh-agent when no identity file is given', async () => {
    const sock = path.join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      expect(await waitUntil(() => fs.existsSync(sock), 3000)).to.equal(true);
      execFileSync('ssh-add', ['-q', key.path], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      const t = transport({ agent: sock }, { identityFile: undefined });
      expect(await t.connect()).to.equal(undefined);
      expect((await t.exec('echo agent')).stdout).to.equal('agent\n');
      const none = transport({ agent: false }, { identityFile: undefined });
      expect((await none.connect())?.reason).to.equal('auth');
    } finally {
      agent.kill('SIGTERM');
    }
  });

  it('a passphrase-protected identity file is failure `auth` (no prompt)', async () => {
    const locked = path.join(dir, 'locked');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-f', locked]);
    const f = await transport({}, { identityFile: locked }).connect();
    expect(f?.reason).to.equal('auth');
    expect(f?.message).to.match(/identity file/);
  });

  it('a closed port is failure `unreachable`', async () => {
    const t = transport({}, { port: await freePort() });
    const f = await t.connect();
    expect(f?.reason).to.equal('unreachable');
    expect(f?.message).to.contain('ECONNREFUSED');
  });

  it('preconnect: the next connect() answers with that attempt (a success, or a failure without a second try)', async () => {
    const ok = transport();
    ok.preconnect();
    expect(await ok.connect()).to.equal(undefined);
    expect((await ok.exec('echo hi')).stdout).to.equal('hi\n');
    // a listener that hangs up at once: each attempt is one accepted connection
    let accepted = 0;
    const server = net.createServer((socket) => {
      accepted += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const t = transport({}, { port: (server.address() as net.AddressInfo).port });
      t.preconnect();
      for (let i = 0; i < 100 && accepted === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      const first = await t.connect();
      expect(first?.reason).to.be.a('string');
      expect(accepted, 'connect() after a failed preconnect does not try again').to.equal(1);
      await t.connect();
      expect(accepted, 'a connect() after that does').to.equal(2);
    } finally {
      server.close();
    }
  });

  it('a listener that never speaks is failure `timeout` after the connect timeout', async () => {
    const silent = await startSilentListener();
    try {
      const t = transport({ connectTimeoutMs: 500 }, { port: silent.port });
      const started = Date.now();
      const f = await t.connect();
      expect(f?.reason).to.equal('timeout');
      expect(Date.now() - started).to.be.within(400, 3000);
    } finally {
      await silent.stop();
    }
  });

  it('an unknown host key is failure `hostkey` with the fingerprint', async () => {
    const empty = path.join(dir, 'empty_known_hosts');
    fs.writeFileSync(empty, '');
    const f = await transport({ knownHosts: empty }).connect();
    expect(f?.reason).to.equal('hostkey');
    expect(f?.message).to.match(/unknown host key/);
    expect(f?.message).to.contain(fingerprintOf(sshd.hostPublicKey, dir));
  });

  it('a changed host key is failure `hostkey` saying CHANGED', async () => {
    const impostor = makeKeyPair(dir, 'impostor');
    const changed = path.join(dir, 'changed_known_hosts');
    fs.writeFileSync(changed, `[127.0.0.1]:${sshd.port} ${impostor.publicKey}\n`);
    const f = await transport({ knownHosts: changed }).connect();
    expect(f?.reason).to.equal('hostkey');
    expect(f?.message).to.match(/CHANGED/);
    expect(f?.message).to.contain(fingerprintOf(sshd.hostPublicKey, dir));
  });

  it('a hashed known_hosts entry (ssh-keygen -H) is accepted', async () => {
    const hashed = path.join(dir, 'hashed_known_hosts');
    fs.writeFileSync(hashed, sshd.knownHostsLine + '\n');
    execFileSync('ssh-keygen', ['-H', '-f', hashed], { stdio: 'ignore' });
    expect(fs.readFileSync(hashed, 'utf8')).to.match(/^\|1\|/);
    expect(await transport({ knownHosts: hashed }).connect()).to.equal(undefined);
  });

  it('knownHosts: false (explicit opt-out) connects without checking', async () => {
    const t = transport({ knownHosts: false });
    expect(await t.connect()).to.equal(undefined);
    expect((await t.exec('echo ok')).stdout).to.equal('ok\n');
  });

  it('an exec after close() fails as data, not as an exception', async () => {
    const t = transport();
    await t.connect();
    await t.close();
    const r = await t.exec('true');
    expect(r.failure?.reason).to.equal('command');
  });

  describe('streaming', () => {
    it('delivers chunks as they come and stop() leaves no remote process behind', async () => {
      const t = transport();
      const token = `haprobe-stream-${process.pid}-${Date.now()}`;
      const pidFile = path.join(dir, 'stream.pid');
      const chunks: string[] = [];
      const h = t.stream(`echo $$ > ${pidFile}; i=0; while :; do echo ${token} $i; i=$((i+1)); sleep 0.1; done`, {
        onStdout: (b) => chunks.push(b.toString()),
      });
      expect(await waitUntil(() => chunks.join('').split('\n').length > 4, 5000)).to.equal(true);
      const pid = Number(fs.readFileSync(pidFile, 'utf8'));
      expect(alive(pid)).to.equal(true);
      await h.stop();
      const r = await h.done;
      expect(r.failure).to.equal(undefined);
      expect(r.stdout).to.equal('');
      expect(await waitUntil(() => !alive(pid), 3000), `pid ${pid} survived stop()`).to.equal(true);
      expect(pidsWithToken(token)).to.deep.equal([]);
      expect(chunks.join('')).to.match(new RegExp(`^${token} 0\n${token} 1\n`));
    });

    it('close() ends running streams before hanging up', async () => {
      const t = transport();
      const pidFile = path.join(dir, 'close.pid');
      const h = t.stream(`echo $$ > ${pidFile}; exec sleep 60`, { onStdout: () => undefined });
      expect(await waitUntil(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '', 5000)).to.equal(true);
      const pid = Number(fs.readFileSync(pidFile, 'utf8'));
      await t.close();
      expect((await h.done).failure?.reason).to.equal('command');
      expect(await waitUntil(() => !alive(pid), 3000), `pid ${pid} survived close()`).to.equal(true);
    });

    it('a stream ignores the exec default timeout but honours its own', async () => {
      const t = transport({ defaultTimeoutMs: 200 });
      const out: string[] = [];
      const ok = await t.stream('sleep 0.6; echo done', { onStdout: (b) => out.push(b.toString()) }).done;
      expect(ok).to.include({ exitCode: 0 });
      expect(out.join('')).to.equal('done\n');
      const late = await t.stream('sleep 5', { onStdout: () => undefined, timeoutMs: 300 }).done;
      expect(late.failure?.reason).to.equal('timeout');
    });

    it('passes binary output through untouched (no pty)', async () => {
      const t = transport();
      const file = path.join(dir, 'blob.bin');
      const blob = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 256));
      fs.writeFileSync(file, blob);
      const parts: Buffer[] = [];
      const h = t.stream(`cat ${file}`, { onStdout: (b) => parts.push(b) });
      const r = await h.done;
      expect(r.exitCode).to.equal(0);
      expect(Buffer.concat(parts).equals(blob)).to.equal(true);
    });

    it('stop() on a quiet command (sleep) also ends it', async () => {
      const t = transport();
      const pidFile = path.join(dir, 'quiet.pid');
      const h = t.stream(`echo $$ > ${pidFile}; exec sleep 60`, { onStdout: () => undefined });
      expect(await waitUntil(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '', 5000)).to.equal(true);
      const pid = Number(fs.readFileSync(pidFile, 'utf8'));
      await h.stop();
      await h.done;
      expect(await waitUntil(() => !alive(pid), 3000)).to.equal(true);
    });
  });

  describe('sudo', () => {
    before(function () {
      if (process.getuid?.() !== 0) this.skip();
      ensureTestUser();
    });

    it('a non-root user without sudo rights is failure `sudo`', async () => {
      const t = transport({ sudo: true }, { user: TEST_USER });
      const r = await t.exec('id -u');
      expect(r.failure?.reason).to.equal('sudo');
      expect(r.exitCode).to.equal(null);
      expect(r.failure?.message).to.match(/sudo (refused|is not installed)/);
    });

    it('the same user without sudo runs as itself', async () => {
      const t = transport({ sudo: true }, { user: TEST_USER });
      const r = await t.exec('id -un', { sudo: false });
      expect(r).to.include({ stdout: `${TEST_USER}\n`, exitCode: 0 });
    });
  });

  describe('sudo with NOPASSWD rights', () => {
    const sudoers = '/etc/sudoers.d/haprobe-test-transport';
    before(function () {
      if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/sudo')) this.skip();
      ensureTestUser();
      fs.writeFileSync(sudoers, `${TEST_USER} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
    });
    after(() => fs.rmSync(sudoers, { force: true }));

    it('runs the command as root through sudo -n sh -c, quoting intact', async () => {
      const t = transport({ sudo: true }, { user: TEST_USER });
      const r = await t.exec(`id -un; printf '%s' "it's \\$x"`);
      expect(r).to.include({ stdout: `root\nit's $x`, exitCode: 0 });
      expect(r.stderr).to.equal('');
    });

    it('stop() ends a streaming command that runs under sudo', async () => {
      const t = transport({ sudo: true }, { user: TEST_USER });
      const pidFile = path.join(dir, 'sudo-stream.pid');
      const h = t.stream(`echo $$ > ${pidFile}; while :; do echo tick; sleep 0.1; done`, { onStdout: () => undefined });
      expect(await waitUntil(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '', 5000)).to.equal(true);
      const pid = Number(fs.readFileSync(pidFile, 'utf8'));
      await h.stop();
      await h.done;
      expect(await waitUntil(() => !alive(pid), 3000), `pid ${pid} survived stop() under sudo`).to.equal(true);
    });
  });
});
