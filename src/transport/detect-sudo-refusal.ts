import type { TransportFailure } from './types';

/**
 * sudo's own refusals (sudo -n never prompts). Matched only at the start of a stderr line that
 * starts with "sudo:" so a command that merely prints the words is not misread.
 */
const REFUSALS = [
  /^sudo: a password is required/m,
  /^sudo: a terminal is required/m,
  /^.* is not in the sudoers file/m,
  /^sudo: .*is not allowed to (execute|run sudo)/m,
  /^Sorry, user \S+ (is not allowed|may not run sudo)/m,
];

export function detectSudoRefusal(exitCode: number | null, stderr: string): TransportFailure | undefined {
  if (exitCode === 127 && /sudo: (command )?not found/.test(stderr)) {
    return { reason: 'sudo', message: 'sudo is not installed on the node' };
  }
  if (exitCode !== 1) return undefined;
  const hit = REFUSALS.map((re) => re.exec(stderr)).find((m) => m !== null);
  if (!hit) return undefined;
  return { reason: 'sudo', message: `sudo refused: ${hit[0].replace(/^sudo: /, '').trim()}` };
}
