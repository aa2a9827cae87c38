import { inNamespace } from '../transport/in-namespace';
import { quoteArgv } from '../transport/quote-shell';

/**
 * The remote commands of `drill failover`. Router id, state path, ha- device, namespace and FIP
 * come from facts and flags and are run as root: each enters only as one quoted argv word or as a
 * positional parameter of a constant script, never pasted into shell text (issue 8).
 */

/** `$1` = pid file; kills the pid it holds, refusing anything that is not a plain pid (a `-1`
 *  there would make `kill` signal every process) */
const KILL_BY_PID_FILE = 'p=$(cat -- "$1") || exit 1; case $p in ""|*[!0-9]*) echo "no pid in $1" >&2; exit 1;; esac; kill "$p"';
/** `$1` = pid file; exit 0 when the pid it holds is alive */
const ALIVE_BY_PID_FILE = 'p=$(cat -- "$1" 2>/dev/null) || exit 1; case $p in ""|*[!0-9]*) exit 1;; esac; kill -0 "$p" 2>/dev/null';

/** SIGTERM the process whose pid is in `pidFile` */
export function buildKillByPidFileCommand(pidFile: string): string {
  return quoteArgv(['sh', '-c', KILL_BY_PID_FILE, 'sh', pidFile]);
}

/** exit 0 when the process whose pid is in `pidFile` runs */
export function buildAliveByPidFileCommand(pidFile: string): string {
  return quoteArgv(['sh', '-c', ALIVE_BY_PID_FILE, 'sh', pidFile]);
}

/** `ip -n NS link set dev DEV up|down`; `dev` keeps a device named `up` or `mtu` a device */
export function buildLinkSetCommand(namespace: string, device: string, updown: 'up' | 'down'): string {
  return quoteArgv(['ip', '-n', namespace, 'link', 'set', 'dev', device, updown]);
}

/** continuous ping with timestamps (-D) from the upstream; `--` keeps a FIP like `-f` an address */
export function buildPingCommand(fip: string, intervalMs: number, namespace?: string): string {
  return quoteArgv(inNamespace(namespace, ['ping', '-D', '-n', '-i', (intervalMs / 1000).toFixed(1), '-W', '1', '--', fip]));
}
