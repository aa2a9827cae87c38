import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A real, throwaway OpenSSH server for tests: 127.0.0.1 on a free port, its own host key and
 * authorized_keys in a tmp dir, `-D -e` in the background, stopped by pid. Needs root (sshd
 * must switch to the login user) and /usr/sbin/sshd.
 */
export interface Sshd {
  host: string;
  port: number;
  dir: string;
  pid: number;
  /** "ssh-ed25519 AAAA…" */
  hostPublicKey: string;
  /** the known_hosts line for this server: "[127.0.0.1]:PORT ssh-ed25519 AAAA…" */
  knownHostsLine: string;
  stop(): Promise<void>;
}

export interface KeyPair {
  /** private key file (OpenSSH format, no passphrase) */
  path: string;
  /** "ssh-ed25519 AAAA… comment" */
  publicKey: string;
}

export type KeyType = 'ed25519' | 'ecdsa' | 'rsa';

export const TEST_USER = 'haprobe-test';

export function makeTmpDir(prefix = 'haprobe-sshd-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // the login user (maybe not root) reads authorized_keys from here
  fs.chmodSync(dir, 0o755);
  return dir;
}

export function makeKeyPair(dir: string, name: string, type: KeyType = 'ed25519'): KeyPair {
  const file = path.join(dir, name);
  const bits = type === 'rsa' ? ['-b', '2048'] : [];
  execFileSync('ssh-keygen', ['-q', '-t', type, ...bits, '-N', '', '-C', `haprobe-${name}`, '-f', file]);
  return { path: file, publicKey: fs.readFileSync(`${file}.pub`, 'utf8').trim() };
}

/** a TCP port nobody listens on right now (tiny race with other processes; callers retry) */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface SshdOptions {
  /** public key lines accepted for every user */
  authorizedKeys: string[];
  hostKeyType?: KeyType;
  /** extra sshd_config lines */
  extraConfig?: string[];
}

export async function startSshd(opts: SshdOptions): Promise<Sshd> {
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation dir
  const dir = makeTmpDir();
  const hostKey = makeKeyPair(dir, 'host_key', opts.hostKeyType ?? 'ed25519');
  fs.writeFileSync(path.join(dir, 'authorized_keys'), opts.authorizedKeys.join('\n') + '\n', { mode: 0o644 });
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = path.join(dir, 'sshd_config');
    fs.writeFileSync(
      config,
      [
        // sshd keeps the first value of a keyword: extra lines go first so they win
        ...(opts.extraConfig ?? []),
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey.path}`,
        `PidFile ${path.join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
        'UsePAM no',
        'StrictModes no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'AllowTcpForwarding yes',
        'PrintMotd no',
        'LogLevel INFO',
      ].join('\n') + '\n',
    );
    try {
      const child = await spawnSshd(config);
      const hostPublicKey = hostKey.publicKey.split(/\s+/).slice(0, 2).join(' ');
      return {
        host: '127.0.0.1',
        port,
        dir,
        pid: child.pid!,
        hostPublicKey,
        knownHostsLine: `[127.0.0.1]:${port} ${hostPublicKey}`,
        stop: () => stopChild(child).then(() => fs.rmSync(dir, { recursive: true, force: true })),
      };
    } catch (err) {
      lastError = err as Error;
      if (!/Address already in use/.test(lastError.message)) break;
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  throw lastError ?? new Error('sshd did not start');
}

function spawnSshd(config: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`sshd did not start within 5 s: ${log}`));
    }, 5000);
    child.stderr!.on('data', (b: Buffer) => {
      log += b.toString();
      if (/Server listening on/.test(log)) {
        clearTimeout(timer);
        child.stderr!.removeAllListeners('data');
        child.stderr!.resume(); // keep draining sshd's log so it never blocks
        resolve(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with ${code}: ${log}`));
    });
  });
}

/**
 * Waits (≤ 2 s) for the sessions of closed connections to end first: a session process whose
 * listener is gone is re-parented to pid 1, which in a container may never reap it.
 */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  for (let i = 0; i < 40 && childrenOf(child.pid!).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** pids whose parent is `pid` (read from /proc; used for waiting, never for killing) */
export function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return kids;
}

/**
 * The unprivileged login user of the sudo tests. Created if absent, with password field `*`
 * (not `!`: with UsePAM no, OpenSSH treats `!` as a locked account and refuses even keys).
 */
export function ensureTestUser(): string {
  try {
    execFileSync('id', [TEST_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--create-home', '--shell', '/bin/sh', TEST_USER]);
  }
  execFileSync('usermod', ['-p', '*', TEST_USER]);
  return TEST_USER;
}

/** a TCP listener that accepts and never says a word (for connect-timeout tests) */
export function startSilentListener(): Promise<{ port: number; stop(): Promise<void> }> {
  return new Promise((resolve) => {
    const sockets = new Set<net.Socket>();
    const srv = net.createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    });
    srv.listen(0, '127.0.0.1', () => {
      resolve({
        port: (srv.address() as net.AddressInfo).port,
        stop: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            srv.close(() => r());
          }),
      });
    });
  });
}
