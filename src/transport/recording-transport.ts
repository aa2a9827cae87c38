import type { ExecOptions, ExecResult, StreamHandle, StreamOptions, Transport, TransportFailure } from './types';

/**
 * Wraps a live transport and keeps every exec() result by command, so a run can later be
 * replayed with ReplayTransport. Streams pass through unrecorded (captures are stored elsewhere).
 */
export class RecordingTransport implements Transport {
  readonly recording = new Map<string, ExecResult>();
  connectFailure: TransportFailure | undefined;

  constructor(private readonly inner: Transport) {}

  get node(): string {
    return this.inner.node;
  }

  async connect(): Promise<TransportFailure | undefined> {
    this.connectFailure = await this.inner.connect();
    return this.connectFailure;
  }

  async exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    const result = await this.inner.exec(command, options);
    this.recording.set(command, result);
    return result;
  }

  stream(command: string, options: StreamOptions): StreamHandle {
    return this.inner.stream(command, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
