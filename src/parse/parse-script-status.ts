import type { ParseResult } from './types';

/**
 * The two sections of haprobe's own snapshot script that are not a tool's output but the
 * script's report (script.ts): pure and total, no warnings (every line is kept or ignored by rule).
 */

/** `versions`: `tool: first line of its --version` per line; a tool with nothing after the colon is left out (missing) */
export function parseVersionLines(text: string): ParseResult<Record<string, string>> {
  const value: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([a-z0-9]+): (.*)$/.exec(line);
    if (m && m[2].trim() !== '') value[m[1]] = m[2].trim();
  }
  return { value, warnings: [] };
}

/**
 * `keepalived-pid:<router>` (the script's pidcheck): `running <pid>` when a live pid file names this
 * router's keepalived, else one line per pid file saying why not. `running` is only half of the
 * verdict: the section's exit status is the other (snapshot.ts reads both).
 */
export function parseKeepalivedPidCheck(text: string): ParseResult<{ saysRunning: boolean; detail: string }> {
  return { value: { saysRunning: /running/.test(text), detail: text.trim().split('\n').filter(Boolean).join('; ') }, warnings: [] };
}
