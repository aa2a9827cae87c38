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
