import type { ErrorCode } from './errors';

/** The one table of exit codes (README "Exit codes" repeats it). */
export const EXIT = {
  /** every check passed, every node reached */
  OK: 0,
  /** at least one finding (failed check or failed verdict) */
  FINDINGS: 1,
  /** usage or configuration error: bad flags, inventory, profile, facts, waivers */
  USAGE: 2,
  /** some nodes could not be reached (and no other finding) */
  UNREACHABLE: 3,
  /** internal error: a bug in haprobe, or the lab could not be built */
  INTERNAL: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** the exit code of a typed error (cli/main.ts): a node that could not be read is 3, as in a run */
export function exitCodeOfError(code: ErrorCode): ExitCode {
  if (code === 'node') return EXIT.UNREACHABLE;
  return code === 'internal' || code === 'lab' ? EXIT.INTERNAL : EXIT.USAGE;
}
