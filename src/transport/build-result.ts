import type { ExecResult, TransportFailure } from './types';
import { detectSudoRefusal } from './detect-sudo-refusal';

export interface RawRun {
  command: string;
  /** Date.now() when exec()/stream() was called */
  t0: number;
  stdout: Buffer[];
  stderr: Buffer[];
  exitCode: number | null;
  failure?: TransportFailure;
  /** the command ran under `sudo -n`: a sudo refusal becomes failure `sudo` */
  sudo: boolean;
  /** Date.now() when the wrapper's pid marker arrived (the command starts right after it) */
  runningAt?: number;
}

/**
 * One ExecResult from what a channel or child process produced. Output is decoded as UTF-8 once,
 * at the end, so multi-byte characters split across chunks survive.
 */
export function buildResult(run: RawRun, now: number = Date.now()): ExecResult {
  const stdout = Buffer.concat(run.stdout).toString('utf8');
  const stderr = Buffer.concat(run.stderr).toString('utf8');
  let exitCode = run.exitCode;
  let failure = run.failure;
  if (!failure && run.sudo) {
    failure = detectSudoRefusal(exitCode, stderr);
    // the command never ran: its exit code would be sudo's, not the command's
    if (failure) exitCode = null;
  }
  const result: ExecResult = {
    command: run.command,
    stdout,
    stderr,
    exitCode,
    durationMs: now - run.t0,
    startedAt: new Date(run.t0).toISOString(),
  };
  if (run.runningAt !== undefined) result.runningAtMs = run.runningAt;
  if (failure) result.failure = failure;
  return result;
}

/** keeps at most `limit` bytes (the first ones): stderr of a long stream must not grow forever */
export function pushCapped(list: Buffer[], chunk: Buffer, limit: number): void {
  const have = list.reduce((n, b) => n + b.length, 0);
  if (have >= limit) return;
  list.push(chunk.length > limit - have ? chunk.subarray(0, limit - have) : chunk);
}
