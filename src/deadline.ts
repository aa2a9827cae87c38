/**
 * One per-node deadline race for every command that gives a node a whole budget (run and where
 * through collectNodes, doctor): the promise's value, or DEADLINE once `ms` passed (the promise is
 * left to settle on its own; the caller closes what it was using). And the one way the messages
 * write a budget in seconds.
 */
export const DEADLINE = Symbol('deadline');

export function raceDeadline<T>(p: Promise<T>, ms: number): Promise<T | typeof DEADLINE> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(DEADLINE), ms);
    void p.then((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

/** 5000 → "5 s", 5012 → "5.0 s", 1500 → "1.5 s" */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}
