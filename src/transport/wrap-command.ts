import { quoteShell } from './quote-shell';

/**
 * First line the wrapper writes on stderr: the pid of the remote command. It lets stop() and
 * command timeouts end the remote process with a separate `kill` exec: closing an SSH channel
 * without a pty does not kill the command (sshd only closes its pipes, and e.g. `sleep` or a
 * quiet `tcpdump` never notices), and a pty is not an option because it mangles binary output
 * (tcpdump -w -). The marker is stripped from stderr before anyone sees it.
 */
export const PID_MARKER = '__haprobe_pid=';

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

/**
 * Kill the wrapped command: its process group when it leads one, else the process and its direct
 * children (under sudo the shell is not a group leader). By pid only, never by name.
 */
export function killCommand(pid: number, signal: 'TERM' | 'KILL', sudo: boolean): string {
  const cmd = `kill -${signal} -- -${pid} 2>/dev/null || { pkill -${signal} -P ${pid} 2>/dev/null; kill -${signal} ${pid}; }`;
  return sudo ? wrapSudo(cmd) : cmd;
}
