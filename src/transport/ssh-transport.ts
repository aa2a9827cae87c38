import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type { Duplex } from 'node:stream';
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import type { ExecOptions, ExecResult, StreamHandle, StreamOptions, Transport, TransportFailure } from './types';
import { ChannelLimiter } from './channel-limiter';
import { classifyConnectError } from './classify-connect-error';
import { orderHostKeyAlgorithms } from './host-key-algorithms';
import { type HostKeyVerdict, type KnownHostEntry, knownKeyTypes, parseKnownHosts, verifyHostKey } from './known-hosts';
import { buildResult, pushCapped } from './build-result';
import { PidMarkerFilter } from './pid-marker-filter';
import { killCommand, killIfOursCommand, wrapCommand, wrapGuarded } from './wrap-command';
import { settlesWithin } from './wait';

export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  /** private key file; without it the ssh-agent (SSH_AUTH_SOCK) is the only method */
  identityFile?: string;
}

export interface SshTransportOptions {
  /** inventory node name, used in results and messages */
  node: string;
  endpoint: SshEndpoint;
  /** default for ExecOptions.sudo; only applies when endpoint.user is not root */
  sudo?: boolean;
  /** known_hosts file, or false = do not check host keys (explicit opt-out) */
  knownHosts: string | false;
  /** bastion: our TCP stream is a `direct-tcpip` channel on its connection */
  via?: SshTransport;
  /** close `via` when this transport closes (false when a pool shares the bastion) */
  ownsVia?: boolean;
  /** TCP connect + SSH handshake + auth budget, ms; default 10 000 */
  connectTimeoutMs?: number;
  /** concurrent session channels on the connection; default 8 (OpenSSH MaxSessions is 10) */
  maxChannels?: number;
  /** ExecOptions.timeoutMs default, ms; default 60 000 */
  defaultTimeoutMs?: number;
  /** agent socket path; default $SSH_AUTH_SOCK; false = never use an agent */
  agent?: string | false;
  /** wait after TERM (and again after KILL) before giving up on a stopping command, ms; default 2 000 */
  stopGraceMs?: number;
}

/** stderr kept in ExecResult, bytes (stdout of exec() is kept whole: it is the evidence) */
const STDERR_LIMIT = 1 << 20;

type Lost = (failure: TransportFailure) => void;

/** a guarded command whose channel went away without an exit status: it may still run */
interface Orphan {
  pid: number;
  token: string;
  sudo: boolean;
}

/**
 * slack on top of a stream's own budget for the remote `timeout` bound, seconds. Only streams
 * (captures, pings: long-running) get the bound; short execs are killed by their transport timeout
 * and skip the cost of probing for GNU timeout on every poll.
 */
const REMOTE_BOUND_SLACK_S = 30;

/**
 * Transport over one ssh2 connection per node, reused by every command. Commands print a pid
 * marker (see wrap-command.ts) so that timeouts and stop() can kill the remote process by pid with
 * a separate exec; channel close alone leaves it running. Commands without stdin (captures, pings,
 * probes) run guarded: their channel's stdin stays open and a remote watchdog ends them when sshd
 * closes it, i.e. when the channel or the connection goes away (haprobe killed, link cut — issue 8).
 * A command whose channel closed without an exit status is remembered as an orphan and killed by
 * pid — after checking the pid still runs our wrapper — on stop(), close() or the next connect.
 */
export class SshTransport implements Transport {
  readonly node: string;
  private readonly limiter: ChannelLimiter;
  private client: Client | undefined;
  /** the client of a connect in flight: close() destroys it (issue 10: a node past its deadline) */
  private pending: Client | undefined;
  private connecting: Promise<TransportFailure | undefined> | undefined;
  private lastFailure: TransportFailure | undefined;
  /** set by preconnect(): the next connect() answers with that attempt's failure instead of trying again */
  private keepNextOutcome = false;
  private closed = false;
  private readonly lostHandlers = new Set<Lost>();
  /** terminate() of every command with an open channel: close() ends them before hanging up */
  private readonly running = new Set<() => Promise<void>>();
  private orphans: Orphan[] = [];

  constructor(private readonly opts: SshTransportOptions) {
    this.node = opts.node;
    this.limiter = new ChannelLimiter(opts.maxChannels ?? 8);
  }

  /** "user@host:port" (+ " via <jump>") for messages */
  get where(): string {
    const ep = this.opts.endpoint;
    const via = this.opts.via ? ` via ${this.opts.via.node}` : '';
    return `${ep.user}@${ep.host.includes(':') ? `[${ep.host}]` : ep.host}:${ep.port}${via}`;
  }

  connect(): Promise<TransportFailure | undefined> {
    const reuse = this.keepNextOutcome;
    this.keepNextOutcome = false;
    if (reuse && !this.closed && !this.client && !this.connecting && this.lastFailure) return Promise.resolve(this.lastFailure);
    return this.attempt();
  }

  /**
   * Transport.preconnect: the attempt starts now, and the next connect() gets its outcome, a
   * failure included. Only connect() takes that answer: a node that jumps through this one
   * (forwardTo → ensureConnected) shares the attempt without using it up.
   */
  preconnect(): void {
    void this.attempt();
    this.keepNextOutcome = true;
  }

  /** the connection, or the attempt in flight, or a new attempt */
  private attempt(): Promise<TransportFailure | undefined> {
    if (this.closed) return Promise.resolve({ reason: 'command', message: `${this.where}: transport closed` });
    if (this.client) return Promise.resolve(undefined);
    if (!this.connecting) {
      this.connecting = this.open().then((failure) => {
        this.connecting = undefined;
        this.lastFailure = failure;
        return failure;
      });
    }
    return this.connecting;
  }

  /**
   * What exec/stream use: a connect that failed is not retried for every command (a node that
   * is down would cost a connect timeout per command); an explicit connect() retries.
   */
  private ensureConnected(): Promise<TransportFailure | undefined> {
    if (!this.client && !this.connecting && this.lastFailure) return Promise.resolve(this.lastFailure);
    return this.attempt();
  }

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return this.start(command, options, undefined, undefined, true).done;
  }

  /** stdout goes to onStdout only (ExecResult.stdout stays empty); stderr goes to both */
  stream(command: string, options: StreamOptions): StreamHandle {
    return this.start(command, options, options.onStdout, options.onStderr, false);
  }

  /**
   * Ends running commands first (kill by pid, as stop() does): hanging up alone would leave a
   * remote tcpdump running, since a channel without a pty does not take its process with it.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.pending?.destroy();
    const grace = this.opts.stopGraceMs ?? 2000;
    await settlesWithin(Promise.all([...this.running].map((terminate) => terminate())), 3 * grace + 1000);
    await this.killOrphans();
    const client = this.client;
    this.client = undefined;
    this.failAll({ reason: 'command', message: `${this.where}: transport closed` });
    if (client) {
      const ended = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.end();
      if (!(await settlesWithin(ended, 2000))) client.destroy();
    }
    if (this.opts.via && this.opts.ownsVia) await this.opts.via.close();
  }

  /**
   * A TCP stream to host:port opened by this node's sshd (`direct-tcpip`), for a node behind us.
   * Unreachable targets come back as `unreachable`, with this node named as the jump.
   */
  async forwardTo(host: string, port: number, timeoutMs: number): Promise<{ sock: Duplex } | { failure: TransportFailure }> {
    const f = await this.ensureConnected();
    if (f) return { failure: { reason: f.reason, message: `jump ${this.node}: ${f.message}` } };
    const client = this.client!;
    return new Promise((resolve) => {
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        resolve({ failure: { reason: 'timeout', message: `jump ${this.node}: no TCP connection to ${host}:${port} within ${timeoutMs} ms` } });
      }, timeoutMs);
      client.forwardOut('127.0.0.1', 0, host, port, (err, ch) => {
        clearTimeout(timer);
        if (late) return ch?.close();
        if (err) resolve({ failure: { reason: 'unreachable', message: `jump ${this.node} cannot reach ${host}:${port}: ${err.message}` } });
        else resolve({ sock: ch });
      });
    });
  }

  private useSudo(options: ExecOptions): boolean {
    return (options.sudo ?? this.opts.sudo ?? false) && this.opts.endpoint.user !== 'root';
  }

  private failAll(failure: TransportFailure): void {
    const handlers = [...this.lostHandlers];
    this.lostHandlers.clear();
    for (const h of handlers) h(failure);
  }

  private readAuth(): { privateKey?: Buffer; agent?: string } | TransportFailure {
    const ep = this.opts.endpoint;
    let privateKey: Buffer | undefined;
    if (ep.identityFile) {
      try {
        privateKey = fs.readFileSync(ep.identityFile);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? String(err);
        return { reason: 'auth', message: `${this.where}: cannot read identity file ${ep.identityFile} (${code})` };
      }
    }
    const agent = this.opts.agent === false ? undefined : (this.opts.agent ?? process.env.SSH_AUTH_SOCK) || undefined;
    if (!privateKey && !agent) {
      return { reason: 'auth', message: `${this.where}: no identity file and no ssh-agent (SSH_AUTH_SOCK is not set)` };
    }
    return { privateKey, agent };
  }

  /** undefined = host keys are not checked */
  private readKnownHosts(): { entries: KnownHostEntry[]; note: string } | undefined {
    const file = this.opts.knownHosts;
    if (file === false) return undefined;
    try {
      return { entries: parseKnownHosts(fs.readFileSync(file, 'utf8')), note: `known_hosts ${file}` };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      return { entries: [], note: `known_hosts ${file} unreadable (${code})` };
    }
  }

  private async open(): Promise<TransportFailure | undefined> {
    const ep = this.opts.endpoint;
    const timeoutMs = this.opts.connectTimeoutMs ?? 10_000;
    const auth = this.readAuth();
    if ('reason' in auth) return auth;
    const known = this.readKnownHosts();
    let sock: Duplex | undefined;
    if (this.opts.via) {
      const fwd = await this.opts.via.forwardTo(ep.host, ep.port, timeoutMs);
      if ('failure' in fwd) return { reason: fwd.failure.reason, message: `${this.where}: ${fwd.failure.message}` };
      sock = fwd.sock;
    }
    return new Promise((resolve) => {
      // ssh2 is loaded on the first connect, not at import (issue 10: it was a fifth of every CLI start)
      const client = new (require('ssh2') as typeof import('ssh2')).Client();
      this.pending = client;
      let verdict: HostKeyVerdict | undefined;
      let settled = false;
      const finish = (failure: TransportFailure | undefined): void => {
        if (settled) return;
        settled = true;
        clearTimeout(guard);
        if (this.pending === client) this.pending = undefined;
        // closed while connecting: a session that arrives now would be left open
        if (!failure && this.closed) failure = { reason: 'command', message: `${this.where}: transport closed while connecting` };
        if (failure) {
          client.destroy();
          sock?.destroy();
        } else {
          this.client = client;
        }
        resolve(failure);
      };
      // ssh2's readyTimeout covers TCP connect and handshake; this guard also covers a silent jump
      const guard = setTimeout(
        () => finish({ reason: 'timeout', message: `${this.where}: no SSH session within ${timeoutMs} ms` }),
        timeoutMs + 1000,
      );
      client.on('ready', () => finish(undefined));
      client.on('error', (err) => {
        if (verdict && !verdict.ok) finish({ reason: 'hostkey', message: `${this.where}: ${verdict.message} (${known?.note})` });
        else finish(classifyConnectError(err, this.where, timeoutMs));
      });
      client.on('close', () => {
        finish({ reason: 'unreachable', message: `${this.where}: connection closed during the SSH handshake` });
        if (this.client === client) {
          this.client = undefined;
          this.failAll({ reason: 'command', message: `${this.where}: connection lost` });
        }
      });
      const config: ConnectConfig = {
        host: ep.host,
        port: ep.port,
        username: ep.user,
        privateKey: auth.privateKey,
        agent: auth.agent,
        sock,
        readyTimeout: timeoutMs,
        keepaliveInterval: 15_000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer): boolean => {
          if (!known) return true;
          verdict = verifyHostKey(known.entries, ep.host, ep.port, key);
          return verdict.ok;
        },
      };
      if (known) {
        config.algorithms = {
          serverHostKey: orderHostKeyAlgorithms(knownKeyTypes(known.entries, ep.host, ep.port)) as NonNullable<
            ConnectConfig['algorithms']
          >['serverHostKey'],
        };
      }
      try {
        client.connect(config);
      } catch (err) {
        // ssh2 throws synchronously for an unusable key (bad format, passphrase needed)
        finish(classifyConnectError(err as Error, this.where, timeoutMs));
      }
    });
  }

  /**
   * Kill the commands whose channel went away while they may have been running (connection lost:
   * the command was marked finished, but nothing ended it — issue 8). Reconnects once if needed;
   * each kill first checks the pid still runs our wrapper, so a reused pid is never signalled.
   * Best effort and bounded (connect timeout + 5 s per kill); the remote watchdog and the `timeout`
   * bound stay the defences for a node that cannot be reached again.
   */
  private async killOrphans(): Promise<void> {
    if (this.orphans.length === 0) return;
    if (!this.client) {
      if (this.connecting) await this.connecting;
      else if ((await this.open()) !== undefined) return;
    }
    const orphans = this.orphans;
    this.orphans = [];
    await Promise.all(orphans.map((o) => this.runControl(killIfOursCommand(o.pid, o.token, 'TERM', o.sudo))));
  }

  /** a short command outside the channel cap (kill for stop/timeout); best effort */
  private runControl(command: string, timeoutMs = 5000): Promise<void> {
    const client = this.client;
    if (!client) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      client.exec(command, (err, ch) => {
        if (err) {
          clearTimeout(timer);
          resolve();
          return;
        }
        ch.on('close', () => {
          clearTimeout(timer);
          resolve();
        });
        ch.resume();
        ch.stderr.resume();
        ch.end();
      });
    });
  }

  private start(
    command: string,
    options: ExecOptions,
    onStdout: ((b: Buffer) => void) | undefined,
    onStderr: ((b: Buffer) => void) | undefined,
    keepStdout: boolean,
  ): StreamHandle {
    const t0 = Date.now();
    const sudo = this.useSudo(options);
    const grace = this.opts.stopGraceMs ?? 2000;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const filter = new PidMarkerFilter();
    let channel: ClientChannel | undefined;
    let exitCode: number | null = null;
    let exitSignal: string | undefined;
    let stopRequested = false;
    let timedOut = false;
    let terminating: Promise<void> | undefined;
    let finished = false;
    let settle!: (r: ExecResult) => void;
    const done = new Promise<ExecResult>((resolve) => (settle = resolve));
    let pidDecided!: (pid: number | undefined) => void;
    let runningAt: number | undefined;
    const pidKnown = new Promise<number | undefined>((resolve) => (pidDecided = resolve));
    // stdin-less commands run guarded (their stdin is the watchdog's line to us); commands fed on
    // stdin (the collection script) keep the plain wrapper and are bounded by their timeout
    const guarded = options.stdin === undefined;
    const token = `${process.pid}-${randomBytes(6).toString('hex')}`;
    let orphaned = false;
    /** the command may outlive its channel: remember it for killOrphans() */
    const noteOrphan = (): void => {
      if (!guarded || orphaned || filter.pid === undefined || exitCode !== null || exitSignal !== undefined) return;
      orphaned = true;
      this.orphans.push({ pid: filter.pid, token, sudo });
    };

    const finish = (code: number | null, failure?: TransportFailure): void => {
      if (finished) return;
      finished = true;
      pidDecided(undefined);
      settle(buildResult({ command, t0, stdout, stderr, exitCode: code, failure, sudo, runningAt }));
    };
    const takeStderr = (real: Buffer): void => {
      if (real.length === 0) return;
      pushCapped(stderr, real, STDERR_LIMIT);
      onStderr?.(real);
    };

    /** TERM by pid + channel signal; after the grace KILL by pid + channel close */
    const terminate = (): Promise<void> => {
      terminating ??= (async () => {
        const ch = channel!;
        const pid = await Promise.race([pidKnown, new Promise<undefined>((r) => setTimeout(r, grace))]);
        // once the command has ended its pid may belong to another process: never kill it then
        if (finished) return;
        if (pid !== undefined) await this.runControl(killCommand(pid, 'TERM', sudo));
        try {
          ch.signal('TERM');
        } catch {
          /* the channel may already be gone */
        }
        if (await settlesWithin(done, grace)) return;
        if (pid !== undefined && !finished) await this.runControl(killCommand(pid, 'KILL', sudo));
        ch.close();
        if (await settlesWithin(done, grace)) return;
        finish(null, { reason: 'command', message: `${this.where}: channel did not close after TERM and KILL` });
      })();
      return terminating;
    };

    const run = async (): Promise<void> => {
      const failure = await this.ensureConnected();
      if (failure) return finish(null, failure);
      const release = await this.limiter.acquire();
      void done.then(release);
      const client = this.client;
      if (stopRequested) return finish(null);
      if (!client) return finish(null, { reason: 'command', message: `${this.where}: connection lost` });
      const onLost: Lost = (f) => {
        if (channel) noteOrphan();
        finish(null, f);
      };
      this.lostHandlers.add(onLost);
      void done.then(() => this.lostHandlers.delete(onLost));
      // the budget starts when the channel slot is granted: waiting in the queue is not the command's
      // fault. Streams (captures) run until stop() unless the caller sets a budget.
      const timeoutMs = options.timeoutMs ?? (keepStdout ? (this.opts.defaultTimeoutMs ?? 60_000) : undefined);
      if (timeoutMs !== undefined) {
        const timer = setTimeout(() => {
          timedOut = true;
          if (channel) void terminate();
          else finish(null, { reason: 'timeout', message: `${this.where}: no channel within ${timeoutMs} ms` });
        }, timeoutMs);
        void done.then(() => clearTimeout(timer));
      }
      const wrapped = guarded
        ? wrapGuarded(command, sudo, { token, fd: 0, boundSeconds: keepStdout || timeoutMs === undefined ? undefined : timeoutMs / 1000 + REMOTE_BOUND_SLACK_S })
        : wrapCommand(command, sudo);
      client.exec(wrapped, (err, ch) => {
        if (err) return finish(null, { reason: 'command', message: `${this.where}: cannot open a channel: ${err.message}` });
        if (finished) return ch.close();
        channel = ch;
        this.running.add(terminate);
        void done.then(() => this.running.delete(terminate));
        ch.on('data', (b: Buffer) => {
          if (keepStdout) stdout.push(b);
          onStdout?.(b);
        });
        ch.stderr.on('data', (b: Buffer) => {
          const hadPid = filter.pid !== undefined;
          takeStderr(filter.push(b));
          if (!hadPid && filter.pid !== undefined) {
            runningAt = Date.now();
            pidDecided(filter.pid);
          }
        });
        ch.on('exit', (code: number | null, signal?: string) => {
          exitCode = typeof code === 'number' ? code : null;
          exitSignal = signal ?? undefined;
        });
        ch.on('close', () => {
          takeStderr(filter.flush());
          noteOrphan();
          if (timedOut) finish(null, { reason: 'timeout', message: `${this.where}: command timed out after ${timeoutMs} ms` });
          else if (stopRequested) finish(exitCode);
          else if (this.closed) finish(null, { reason: 'command', message: `${this.where}: transport closed while the command ran` });
          else if (exitCode === null && exitSignal === undefined) {
            finish(null, { reason: 'command', message: `${this.where}: channel closed without an exit status` });
          } else finish(exitCode);
        });
        // a guarded command's stdin stays open until the channel closes (see wrapGuarded)
        if (options.stdin !== undefined) ch.end(options.stdin);
        if (stopRequested || timedOut) void terminate();
      });
    };
    void run();

    return {
      done,
      stop: async () => {
        stopRequested = true;
        if (channel && !finished) await terminate();
        await settlesWithin(done, 3 * grace + 1000);
        if (orphaned && !this.closed) await this.killOrphans();
      },
    };
  }
}
