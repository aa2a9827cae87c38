import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { HaprobeError } from '../../errors';
import { sleep } from '../ha-state';
import { isRunning } from '../processes';

/** a process the real engine started on the host, stopped by pid (its own process group) at down */
export interface HostProcess {
  what: string;
  pid: number;
}

/**
 * Start a daemon detached in its own process group (pgid = pid, so `down` can signal the group:
 * neutron-server's workers, uwsgi's workers, beam's helpers), output appended to `log`.
 */
export function spawnDaemon(what: string, argv: string[], log: string, env: Record<string, string> = {}): HostProcess {
  const fd = fs.openSync(log, 'a');
  try {
    const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
    child.on('error', () => undefined);
    child.unref();
    if (child.pid === undefined) throw new HaprobeError('lab', `could not start ${what} (${argv[0]})`);
    return { what, pid: child.pid };
  } finally {
    fs.closeSync(fd);
  }
}

function signal(pid: number, sig: NodeJS.Signals, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, sig);
  } catch {
    /* gone */
  }
}

/** SIGTERM the processes (and their groups), poll until gone, SIGKILL what is left; returns how many were alive */
export async function stopProcesses(pids: number[], group: boolean, graceMs = 15_000): Promise<number> {
  const live = pids.filter(isRunning);
  for (const p of live) signal(p, 'SIGTERM', group);
  const end = Date.now() + graceMs;
  while (live.some(isRunning) && Date.now() < end) await sleep(100);
  for (const p of live) signal(p, 'SIGKILL', group);
  for (let i = 0; i < 50 && live.some(isRunning); i++) await sleep(100);
  return live.length;
}
