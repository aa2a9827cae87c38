import * as fs from 'node:fs';
import * as path from 'node:path';
import { HaprobeError } from '../errors';
import { isIp, isMac } from '../model/formats';

/**
 * Flag values checked before anything is collected or changed (issue 8): a bad value is one
 * usage line and exit 2, never a stack trace after a whole collection.
 */

/** Node's timers fire at once (and warn) for delays above 2^31-1 ms: every node then timed out */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function parsePositiveInt(value: string, flag: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new HaprobeError('usage', `must be a positive whole number, got "${value}"`, { where: flag });
  if (n > max) throw new HaprobeError('usage', `must be at most ${max}${max === Math.floor(MAX_TIMER_MS / 1000) ? " (Node's timer limit)" : ''}, got "${value}"`, { where: flag });
  return n;
}

/** --timeout in seconds → ms, within Node's timer limit (at most 2147483 s, about 24.8 days) */
export function parseTimeoutSeconds(value: string, flag = '--timeout'): number {
  return parsePositiveInt(value, flag, Math.floor(MAX_TIMER_MS / 1000)) * 1000;
}

/** --file-mode: octal permission bits ("600", "0640"); no setuid/setgid/sticky bits */
export function parseFileMode(value: string, flag = '--file-mode'): number {
  if (!/^0?[0-7]{3}$/.test(value.trim())) {
    throw new HaprobeError('usage', `must be octal permission bits like 600 or 0640, got "${value}"`, { where: flag });
  }
  return parseInt(value.trim(), 8);
}

/** --event-time: epoch seconds (fractions allowed) */
export function parseEpochSeconds(value: string, flag: string): number {
  const n = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new HaprobeError('usage', `must be epoch seconds (like 1714528800.25), got "${value}"`, { where: flag });
  return n;
}

export function parseMacFlag(value: string, flag: string): string {
  if (!isMac(value.trim())) throw new HaprobeError('usage', `must be a MAC address like fa:16:3e:00:00:01, got "${value}"`, { where: flag });
  return value.trim().toLowerCase();
}

export function parseIpFlag(value: string, flag: string): string {
  if (!isIp(value.trim())) throw new HaprobeError('usage', `must be an IPv4 or IPv6 address, got "${value}"`, { where: flag });
  return value.trim();
}

/** an absolute path on a node (e.g. --neutron-state-path): no control characters, no '..' step */
export function parseNodePath(value: string, flag: string): string {
  if (!value.startsWith('/') || /[\0-\x1f\x7f]/.test(value) || value.split('/').includes('..')) {
    throw new HaprobeError('usage', `must be an absolute path without '..' or control characters, got ${JSON.stringify(value)}`, { where: flag });
  }
  return value;
}

/** pseudo filesystems: writing there hangs (/proc) or fails after the whole collection */
const PSEUDO_FS = ['/proc', '/sys', '/dev'];

/**
 * An output folder (run files): an existing folder, or one that can be created; not a file, not
 * under /proc, /sys or /dev (also through a symlink). Creates it (mode 0700) so that a folder
 * that cannot be written fails now, not after collecting.
 */
export function prepareOutputDir(dir: string, flag: string): string {
  const abs = path.resolve(dir);
  refusePseudoFs(abs, flag);
  const st = statOrUndefined(abs);
  if (st && !st.isDirectory()) throw new HaprobeError('usage', `${dir} exists and is not a folder`, { where: flag, hint: `${flag} names a history folder` });
  try {
    fs.mkdirSync(abs, { recursive: true, mode: 0o700 });
    fs.accessSync(abs, fs.constants.W_OK);
  } catch (err) {
    throw new HaprobeError('usage', `cannot write to ${dir} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { where: flag });
  }
  return abs;
}

/** An output file (report, metrics): not a folder, not under /proc, /sys or /dev; its folder exists or can be made. */
export function checkOutputFile(file: string, flag: string): string {
  const abs = path.resolve(file);
  refusePseudoFs(abs, flag);
  const st = statOrUndefined(abs);
  if (st && !st.isFile()) throw new HaprobeError('usage', `${file} exists and is not a regular file`, { where: flag });
  const parent = statOrUndefined(path.dirname(abs));
  if (parent && !parent.isDirectory()) throw new HaprobeError('usage', `${path.dirname(file)} is not a folder`, { where: flag });
  return abs;
}

function refusePseudoFs(abs: string, flag: string): void {
  const real = realpathOfExistingPart(abs);
  for (const p of new Set([abs, real])) {
    if (PSEUDO_FS.some((root) => p === root || p.startsWith(`${root}/`))) {
      throw new HaprobeError('usage', `refusing to write under ${PSEUDO_FS.find((r) => p === r || p.startsWith(`${r}/`))} (${abs})`, { where: flag });
    }
  }
}

/** realpath of the longest existing prefix, plus the rest: where a write would really land */
function realpathOfExistingPart(abs: string): string {
  let head = abs;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(head), ...rest);
    } catch {
      const up = path.dirname(head);
      if (up === head) return abs;
      rest.unshift(path.basename(head));
      head = up;
    }
  }
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/** "60s" | "2m" | "500ms" | "10" (seconds) → milliseconds */
export function parseDuration(text: string, where: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new HaprobeError('usage', `bad duration "${text}"`, { where, hint: 'like 60s, 2m, 500ms' });
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = Math.round(n * ({ ms: 1, s: 1000, m: 60000, h: 3600000 } as Record<string, number>)[unit]);
  // a longer delay makes Node's timer fire at once (issue 8, as --timeout)
  if (ms > MAX_TIMER_MS) throw new HaprobeError('usage', `duration "${text}" is longer than ${Math.floor(MAX_TIMER_MS / 3600000)} hours`, { where });
  return ms;
}
