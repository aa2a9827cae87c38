import * as fs from 'node:fs';
import type { ExecOptions, ExecResult, StreamHandle, StreamOptions, Transport, TransportFailure } from './types';

/**
 * A Transport that also writes the raw stdout of chosen streamed commands to files: the pcap
 * bytes haprobe decoded, kept for `tcpdump -r` and differential tests. `fileFor(command)` returns
 * the file for a command, undefined = do not keep.
 */
export class TeeTransport implements Transport {
  readonly node: string;
  readonly written: string[] = [];

  constructor(
    private readonly inner: Transport,
    private readonly fileFor: (command: string) => string | undefined,
  ) {
    this.node = inner.node;
  }

  connect(): Promise<TransportFailure | undefined> {
    return this.inner.connect();
  }

  exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    return this.inner.exec(command, options);
  }

  stream(command: string, options: StreamOptions): StreamHandle {
    const file = this.fileFor(command);
    if (!file) return this.inner.stream(command, options);
    const fd = fs.openSync(file, 'w');
    this.written.push(file);
    let open = true;
    const handle = this.inner.stream(command, {
      ...options,
      onStdout: (chunk) => {
        if (open) fs.writeSync(fd, chunk);
        options.onStdout(chunk);
      },
    });
    const done = handle.done.finally(() => {
      open = false;
      fs.closeSync(fd);
    });
    return { done, stop: () => handle.stop() };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
