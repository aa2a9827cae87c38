import { expect } from 'chai';
import { HaprobeError } from '../../src/errors';

/** runs fn, which must throw a HaprobeError; returns it (anything else, or no throw, fails the test) */
export function haprobeErrorOf(fn: () => unknown): HaprobeError {
  try {
    fn();
  } catch (err) {
    expect(err, err instanceof Error ? err.stack : String(err)).to.be.instanceOf(HaprobeError);
    return err as HaprobeError;
  }
  throw new Error('expected a HaprobeError');
}
