import { type ChildProcess, spawn } from 'node:child_process';
import type { ExecOptions, ExecResult, StreamHandle, StreamOptions, Transport, TransportFailure } from './types';
import { buildResult, pushCapped } from './build-result';
import { PidMarkerFilter } from './pid-marker-filter';
import { randomBytes } from 'node:crypto';
import { wrapGuarded, wrapSudo } from './wrap-command';
import { settlesWithin } from './wait';

export interface LocalTransportOptions {
  /** node name reported in results; default "local" */
  node?: string;
  /** default for ExecOptions.sudo; ignored when haprobe already runs as root */
  sudo?: boolean;
  /** ExecOptions.timeoutMs default, ms; default 60 000 */
  defaultTimeoutMs?: number;
  /** wait after TERM before KILL, ms; default 2 000 */
  stopGraceMs?: number;
}

const STDERR_LIMIT = 1 << 20;

/**
 * Runs commands on this machine with `sh -c`, same contract as SshTransport. Each command is its
 * own process group (detached), so timeouts and stop() kill the whole pipeline by group id. Being
 * detached, a command would outlive a crashed or killed haprobe (issue 8: a local capture kept
 * running), so every command runs under the guard wrapper watching an extra pipe (fd 3) that only
 * haprobe holds: when haprobe dies, however it dies, the kernel closes it and the guard ends the
 * group. sudo runs inside the guard (sudo closes fds above 2) and relays the guard's TERM.
 */
export class LocalTransport implements Transport {
  readonly node: string;
  private readonly running = new Set<ChildProcess>();

  constructor(private readonly opts: LocalTransportOptions = {}) {
    this.node = opts.node ?? 'local';
  }

  connect(): Promise<TransportFailure | undefined> {
    return Promise.resolve(undefined);
  }

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return this.start(command, options, undefined, undefined, true).done;
  }

  stream(command: string, options: StreamOptions): StreamHandle {
    return this.start(command, options, options.onStdout, options.onStderr, false);
  }

  /** kills whatever still runs */
  async close(): Promise<void> {
    for (const child of this.running) killGroup(child, 'SIGKILL');
  }

  private start(
    command: string,
    options: ExecOptions,
    onStdout: ((b: Buffer) => void) | undefined,
    onStderr: ((b: Buffer) => void) | undefined,
    keepStdout: boolean,
  ): StreamHandle {
    const t0 = Date.now();
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const sudo = (options.sudo ?? this.opts.sudo ?? false) && !isRoot;
    const grace = this.opts.stopGraceMs ?? 2000;
    const timeoutMs = options.timeoutMs ?? (keepStdout ? (this.opts.defaultTimeoutMs ?? 60_000) : undefined);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    let settle!: (r: ExecResult) => void;
    const done = new Promise<ExecResult>((resolve) => (settle = resolve));
    let finished = false;
    let runningAt: number | undefined;
    const finish = (exitCode: number | null, failure?: TransportFailure): void => {
      if (finished) return;
      finished = true;
      settle(buildResult({ command, t0, stdout, stderr, exitCode, failure, sudo, runningAt }));
    };

    const inner = sudo ? wrapSudo(command) : command;
    const token = `${process.pid}-${randomBytes(6).toString('hex')}`;
    const boundSeconds = timeoutMs === undefined ? undefined : timeoutMs / 1000 + 30;
    // fd 3: the guard's line to us; never written, never ended (an end would read as our death)
    const child = spawn('/bin/sh', ['-c', wrapGuarded(inner, false, { token, fd: 3, boundSeconds })], {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    const filter = new PidMarkerFilter();
    this.running.add(child);
    child.stdout!.on('data', (b: Buffer) => {
      if (keepStdout) stdout.push(b);
      onStdout?.(b);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      const hadPid = filter.pid !== undefined;
      const b = filter.push(chunk);
      if (!hadPid && filter.pid !== undefined) runningAt = Date.now();
      if (b.length === 0) return;
      pushCapped(stderr, b, STDERR_LIMIT);
      onStderr?.(b);
    });
    child.stdio[3]?.on('error', () => undefined);
    child.stdin!.on('error', () => undefined); // command exited without reading its input
    child.stdin!.end(options.stdin);
    // streams (captures) run until stop() unless the caller sets a budget
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            void terminate();
          }, timeoutMs);
    child.on('error', (err) => finish(null, { reason: 'command', message: `cannot start sh: ${err.message}` }));
    child.on('close', (code) => {
      clearTimeout(timer);
      const rest = filter.flush();
      if (rest.length > 0) {
        pushCapped(stderr, rest, STDERR_LIMIT);
        onStderr?.(rest);
      }
      this.running.delete(child);
      if (timedOut) finish(null, { reason: 'timeout', message: `command timed out after ${timeoutMs} ms` });
      else finish(code);
    });

    let terminating: Promise<void> | undefined;
    const terminate = (): Promise<void> => {
      terminating ??= (async () => {
        killGroup(child, 'SIGTERM');
        if (await settlesWithin(done, grace)) return;
        killGroup(child, 'SIGKILL');
        await settlesWithin(done, grace);
      })();
      return terminating;
    };
    return {
      done,
      stop: () => terminate(),
    };
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}
