import { type ChildProcess, spawn } from 'node:child_process';
import type { ExecOptions, ExecResult, StreamHandle, StreamOptions, Transport, TransportFailure } from './types';
import { buildResult, pushCapped } from './build-result';
import { wrapSudo } from './wrap-command';
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
 * own process group (detached), so timeouts and stop() kill the whole pipeline by group id.
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
    const finish = (exitCode: number | null, failure?: TransportFailure): void => {
      if (finished) return;
      finished = true;
      settle(buildResult({ command, t0, stdout, stderr, exitCode, failure, sudo }));
    };

    const child = spawn('/bin/sh', ['-c', sudo ? wrapSudo(command) : command], {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.running.add(child);
    child.stdout!.on('data', (b: Buffer) => {
      if (keepStdout) stdout.push(b);
      onStdout?.(b);
    });
    child.stderr!.on('data', (b: Buffer) => {
      pushCapped(stderr, b, STDERR_LIMIT);
      onStderr?.(b);
    });
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
