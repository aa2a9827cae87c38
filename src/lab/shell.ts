import { spawn } from 'node:child_process';
import { HaprobeError } from '../errors';

/**
 * The lab's only way to run programs: bash scripts on the host or inside a node
 * (nsenter into the node's holder: its mount namespace with the private /run/netns,
 * OVS sockets and /var/lib/neutron, its network namespace, its PID and UTS namespaces).
 */
export interface ShellResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runArgv(argv: string[], stdin: string, timeoutMs = 120_000): Promise<ShellResult> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: stderr + String(err) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}

function check(res: ShellResult, what: string): string {
  if (res.code !== 0) {
    const tail = res.stderr.trim().split('\n').slice(-4).join(' | ');
    throw new HaprobeError('lab', `${what} failed (exit ${String(res.code)}): ${tail}`);
  }
  return res.stdout;
}

/** run a bash script on the host; throws a lab error with the stderr tail on failure */
export async function hostScript(script: string, what: string, timeoutMs?: number): Promise<string> {
  return check(await runArgv(['bash', '-s'], script, timeoutMs), what);
}

/** run a bash script inside the node whose holder is `holderPid` */
export async function nodeScript(holderPid: number, script: string, what: string, timeoutMs?: number): Promise<string> {
  return check(await runArgv(nodeArgv(holderPid, ['bash', '-s']), script, timeoutMs), what);
}

/**
 * argv that runs `argv` inside a node: its mount, network, UTS and PID namespaces (so daemons
 * started there are the node's processes, see only its /proc and report its hostname)
 */
export function nodeArgv(holderPid: number, argv: string[]): string[] {
  return ['nsenter', '-t', String(holderPid), '-m', '-n', '-u', '-p', '--', ...argv];
}

/** same, but never throws */
export function tryNodeScript(holderPid: number, script: string, timeoutMs?: number): Promise<ShellResult> {
  return runArgv(nodeArgv(holderPid, ['bash', '-s']), script, timeoutMs);
}
