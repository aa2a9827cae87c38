import type { ExecOptions, ExecResult, StreamHandle, StreamOptions, Transport, TransportFailure } from './types';

/** command → what it returned when the run was recorded */
export type Recording = Map<string, ExecResult> | Record<string, ExecResult>;

/**
 * Answers exec() from a recorded run, for replaying a saved run through the same pipeline.
 * A command that was not recorded answers with failure `command` (never a guess).
 * stream() delivers the recorded stdout as one chunk.
 */
export class ReplayTransport implements Transport {
  private readonly recorded: Map<string, ExecResult>;

  constructor(
    readonly node: string,
    recording: Recording,
    /** replay a connect failure, e.g. for a node that was unreachable in the recorded run */
    private readonly connectFailure?: TransportFailure,
  ) {
    this.recorded = recording instanceof Map ? new Map(recording) : new Map(Object.entries(recording));
  }

  connect(): Promise<TransportFailure | undefined> {
    return Promise.resolve(this.connectFailure);
  }

  exec(command: string, _options?: ExecOptions): Promise<ExecResult> {
    return Promise.resolve(this.answer(command));
  }

  stream(command: string, options: StreamOptions): StreamHandle {
    const result = this.answer(command);
    if (!result.failure && result.stdout !== '') options.onStdout(Buffer.from(result.stdout));
    if (!result.failure && result.stderr !== '') options.onStderr?.(Buffer.from(result.stderr));
    return { done: Promise.resolve({ ...result, stdout: '' }), stop: () => Promise.resolve() };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private answer(command: string): ExecResult {
    if (this.connectFailure) return failed(command, this.connectFailure);
    const hit = this.recorded.get(command);
    if (hit) return { ...hit, command };
    return failed(command, { reason: 'command', message: `${this.node}: no recorded result for this command` });
  }
}

function failed(command: string, failure: TransportFailure): ExecResult {
  return { command, stdout: '', stderr: '', exitCode: null, durationMs: 0, startedAt: new Date(0).toISOString(), failure };
}
