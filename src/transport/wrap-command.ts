import { quoteShell } from './quote-shell';

/**
 * First line the wrapper writes on stderr: the pid of the remote command. It lets stop() and
 * command timeouts end the remote process with a separate `kill` exec: closing an SSH channel
 * without a pty does not kill the command (sshd only closes its pipes, and e.g. `sleep` or a
 * quiet `tcpdump` never notices), and a pty is not an option because it mangles binary output
 * (tcpdump -w -). The marker is stripped from stderr before anyone sees it.
 */
export const PID_MARKER = '__haprobe_pid=';

/** Words at the start of a guarded wrapper, followed by its token: found in /proc/<pid>/cmdline. */
export const GUARD_TAG = 'haprobe-guard';

/** `sudo -n sh -c '<cmd>'`: -n makes sudo fail at once instead of waiting for a password */
export function wrapSudo(command: string): string {
  return `sudo -n sh -c ${quoteShell(command)}`;
}

/**
 * The command line sent to the remote login shell. `exec` keeps the printed pid the pid of the
 * command's shell; without sudo that shell is the session leader sshd created (setsid), so its pid
 * is also the process group of everything the command starts.
 */
export function wrapCommand(command: string, sudo: boolean): string {
  const inner = `echo "${PID_MARKER}$$" >&2; exec sh -c ${quoteShell(command)}`;
  return sudo ? wrapSudo(inner) : inner;
}

export interface GuardOptions {
  /** unique per command ([A-Za-z0-9-] only): lets a later `killIfOurs` check a pid is still ours */
  token: string;
  /**
   * the descriptor whose EOF means "haprobe is gone": 0 over SSH (sshd closes the channel's stdin
   * pipe when the channel or the connection goes away; the command then gets /dev/null as input),
   * 3 for the local transport (a pipe only haprobe holds; the command keeps its stdin)
   */
  fd: 0 | 3;
  /**
   * second line of defence (a link that is dead but that sshd has not noticed yet): GNU `timeout`
   * ends the command after this many seconds, when installed. `--foreground` keeps it in the
   * wrapper's process group (plain `timeout` makes its own group, which the group kill of stop()
   * would then miss); it signals its child, the command's shell (which execs a simple command).
   */
  boundSeconds?: number;
}

/**
 * A wrapper that ends the command when haprobe goes away, even when haprobe cannot send a kill
 * (SIGKILL, crash, cut link — issue 8: tcpdump was still running 63 s later). The wrapper shell
 * prints the pid marker, starts the command in the background and a watchdog subshell that reads
 * the guard descriptor until EOF (haprobe never writes to it) and then sends TERM to the wrapper's
 * process group (its session when sshd or the local transport made it a leader), else to the
 * command and its children (under sudo the shell leads no group). When the command ends by itself
 * the wrapper kills the watchdog first, so a late EOF never signals a pid that may be reused.
 * Contract for the caller: keep the guard descriptor open (never end the channel's stdin) while the
 * command runs; the stdin of a guarded SSH command is /dev/null.
 */
export function wrapGuarded(command: string, sudo: boolean, o: GuardOptions): string {
  if (!/^[A-Za-z0-9-]+$/.test(o.token)) throw new Error(`bad guard token ${o.token}`);
  const bound = o.boundSeconds !== undefined && Number.isFinite(o.boundSeconds) && o.boundSeconds > 0
    ? `timeout --foreground 9 true >/dev/null 2>&1 && T='timeout --foreground -k 5 ${Math.ceil(o.boundSeconds)}'; `
    : '';
  // a background command's stdin is /dev/null unless redirected explicitly: fd 4 carries it over
  const input = o.fd === 0 ? ' </dev/null' : ' <&4 4<&-';
  const inner = [
    `: ${GUARD_TAG} ${o.token}`,
    `echo "${PID_MARKER}$$" >&2`,
    o.fd === 0 ? 'exec 3<&0' : 'exec 4<&0',
    `T=; ${bound}$T sh -c ${quoteShell(command)}${input} 3<&- &`,
    'c=$!',
    '( while read -r _ <&3; do :; done; kill -TERM -- -$$ 2>/dev/null || { pkill -TERM -P $c; kill -TERM $c; } ) >/dev/null 2>&1 4<&- &',
    'w=$!',
    'exec 3<&- 4<&-',
    'wait $c; r=$?',
    'kill $w 2>/dev/null',
    'exit $r',
  ].join('\n');
  return sudo ? wrapSudo(inner) : inner;
}

/**
 * Kill the wrapped command: its process group when it leads one, else the process and its direct
 * children (under sudo the shell is not a group leader). By pid only, never by name.
 */
export function killCommand(pid: number, signal: 'TERM' | 'KILL', sudo: boolean): string {
  const cmd = `kill -${signal} -- -${pid} 2>/dev/null || { pkill -${signal} -P ${pid} 2>/dev/null; kill -${signal} ${pid}; }`;
  return sudo ? wrapSudo(cmd) : cmd;
}

/**
 * killCommand, but only if `pid` still runs the guarded wrapper with this token: for commands whose
 * connection was lost, where haprobe cannot know whether the command ended and its pid was reused.
 * The tag is split in the text so that this command's own shell never matches itself.
 */
export function killIfOursCommand(pid: number, token: string, signal: 'TERM' | 'KILL', sudo: boolean): string {
  if (!/^[A-Za-z0-9-]+$/.test(token)) throw new Error(`bad guard token ${token}`);
  const [head, ...rest] = GUARD_TAG.split('-');
  const cmd = `tr '\\0' ' ' </proc/${pid}/cmdline 2>/dev/null | grep -qF "${head}""-${rest.join('-')} ${token}" && { ${killCommand(pid, signal, false)}; }`;
  return sudo ? wrapSudo(cmd) : cmd;
}
