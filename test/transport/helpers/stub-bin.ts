import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Stub binaries for injection tests (issue 8): a temp dir of scripts named like the tools
 * haprobe runs on a node, each appending its argv to a log and doing nothing else, except what a
 * command needs to go on: `ip netns exec NS CMD…` execs CMD (so the inner tool is recorded too),
 * `ip netns list` and `ovs-vsctl list-br` print $STUB_NETNS / $STUB_BRIDGES, `sudo -n` execs the
 * rest. A command run under `sh -c` with these first on PATH executes no real tool.
 */
export const STUB_NAMES = [
  'ip', 'tcpdump', 'ping', 'kill', 'cat', 'grep', 'arping', 'ovs-vsctl', 'ovs-ofctl', 'iptables-save', 'iptables', 'ovs-appctl',
  'keepalived', 'ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'sysctl', 'mount', 'mkdir', 'sleep', 'sshd', 'sudo',
  // the lab holder names its node and execs its init: never the real ones from a test
  'hostname', 'bash', 'unshare', 'nsenter',
  // the OVN gateway drill (issue 11)
  'ovn-sbctl', 'ovn-controller', 'ovn-appctl',
];

/* argv fields are separated by US (0x1f), calls by RS (0x1e): no hostile value below uses them */
const STUB = `#!/bin/sh
n=\${0##*/}
# one record, one write: stubs of a pipeline (ip … | grep …) run at once and must not interleave
rec=$(printf '%s' "$n"; for a in "$@"; do printf '\\037%s' "$a"; done; printf '\\036')
printf '%s' "$rec" >> "$STUB_LOG"
case "$n" in
  ip)
    if [ "$1" = netns ] && [ "$2" = exec ]; then shift 3; exec "$@"; fi
    if [ "$1" = netns ] && [ "$2" = list ]; then printf '%s' "$STUB_NETNS"; fi ;;
  ovs-vsctl) for a in "$@"; do [ "$a" = list-br ] && printf '%s' "$STUB_BRIDGES"; done ;;
  sudo) [ "$1" = -n ] && shift; exec "$@" ;;
esac
exit 0
`;

export interface StubRun {
  /** each call: [tool, arg1, arg2, …] in order */
  calls: string[][];
  /** what the cwd holds after the run, besides the seed files */
  leftovers: string[];
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface StubBin {
  dir: string;
  /** empty temp cwd, seeded with GLOB_A and GLOB_B so that an expanded `*` shows */
  cwd: string;
  /** env for a run: stubs first on PATH, the log, the fake outputs */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** `sh -c command` in cwd with the stubs; clears the log and the cwd first */
  run(command: string, extra?: Record<string, string>): StubRun;
  /** same for an argv (e.g. a holder's `sh -c SCRIPT sh DIR`) */
  runArgv(argv: string[], extra?: Record<string, string>): StubRun;
  /** read the log written since the last reset (runs that go through another path, e.g. sshd) */
  collect(): StubRun;
  reset(): void;
  remove(): void;
}

export const SEEDS = ['GLOB_A', 'GLOB_B'];

export function makeStubBin(): StubBin {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'haprobe-stubs-'));
  fs.chmodSync(root, 0o755);
  const dir = path.join(root, 'bin');
  const cwd = path.join(root, 'cwd');
  const log = path.join(root, 'argv.log');
  fs.mkdirSync(dir);
  fs.mkdirSync(cwd);
  for (const n of STUB_NAMES) fs.writeFileSync(path.join(dir, n), STUB, { mode: 0o755 });
  const reset = (): void => {
    for (const f of fs.readdirSync(cwd)) fs.rmSync(path.join(cwd, f), { recursive: true, force: true });
    for (const s of SEEDS) fs.writeFileSync(path.join(cwd, s), '');
    fs.writeFileSync(log, '');
  };
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...process.env, PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, STUB_LOG: log, STUB_NETNS: '', STUB_BRIDGES: '', ...extra,
  });
  const collect = (r: { status: number | null; stdout: string; stderr: string } = { status: 0, stdout: '', stderr: '' }): StubRun => ({
    ...r,
    calls: fs.readFileSync(log, 'utf8').split('\x1e').filter((c) => c !== '').map((c) => c.split('\x1f')),
    leftovers: fs.readdirSync(cwd).filter((f) => !SEEDS.includes(f)),
  });
  const runArgv = (argv: string[], extra?: Record<string, string>): StubRun => {
    reset();
    const r = spawnSync(argv[0], argv.slice(1), { cwd, env: env(extra), encoding: 'utf8', timeout: 10_000 });
    return collect({ status: r.status, stdout: r.stdout, stderr: r.stderr });
  };
  reset();
  return {
    dir, cwd, env, runArgv, reset,
    run: (command, extra) => runArgv(['/bin/sh', '-c', command], extra),
    collect: () => collect(),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
