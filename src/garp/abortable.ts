/** resolves after `ms`, or as soon as `signal` aborts (never rejects) */
export function sleepOrAbort(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** polls `pred` every `stepMs` until it holds (true) or `timeoutMs` has passed (false) */
export async function waitUntil(pred: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await pred()) return true;
    if (Date.now() > end) return false;
    await sleepOrAbort(stepMs);
  }
}

/** resolves when `signal` aborts; never without one */
export function untilAborted(signal?: AbortSignal): Promise<void> {
  if (!signal) return new Promise<void>(() => undefined);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** the abort reason as text ("SIGINT", …) */
export function abortReasonOf(signal?: AbortSignal): string {
  const r: unknown = signal?.reason;
  return typeof r === 'string' ? r : r instanceof Error ? r.message : 'cancelled';
}
