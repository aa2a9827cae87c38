import { expect } from 'chai';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SshTransport, type SshTransportOptions } from '../../src/transport/ssh-transport';
import { LocalTransport } from '../../src/transport/local-transport';
import { wrapGuarded } from '../../src/transport/wrap-command';
import { type KeyPair, type Sshd, TEST_USER, ensureTestUser, makeKeyPair, makeTmpDir, startSshd } from '../helpers/sshd';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

/**
 * Issue 8, "nothing left running on a node", at the transport level against a real sshd: a
 * remote command must end when the link is cut, when haprobe is SIGKILLed (nothing can send a
 * kill then), and when only haprobe saw the link die (then a kill after reconnecting must do it).
 * Each remote command writes its own pid (`echo $$ > file; exec sleep`) so the test watches
 * exactly that process — never anything found by name.
 */

/** true while a process with this pid exists (zombies count as gone) */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export async function waitUntil(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

async function readPid(file: string): Promise<number> {
  expect(await waitUntil(() => fs.existsSync(file) && /^\d+\n/.test(fs.readFileSync(file, 'utf8')), 5000), `no pid in ${file}`).to.equal(true);
  return Number(fs.readFileSync(file, 'utf8'));
}

/** a node process that opens `kind` transport, starts a stream and prints "ready" (then waits to be killed) */
function spawnHolder(dir: string, kind: 'ssh' | 'local', opts: object, command: string): ChildProcess {
  const dist = path.resolve(__dirname, '../../src/transport');
  const script = path.join(dir, `holder-${kind}.js`);
  fs.writeFileSync(script, `
const { SshTransport } = require(${JSON.stringify(path.join(dist, 'ssh-transport.js'))});
const { LocalTransport } = require(${JSON.stringify(path.join(dist, 'local-transport.js'))});
const t = ${kind === 'ssh' ? 'new SshTransport' : 'new LocalTransport'}(${JSON.stringify(opts)});
t.stream(${JSON.stringify(command)}, { onStdout: () => undefined });
process.stdout.write('ready\\n');
setInterval(() => undefined, 1000);
`);
  return spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
}

describe('hardening: remote commands end when haprobe or its link goes away', function () {
  this.timeout(40_000);
  let dir: string;
  let key: KeyPair;
  let sshd: Sshd;
  let knownHosts: string;
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const watched: number[] = [];

  const sshOptions = (port: number, over: Partial<SshTransportOptions> = {}): SshTransportOptions => ({
    node: 'n1',
    endpoint: { host: '127.0.0.1', port, user: 'root', identityFile: key.path },
    knownHosts,
    agent: false,
    connectTimeoutMs: 5000,
    stopGraceMs: 1000,
    ...over,
  });
  const proxy = async (): Promise<TcpProxy> => {
    const p = await startTcpProxy('127.0.0.1', sshd.port);
    cleanups.push(() => p.close());
    return p;
  };

  before(async () => {
    dir = makeTmpDir('haprobe-guard-');
    key = makeKeyPair(dir, 'client');
    sshd = await startSshd({ authorizedKeys: [key.publicKey] });
    knownHosts = path.join(dir, 'known_hosts');
    // the proxy ports differ: accept this host key on any port of 127.0.0.1
    fs.writeFileSync(knownHosts, `${sshd.knownHostsLine}\n`);
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    // never leave a test's sleep behind, whatever the verdict (by pid, only what we started)
    for (const pid of watched.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });
  after(async () => {
    await sshd?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** known_hosts line for the proxy port (host keys are bound to host:port) */
  const trustPort = (port: number): void => fs.appendFileSync(knownHosts, `[127.0.0.1]:${port} ${sshd.hostPublicKey}\n`);

  it('a cut link (both ends see it): the remote command ends within 5 s without any kill from haprobe', async () => {
    const p = await proxy();
    trustPort(p.port);
    const t = new SshTransport(sshOptions(p.port));
    cleanups.push(() => t.close());
    const pidFile = path.join(dir, 'cut.pid');
    const h = t.stream(`echo $$ > ${pidFile}; exec sleep 300`, { onStdout: () => undefined });
    const pid = await readPid(pidFile);
    watched.push(pid);
    expect(alive(pid)).to.equal(true);
    await p.cut();
    expect((await h.done).failure?.reason).to.equal('command');
    expect(await waitUntil(() => !alive(pid), 5000), `pid ${pid} survived the cut link`).to.equal(true);
  });

  it('a link only haprobe saw die: the command is killed after reconnecting (token-checked), though the loss marked it finished', async () => {
    const p = await proxy();
    trustPort(p.port);
    const t = new SshTransport(sshOptions(p.port));
    cleanups.push(() => t.close());
    const pidFile = path.join(dir, 'half.pid');
    const h = t.stream(`echo $$ > ${pidFile}; exec sleep 300`, { onStdout: () => undefined });
    const pid = await readPid(pidFile);
    watched.push(pid);
    p.cutClientSide();
    const r = await h.done;
    expect(r.failure?.message).to.match(/connection lost|without an exit status/);
    await new Promise((res) => setTimeout(res, 500));
    expect(alive(pid), 'sshd still holds the session: only a kill can end the command').to.equal(true);
    await h.stop();
    expect(p.accepted(), 'stop() reconnected').to.equal(2);
    expect(await waitUntil(() => !alive(pid), 5000), `pid ${pid} survived stop() after a lost connection`).to.equal(true);
  });

  it('haprobe SIGKILLed while streaming over SSH: the remote command ends within 5 s', async () => {
    const pidFile = path.join(dir, 'kill-ssh.pid');
    const child = spawnHolder(dir, 'ssh', sshOptions(sshd.port), `echo $$ > ${pidFile}; exec sleep 300`);
    cleanups.push(() => (child.exitCode === null ? child.kill('SIGKILL') : undefined));
    const pid = await readPid(pidFile);
    watched.push(pid);
    child.kill('SIGKILL');
    expect(await waitUntil(() => !alive(pid), 5000), `pid ${pid} survived haprobe's SIGKILL`).to.equal(true);
  });

  it('haprobe SIGKILLed while a local command runs (detached group): the command ends within 5 s', async () => {
    const pidFile = path.join(dir, 'kill-local.pid');
    const child = spawnHolder(dir, 'local', {}, `echo $$ > ${pidFile}; exec sleep 300`);
    cleanups.push(() => (child.exitCode === null ? child.kill('SIGKILL') : undefined));
    const pid = await readPid(pidFile);
    watched.push(pid);
    child.kill('SIGKILL');
    expect(await waitUntil(() => !alive(pid), 5000), `pid ${pid} survived haprobe's SIGKILL`).to.equal(true);
  });

  describe('under sudo (the wrapper shell leads no process group)', () => {
    const sudoers = '/etc/sudoers.d/haprobe-test-guard';
    before(function () {
      if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/sudo')) this.skip();
      ensureTestUser();
      fs.writeFileSync(sudoers, `${TEST_USER} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
    });
    after(() => fs.rmSync(sudoers, { force: true }));

    for (const how of ['cut', 'cutClientSide'] as const) {
      it(`${how === 'cut' ? 'a cut link' : 'a link only haprobe saw die, then stop()'}: the root command ends within 5 s`, async () => {
        const p = await proxy();
        trustPort(p.port);
        const t = new SshTransport(sshOptions(p.port, { sudo: true, endpoint: { host: '127.0.0.1', port: p.port, user: TEST_USER, identityFile: key.path } }));
        cleanups.push(() => t.close());
        const pidFile = path.join(dir, `sudo-${how}.pid`);
        const h = t.stream(`[ "$(id -u)" = 0 ] && echo $$ > ${pidFile}; exec sleep 300`, { onStdout: () => undefined });
        const pid = await readPid(pidFile);
        watched.push(pid);
        if (how === 'cut') await p.cut();
        else p.cutClientSide();
        await h.done;
        if (how === 'cutClientSide') await h.stop();
        expect(await waitUntil(() => !alive(pid), 5000), `pid ${pid} survived (${how}, sudo)`).to.equal(true);
      });
    }
  });

  it('second line of defence: the `timeout` bound ends a command whose guard never sees EOF', async () => {
    const pidFile = path.join(dir, 'bound.pid');
    const child = spawn('/bin/sh', ['-c', wrapGuarded(`echo $$ > ${pidFile}; exec sleep 300`, false, { token: 'bound-test', fd: 3, boundSeconds: 1 })], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'], detached: true });
    cleanups.push(() => (child.exitCode === null ? process.kill(-child.pid!, 'SIGKILL') : undefined));
    const pid = await readPid(pidFile);
    watched.push(pid);
    expect(await waitUntil(() => !alive(pid), 4000), `pid ${pid} outlived its 1 s bound`).to.equal(true);
  });

  it('the guard changes nothing else: exit codes, stderr without the marker, the collection script fed on stdin, local stdin', async () => {
    const t = new SshTransport(sshOptions(sshd.port));
    cleanups.push(() => t.close());
    const a = await t.exec(`echo out; echo err >&2; exit 3`);
    expect(a).to.include({ stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
    const script = 'echo "section: $(echo a b)"\ncat /proc/self/comm\n';
    const b = await t.exec('sh -s', { stdin: script });
    expect(b).to.include({ stdout: 'section: a b\ncat\n', exitCode: 0 });
    const guardedStdin = await t.exec('cat; echo end');
    expect(guardedStdin).to.include({ stdout: 'end\n', exitCode: 0 });
    const l = new LocalTransport();
    const c = await l.exec('cat; echo err >&2; exit 2', { stdin: 'in\n' });
    expect(c).to.include({ stdout: 'in\n', stderr: 'err\n', exitCode: 2 });
  });
});
