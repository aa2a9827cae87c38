/**
 * A FIFO semaphore for session channels on one connection. OpenSSH refuses channels beyond
 * MaxSessions (default 10); haprobe caps itself below that (default 8) so the spare sessions stay
 * free for the `kill` execs that stop() and timeouts need even when every slot is busy.
 */
export class ChannelLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`channel cap must be ≥ 1, got ${max}`);
  }

  /** resolves with a release function once a slot is free */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = (): void => {
        this.active++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.active--;
          this.waiting.shift()?.();
        });
      };
      if (this.active < this.max) grant();
      else this.waiting.push(grant);
    });
  }

  get inUse(): number {
    return this.active;
  }
}
