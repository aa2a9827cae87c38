import type { ExitCode } from './exit-codes';
import { EXIT } from './exit-codes';

/**
 * Commands report their outcome here; cli/main.ts is the only place that exits.
 * The worst (highest) code reported wins, so a command may report several times.
 */
let reported: ExitCode = EXIT.OK;

export function reportExitCode(code: ExitCode): void {
  if (code > reported) reported = code;
}

export function reportedExitCode(): ExitCode {
  return reported;
}

/** for tests that call command actions in-process */
export function resetExitCode(): void {
  reported = EXIT.OK;
}
