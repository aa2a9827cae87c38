import { spawn } from 'child_process';
import type { ExecOptions, ExecResult, StreamHandle, StreamOptions, Transport, TransportFailure } from '../../../src/transport/types';

/** Test-only Transport running `sh -c` on this machine (own process group, stopped by pid). */
export class ShTransport implements Transport {
  constructor(readonly node: string = 'local') {}

  connect(): Promise<TransportFailure | undefined> {
    return Promise.resolve(undefined);
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    let out = '';
    const h = this.stream(command, { ...options, onStdout: (b) => (out += b.toString()) });
    const r = await h.done;
    return { ...r, stdout: out };
  }

  stream(command: string, options: StreamOptions): StreamHandle {
    const t0 = Date.now();
    const child = spawn('/bin/sh', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => options.onStdout(b));
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      options.onStderr?.(b);
    });
    const done = new Promise<ExecResult>((resolve) => {
      child.on('close', (code) =>
        resolve({ command, stdout: '', stderr, exitCode: code, durationMs: Date.now() - t0, startedAt: new Date(t0).toISOString() }),
      );
    });
    const stop = async (): Promise<void> => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* gone */
        }
      }
      await done;
    };
    return { done, stop };
  }

  async close(): Promise<void> {}
}
