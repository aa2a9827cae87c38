import { PID_MARKER } from './wrap-command';

/**
 * Strips the pid marker line from the start of a stderr stream. Chunks before the first newline
 * are held back until it is clear whether they are the marker (at most one short line).
 */
export class PidMarkerFilter {
  pid: number | undefined;
  private held: Buffer | undefined = Buffer.alloc(0);

  /** returns the bytes that belong to the command's real stderr */
  push(chunk: Buffer): Buffer {
    if (this.held === undefined) return chunk;
    const buf = Buffer.concat([this.held, chunk]);
    const nl = buf.indexOf(0x0a);
    const prefix = Buffer.from(PID_MARKER);
    const head = buf.subarray(0, Math.min(buf.length, prefix.length));
    if (!prefix.subarray(0, head.length).equals(head)) return this.release(buf);
    if (nl < 0) {
      if (buf.length > prefix.length + 24) return this.release(buf);
      this.held = buf;
      return Buffer.alloc(0);
    }
    const pid = Number(buf.subarray(prefix.length, nl).toString('latin1'));
    if (!Number.isInteger(pid) || pid <= 0) return this.release(buf);
    this.pid = pid;
    this.held = undefined;
    return buf.subarray(nl + 1);
  }

  /** bytes still held when the stream ended */
  flush(): Buffer {
    return this.release(Buffer.alloc(0));
  }

  private release(buf: Buffer): Buffer {
    this.held = undefined;
    return buf;
  }
}
