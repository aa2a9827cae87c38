/**
 * The one lab lifecycle of every @lab suite: bring the lab up in before(), ALWAYS tear it down in
 * after() — also when up failed half-way (mocha runs after() hooks when a before() hook fails),
 * so `stop` receives undefined and must clean by state dir. Call inside describe().
 *
 * Returns the running lab; it throws when called before up finished (or after up failed), so a
 * test never runs against a lab that is not there. `current()` is undefined then instead.
 */
export interface LabHandle<T> {
  (): T;
  current(): T | undefined;
}

export interface LabSuiteTimeouts {
  /** before(): lab up, ms */
  upMs: number;
  /** after(): lab down + leak checks, ms */
  downMs: number;
}

export function useLabSuite<T>(start: () => Promise<T>, stop: (lab: T | undefined) => Promise<unknown>, timeouts: LabSuiteTimeouts): LabHandle<T> {
  let lab: T | undefined;
  before(async function () {
    this.timeout(timeouts.upMs);
    lab = await start();
  });
  after(async function () {
    this.timeout(timeouts.downMs);
    await stop(lab);
  });
  const handle = (): T => {
    if (lab === undefined) throw new Error('the lab is not up');
    return lab;
  };
  handle.current = (): T | undefined => lab;
  return handle;
}
