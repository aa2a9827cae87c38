import { expect } from 'chai';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { labPaths, restoreRouter } from '../../src/lab';
import { useGarpLab } from '../garp/lab-session';
import { startTcpProxy } from './tcp-proxy';
import { listProcesses, type ProcInfo, remoteProcessesOf, stillRunning, underOtherEngine, waitFor } from './remote-processes';

/**
 * Issue 8, "nothing left running on a node", end to end: the real CLI (`garp watch` live, `drill
 * failover`) over SSH against the l3ha lab, ended by each signal or by a cut link. haprobe's
 * remote processes are identified by its guard tag and pid (remote-processes.ts), never by name.
 * Run under `flock /tmp/haprobe-lab.lock`.
 */

const BIN = path.resolve(__dirname, '../../src/cli/bin.js');
const PROFILE = 'neutron-l3ha';
/** how long the remote processes may take to end after haprobe goes, ms */
const LEFT_BEHIND_MS = 5000;

interface Cli {
  child: ChildProcess;
  /** haprobe-shaped captures (tcpdump -U --immediate-mode) running before this CLI started */
  baseline: Set<string>;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** haprobe's capture command line (capture/live.ts), pid:start as key */
const captures = (): ProcInfo[] => {
  const all = listProcesses();
  // not the real-engine suites' captures, which run beside this suite (npm test's two lanes)
  return all.filter((p) => p.comm === 'tcpdump' && p.args.includes('-U --immediate-mode -w -') && !underOtherEngine(p, all));
};
const keyOf = (p: ProcInfo): string => `${p.pid}:${p.start}`;

function startCli(args: string[]): Cli {
  const baseline = new Set(captures().map(keyOf));
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, baseline, stderr: () => err, exited };
}

async function settled<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let wake = (): void => undefined;
  const late = new Promise<undefined>((res) => (wake = () => res(undefined)));
  const timer = setTimeout(() => wake(), ms);
  const r = await Promise.race([p, late]);
  clearTimeout(timer);
  return r;
}

/**
 * haprobe's remote processes once `comm` runs among them: its guard wrappers and their descendants,
 * plus captures that appeared since it started (under the lab lock only this CLI starts them) — the
 * latter also finds the unguarded tcpdump of a haprobe without the guard (the old code).
 */
async function runningRemote(cli: Cli, comms: string[]): Promise<ProcInfo[]> {
  let procs: ProcInfo[] = [];
  const ok = await waitFor(() => {
    const tagged = remoteProcessesOf(cli.child.pid!);
    const seen = new Set(tagged.map(keyOf));
    procs = [...tagged, ...captures().filter((p) => !cli.baseline.has(keyOf(p)) && !seen.has(keyOf(p)))];
    return comms.every((c) => procs.some((p) => p.comm === c));
  }, 20_000);
  expect(ok, `no ${comms.join('+')} of haprobe ${cli.child.pid} on the nodes; stderr: ${cli.stderr()}`).to.equal(true);
  return procs;
}

function describeLeft(procs: ProcInfo[]): string {
  return procs.map((p) => `${p.pid} ${p.args.slice(0, 120)}`).join('\n');
}

describe('hardening: signals and a cut link leave nothing running on the nodes (l3ha) @lab', function () {
  this.timeout(120_000);
  const lab = useGarpLab(PROFILE);
  const started: Cli[] = [];

  afterEach(async () => {
    // only what this test started, by pid
    for (const c of started.splice(0)) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  });

  const watch = (inventory: string): Cli => {
    const c = startCli(['garp', 'watch', '--inventory', inventory, '--node', 'net1', '--on', 'br-ex', '--duration', '120s', '--format', 'json']);
    started.push(c);
    return c;
  };

  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as const) {
    it(`${sig} to a live garp watch: tcpdump and its wrapper are gone from the node within ${LEFT_BEHIND_MS} ms`, async () => {
      const cli = watch(labPaths(lab().stateDir).inventory);
      const procs = await runningRemote(cli, ['tcpdump']);
      expect(procs.find((p) => p.comm === 'tcpdump')!.args).to.include('-i br-ex');
      // a LIVE watch: tcpdump said "listening on" (a signal before that is "capture stopped before tcpdump was
      // listening", exit 3 — the run of 2026-12-01 sent SIGHUP in that gap under load)
      expect(await waitFor(() => /capture ready on/.test(cli.stderr()), 20_000), cli.stderr()).to.equal(true);
      const t0 = Date.now();
      cli.child.kill(sig);
      const exit = await settled(cli.exited, 15_000);
      expect(exit, `haprobe did not exit after ${sig}`).to.not.equal(undefined);
      expect(await waitFor(() => stillRunning(procs).length === 0, LEFT_BEHIND_MS), `left on the node after ${sig}:\n${describeLeft(stillRunning(procs))}`).to.equal(true);
      // eslint-disable-next-line no-console
      console.log(`      ${sig}: haprobe exit ${exit!.code ?? exit!.signal}, node clean after ${Date.now() - t0} ms`);
      if (sig !== 'SIGKILL') {
        expect(exit!.code, cli.stderr()).to.be.oneOf([0, 1]);
        expect(cli.stderr()).to.not.match(/internal error|\n\s+at /);
      }
    });
  }

  it(`a cut link (TCP proxy dropped): tcpdump is gone from the node within ${LEFT_BEHIND_MS} ms and haprobe ends`, async () => {
    const paths = labPaths(lab().stateDir);
    const net1 = lab().inventory.nodes.find((n) => n.name === 'net1')!;
    const proxy = await startTcpProxy(net1.address, net1.port);
    try {
      const hostKey = fs.readFileSync(paths.knownHosts, 'utf8').split('\n').find((l) => l.startsWith(`${net1.address} `))!.split(' ').slice(1).join(' ');
      const kh = path.join(lab().tmp, 'known_hosts.proxy');
      fs.writeFileSync(kh, `[127.0.0.1]:${proxy.port} ${hostKey}\n`);
      const inv = path.join(lab().tmp, 'inventory.proxy.yaml');
      fs.writeFileSync(inv, JSON.stringify({ knownHosts: kh, nodes: [{ name: 'net1', address: '127.0.0.1', port: proxy.port, user: 'root', identityFile: paths.key, roles: ['network'] }] }));
      const cli = watch(inv);
      const procs = await runningRemote(cli, ['tcpdump']);
      const t0 = Date.now();
      await proxy.cut();
      expect(await waitFor(() => stillRunning(procs).length === 0, LEFT_BEHIND_MS), `left on the node after the cut:\n${describeLeft(stillRunning(procs))}`).to.equal(true);
      const exit = await settled(cli.exited, 20_000);
      // eslint-disable-next-line no-console
      console.log(`      cut link: node clean after ${Date.now() - t0} ms, haprobe exit ${exit?.code ?? exit?.signal ?? 'none yet'}`);
      expect(exit, `haprobe did not end after the cut link: ${cli.stderr()}`).to.not.equal(undefined);
      expect(cli.stderr()).to.not.match(/internal error|\n\s+at /);
    } finally {
      await proxy.close();
    }
  });

  const drill = (): Cli => {
    const paths = labPaths(lab().stateDir);
    const c = startCli(['drill', 'failover', '--inventory', paths.inventory, '--facts', paths.facts, '--profile', PROFILE, '--fault', 'kill-keepalived', '--via', 'lab', '--state-dir', lab().stateDir, '--yes-i-mean-it']);
    started.push(c);
    return c;
  };
  const primaries = async (): Promise<string[]> => {
    const r = lab().facts().routers.find((x) => x.mode === 'ha')!;
    const states = await Promise.all(r.hosts.map(async (n) => [n, (await lab().ssh(n, `cat /var/lib/neutron/ha_confs/${r.id}/state`)).trim()]));
    return states.filter(([, s]) => s === 'primary').map(([n]) => n);
  };

  it('SIGINT to drill failover before the fault: nothing injected, says so, exit 1, the primary unchanged, nothing left running', async () => {
    const before = await primaries();
    expect(before).to.have.length(1);
    const cli = drill();
    expect(await waitFor(() => /primary \S+; budget/.test(cli.stderr()), 30_000, 20), cli.stderr()).to.equal(true);
    const procs = remoteProcessesOf(cli.child.pid!);
    cli.child.kill('SIGINT');
    const exit = await settled(cli.exited, 30_000);
    const err = cli.stderr();
    expect(exit?.code, err).to.equal(1);
    expect(err).to.include('cancelled (SIGINT) before the fault: nothing was injected');
    expect(err).to.not.match(/fault: kill-keepalived on/);
    expect(await restoreRouter({ stateDir: lab().stateDir }), 'lab failovers recorded').to.deep.equal([]);
    expect(await primaries()).to.deep.equal(before);
    const left = [...stillRunning(procs), ...remoteProcessesOf(cli.child.pid!)];
    expect(left, describeLeft(left)).to.deep.equal([]);
  });

  it('SIGTERM to drill failover after the fault: restores what it changed, says so, exit 1, one primary, nothing left running', async () => {
    const cli = drill();
    expect(await waitFor(() => /fault: kill-keepalived on \S+/.test(cli.stderr()), 45_000, 20), cli.stderr()).to.equal(true);
    const procs = await runningRemote(cli, ['tcpdump', 'ping']);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    cli.child.kill('SIGTERM');
    const exit = await settled(cli.exited, 90_000);
    const err = cli.stderr();
    // eslint-disable-next-line no-console
    console.log(`      drill cancelled after the fault: exit ${exit?.code} after ${Date.now() - t0} ms`);
    expect(exit?.code, err).to.equal(1);
    expect(err).to.match(/cancelled \(SIGTERM\) after the fault/);
    expect(err).to.match(/restored: lab restore: 1 failover\(s\) undone/);
    expect(await restoreRouter({ stateDir: lab().stateDir }), 'failovers left to undo').to.deep.equal([]);
    expect(await primaries()).to.have.length(1);
    expect(await waitFor(() => stillRunning(procs).length === 0, LEFT_BEHIND_MS), describeLeft(stillRunning(procs))).to.equal(true);
  });
});
