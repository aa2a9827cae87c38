/**
 * The Transport port. Command results and transport failures are plain data:
 * nothing here throws for a remote failure; callers read `failure`.
 */

export type FailureReason = 'auth' | 'timeout' | 'unreachable' | 'hostkey' | 'sudo' | 'command';

export interface TransportFailure {
  reason: FailureReason;
  message: string;
}

export interface ExecOptions {
  /**
   * whole-command budget in milliseconds, counted from when the command gets its channel (time
   * queued behind the per-connection channel cap is not counted); exec() default 60 000,
   * stream() default none (runs until stop())
   */
  timeoutMs?: number;
  /** run through `sudo -n` when the login user is not root */
  sudo?: boolean;
  /** bytes written to the command's standard input, then closed */
  stdin?: string | Buffer;
}

export interface ExecResult {
  command: string;
  stdout: string;
  stderr: string;
  /** null when the command did not finish (timeout, transport failure) */
  exitCode: number | null;
  /** wall time from request to exit, milliseconds */
  durationMs: number;
  startedAt: string;
  /**
   * our clock (epoch ms) when the remote wrapper's pid marker arrived: the command itself starts
   * right after it. Between the request (startedAt) and this lie the channel open and the remote
   * shell's start — seconds on a loaded node — so what must be dated "when it happened on the
   * node" (a drill's fault) uses this. Undefined when no marker came (replayed runs, failures).
   */
  runningAtMs?: number;
  /** set when the transport (not the command) failed */
  failure?: TransportFailure;
}

export interface StreamHandle {
  /** resolves when the remote command ended (stopped or by itself) */
  done: Promise<ExecResult>;
  /** ask the remote command to stop (signal, then channel close); idempotent */
  stop(): Promise<void>;
}

export interface StreamOptions extends ExecOptions {
  onStdout: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
}

export interface Transport {
  readonly node: string;
  /** open (or reuse) the connection; never throws: returns a failure instead */
  connect(): Promise<TransportFailure | undefined>;
  /**
   * Start connecting now, ahead of use (issue 10: `haprobe run` overlaps the SSH handshakes with
   * loading its profile and checks). The next connect() returns this attempt's outcome — a
   * failure too, so an unreachable node costs one connect timeout, not two. Optional: transports
   * without a handshake leave it out.
   */
  preconnect?(): void;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  stream(command: string, options: StreamOptions): StreamHandle;
  close(): Promise<void>;
}
