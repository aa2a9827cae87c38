import { buildDefaultRouteProbeCommand, buildDefaultRouteReplaceCommand, buildNovaRoleProbeCommand, buildNovaStopNodeCommand, buildRootLinkSetCommand, buildRootLinksSetCommand } from '../../src/garp/nova-drill-commands';
import { buildOvnBfdStatusCommand, buildOvnChassisProbeCommand, buildOvnControllerExitCommand, buildOvnGarpSettingsCommand, buildOvnControllerStartCommand, buildOvnSbClaimCommand, buildOvnSbGatewaysCommand } from '../../src/garp/ovn-drill-commands';
import * as net from 'node:net';
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCaptureCommand, CAPTURE_FILTER } from '../../src/capture/live';
import { buildVrrpListenCommand, VRRP_FILTER } from '../../src/capture/listen-vrrp';
import { buildSnapshotScript } from '../../src/collect/script';
import { buildDoctorProbeScript } from '../../src/doctor/probe-script';
import { buildAliveByPidFileCommand, buildKillByPidFileCommand, buildLinkSetCommand, buildPingCommand } from '../../src/garp/drill-commands';
import { keepalivedPidFile } from '../../src/garp/drill-failover';
import { buildHaStateCommand } from '../../src/garp/read-ha-states';
import { buildNeighCommand, buildRouteGetCommand } from '../../src/garp/read-upstream';
import { labPaths } from '../../src/lab/paths';
import { buildFdbShowCommand } from '../../src/where/read-live-fdb';
import { buildPlan } from '../../src/lab/plan';
import { HOLDER_INIT, HOLDER_MARK, holderArgv, renderNodeInfra, sshdCommand } from '../../src/lab/render-host';
import { quoteArgv, quoteWord } from '../../src/transport/quote-shell';
import { wrapCommand } from '../../src/transport/wrap-command';
import { makeStubBin, type StubBin, type StubRun } from './helpers/stub-bin';

/**
 * Issue 8, shell injection: every builder of a command haprobe runs (on a node as root, or
 * locally for the lab) walked with hostile values, the built text run under `sh -c` with stub
 * binaries on PATH in a temp cwd. Nothing may execute (no file appears in the cwd), nothing may
 * glob-expand (the cwd's GLOB_A/GLOB_B never show up), and each stub must get the value as
 * exactly one argument. Each command also runs wrapped as the SSH transport sends it
 * (`echo pid; exec sh -c …` under `sudo -n sh -c …`, sudo stubbed).
 */
export const HOSTILE = [
  '$(touch PWNED)',
  '`touch PWNED`',
  'x;touch PWNED',
  'x\ntouch PWNED',
  "it's'; touch PWNED; '",
  '"$(touch PWNED)"',
  '*',
  'GLOB_*',
  '-f',
  '--help',
  'a b\tc',
  '$HOME',
  'x|touch PWNED',
  'x&&touch PWNED',
  '>PWNED',
  '\\',
  '~root',
  '{a,b}',
  '#x',
  'vlan#10',
];

function expectClean(r: StubRun, what: string): void {
  expect(r.leftovers, `${what}: something ran (files created in the cwd)`).to.deep.equal([]);
  for (const c of r.calls) expect(c.some((a) => /GLOB_[AB]/.test(a)), `${what}: glob expanded in ${JSON.stringify(c)}`).to.equal(false);
}

function expectCalls(r: StubRun, expected: string[][], what: string): void {
  for (const e of expected) expect(r.calls, `${what}: no call ${JSON.stringify(e)}`).to.deep.include(e);
}

interface Case {
  name: string;
  build: (v: string) => string;
  /** the argv each stub must have received */
  expect: (v: string) => string[][];
}

const SP = '/var/lib/neutron';
const SB_SOCK_DIR = path.join(os.tmpdir(), `haprobe-inject-ovnsb-${process.pid}`);
const OVN_SBCTL = ['ovn-sbctl', `--db=unix:${SB_SOCK_DIR}/ovnsb_db.sock`, '--no-leader-only', '--timeout=5', '--format=json', '--data=json', '--'];
const CASES: Case[] = [
  {
    name: 'ha state: router id',
    build: (v) => buildHaStateCommand(v, SP, 'ha-1', '169.254.0.1'),
    expect: (v) => [['cat', '--', `${SP}/ha_confs/${v}/state`], ['ip', '-n', `qrouter-${v}`, '-o', '-4', 'addr', 'show', 'dev', 'ha-1'], ['grep', '-qF', '--', ' 169.254.0.1/']],
  },
  { name: 'ha state: state path', build: (v) => buildHaStateCommand('r1', v), expect: (v) => [['cat', '--', `${v}/ha_confs/r1/state`]] },
  { name: 'ha state: ha- device', build: (v) => buildHaStateCommand('r1', SP, v, '169.254.0.1'), expect: (v) => [['ip', '-n', 'qrouter-r1', '-o', '-4', 'addr', 'show', 'dev', v]] },
  { name: 'ha state: VIP (haVrId)', build: (v) => buildHaStateCommand('r1', SP, 'ha-1', `169.254.0.${v}`), expect: (v) => [['grep', '-qF', '--', ` 169.254.0.${v}/`]] },
  { name: 'upstream neigh: FIP', build: (v) => buildNeighCommand(v), expect: (v) => [['ip', 'neigh', 'show', 'to', v]] },
  {
    name: 'upstream neigh: namespace',
    build: (v) => buildNeighCommand('192.0.2.1', v),
    expect: (v) => [['ip', 'netns', 'exec', v, 'ip', 'neigh', 'show', 'to', '192.0.2.1'], ['ip', 'neigh', 'show', 'to', '192.0.2.1']],
  },
  { name: 'upstream route get: FIP', build: (v) => buildRouteGetCommand(v, 'up'), expect: (v) => [['ip', 'netns', 'exec', 'up', 'ip', '-o', 'route', 'get', 'to', v], ['ip', '-o', 'route', 'get', 'to', v]] },
  { name: 'upstream route get: namespace', build: (v) => buildRouteGetCommand('192.0.2.1', v), expect: (v) => [['ip', 'netns', 'exec', v, 'ip', '-o', 'route', 'get', 'to', '192.0.2.1']] },
  { name: 'drill ping: --fip', build: (v) => buildPingCommand(v, 200), expect: (v) => [['ping', '-D', '-n', '-i', '0.2', '-W', '1', '--', v]] },
  { name: 'drill ping: upstream namespace', build: (v) => buildPingCommand('192.0.2.1', 200, v), expect: (v) => [['ip', 'netns', 'exec', v, 'ping', '-D', '-n', '-i', '0.2', '-W', '1', '--', '192.0.2.1']] },
  { name: 'drill link down: namespace (qrouter-<router id>)', build: (v) => buildLinkSetCommand(`qrouter-${v}`, 'ha-1', 'down'), expect: (v) => [['ip', '-n', `qrouter-${v}`, 'link', 'set', 'dev', 'ha-1', 'down']] },
  { name: 'drill link up: ha- device', build: (v) => buildLinkSetCommand('qrouter-r1', v, 'up'), expect: (v) => [['ip', '-n', 'qrouter-r1', 'link', 'set', 'dev', v, 'up']] },
  { name: 'drill kill keepalived: router id', build: (v) => buildKillByPidFileCommand(keepalivedPidFile(SP, v)), expect: (v) => [['cat', '--', `${SP}/ha_confs/${v}.pid.keepalived`]] },
  { name: 'drill kill keepalived: state path', build: (v) => buildKillByPidFileCommand(keepalivedPidFile(v, 'r1')), expect: (v) => [['cat', '--', `${v}/ha_confs/r1.pid.keepalived`]] },
  { name: 'drill keepalived respawned: router id', build: (v) => buildAliveByPidFileCommand(keepalivedPidFile(SP, v)), expect: (v) => [['cat', '--', `${SP}/ha_confs/${v}.pid.keepalived`]] },
  {
    name: 'capture: device',
    build: (v) => buildCaptureCommand({ device: v }),
    expect: (v) => [['tcpdump', '-U', '--immediate-mode', '-w', '-', '-s', '128', '-i', v, '--', CAPTURE_FILTER]],
  },
  {
    name: 'capture: namespace',
    build: (v) => buildCaptureCommand({ device: 'qg-1', namespace: v, direction: 'out' }),
    expect: (v) => [['ip', 'netns', 'exec', v, 'tcpdump', '-U', '--immediate-mode', '-Q', 'out', '-w', '-', '-s', '128', '-i', 'qg-1', '--', CAPTURE_FILTER]],
  },
  // run --listen-vrrp (issue 12): namespace and ha- device names come from the node's own snapshot
  { name: 'listen VRRP: namespace', build: (v) => buildVrrpListenCommand(v, 'ha-1', 6000), expect: (v) => [['ip', 'netns', 'exec', v, 'timeout', '16', 'tcpdump', '-U', '--immediate-mode', '-Q', 'in', '-w', '-', '-s', '128', '-i', 'ha-1', '--', VRRP_FILTER]] },
  { name: 'listen VRRP: device', build: (v) => buildVrrpListenCommand('qrouter-1', v, 6000), expect: (v) => [['ip', 'netns', 'exec', 'qrouter-1', 'timeout', '16', 'tcpdump', '-U', '--immediate-mode', '-Q', 'in', '-w', '-', '-s', '128', '-i', v, '--', VRRP_FILTER]] },
  // the probe pins PATH as the snapshot does: the stubs go first here
  { name: 'doctor probe: --neutron-state-path', build: (v) => buildDoctorProbeScript({ statePath: v }).replace('PATH=/usr/local/sbin', 'PATH=$PATH:/usr/local/sbin'), expect: (v) => [['grep', '-H', '-c', '', '--', `${v}/ha_confs/*/state`]] },
  { name: 'where: OVS FDB bridge', build: (v) => buildFdbShowCommand(['br-int', v]), expect: (v) => [['ovs-appctl', 'fdb/show', 'br-int'], ['ovs-appctl', 'fdb/show', v]] },

  // nova hot standby drill (issue 9)
  { name: 'nova drill probe: bridge', build: (v) => buildNovaRoleProbeCommand(v, 'eth0'), expect: (v) => [['ip', '-o', '-4', 'addr', 'show', 'dev', v], ['ip', '-o', 'link', 'show', 'dev', 'eth0']] },
  { name: 'nova drill probe: public_interface', build: (v) => buildNovaRoleProbeCommand('br100', v), expect: (v) => [['ip', '-o', 'link', 'show', 'dev', v]] },
  { name: 'nova drill link: flat_interface', build: (v) => buildRootLinkSetCommand(v, 'down'), expect: (v) => [['ip', 'link', 'set', 'dev', v, 'down']] },
  { name: 'nova drill stop-node: pid file', build: (v) => buildNovaStopNodeCommand(v, ['eth0']), expect: (v) => [['cat', '--', v]] },
  { name: 'nova drill stop-node: device', build: (v) => buildNovaStopNodeCommand('/run/keepalived.pid', [v]), expect: () => [['cat', '--', '/run/keepalived.pid']] },
  { name: 'nova multi-NIC drill links: device', build: (v) => buildRootLinksSetCommand(['eth0', v], 'down'), expect: (v) => [['ip', 'link', 'set', 'dev', 'eth0', 'down'], ['ip', 'link', 'set', 'dev', v, 'down']] },
  { name: 'nova multi-NIC drill default route (no value: fixed argv)', build: () => buildDefaultRouteProbeCommand(), expect: () => [['ip', '-o', '-4', 'route', 'show', 'default']] },
  { name: 'nova multi-NIC drill route restore: gateway', build: (v) => buildDefaultRouteReplaceCommand({ via: v, dev: 'eth0' }), expect: (v) => [['ip', 'route', 'replace', 'default', 'via', v, 'dev', 'eth0']] },
  { name: 'nova multi-NIC drill route restore: device', build: (v) => buildDefaultRouteReplaceCommand({ via: '203.0.113.1', dev: v }), expect: (v) => [['ip', 'route', 'replace', 'default', 'via', '203.0.113.1', 'dev', v]] },
  { name: 'capture: filter', build: (v) => buildCaptureCommand({ device: 'br-ex', filter: v }), expect: (v) => [['tcpdump', '-U', '--immediate-mode', '-w', '-', '-s', '128', '-i', 'br-ex', '--', v]] },

  // OVN gateway drill (issue 11): SB_SOCK_DIR holds a unix socket named ovnsb_db.sock (made in before())
  { name: 'ovn drill SB claim: cr-lrp name', build: (v) => buildOvnSbClaimCommand(v, [SB_SOCK_DIR]), expect: (v) => [[...OVN_SBCTL, '--columns=_uuid,name,hostname', 'list', 'Chassis', '--', '--columns=_uuid,logical_port,chassis,additional_chassis', 'find', 'Port_Binding', `logical_port=${v}`]] },
  { name: 'ovn drill SB claim: run dir', build: (v) => buildOvnSbClaimCommand('cr-lrp-1', [v, SB_SOCK_DIR]), expect: () => [[...OVN_SBCTL, '--columns=_uuid,name,hostname', 'list', 'Chassis', '--', '--columns=_uuid,logical_port,chassis,additional_chassis', 'find', 'Port_Binding', 'logical_port=cr-lrp-1']] },
  { name: 'ovn drill SB gateways: run dir', build: (v) => buildOvnSbGatewaysCommand([v]), expect: () => [] },
  { name: 'ovn drill chassis probe: run dir', build: (v) => buildOvnChassisProbeCommand([v]), expect: () => [['ovs-vsctl', '--timeout=5', 'list-br'], ['ip', '-o', '-4', 'addr', 'show']] },
  { name: 'ovn G-ARP settings (no value: fixed argv)', build: () => buildOvnGarpSettingsCommand(), expect: () => [['ovn-controller', '--version'], ['ovs-vsctl', '--timeout=5', '--if-exists', 'get', 'Open_vSwitch', '.', 'external_ids:garp-max-timeout-sec']] },
  { name: 'ovn drill BFD status (no value: fixed argv)', build: () => buildOvnBfdStatusCommand(), expect: () => [['ovs-vsctl', '--timeout=5', '--format=json', '--data=json', '--', '--columns=external_ids', 'list', 'Open_vSwitch', '--', '--columns=name,type,options,bfd,bfd_status', 'list', 'Interface']] },
  { name: 'ovn drill exit-ovn-controller: pid file', build: (v) => buildOvnControllerExitCommand(`/run/${v}/ovn-controller.pid`, 35), expect: (v) => [['ovn-appctl', '-t', `/run/${v}/ovn-controller.35.ctl`, 'exit']] },
  { name: 'ovn drill restart: a word of the recorded command line', build: (v) => buildOvnControllerStartCommand(['ovn-controller', v, '--detach']), expect: (v) => [['ovn-controller', v, '--detach']] },
];

describe('hardening: no value reaches a shell as code (issue 8)', function () {
  this.timeout(120_000);
  let stubs: StubBin;
  let tmp: string;
  before(() => {
    stubs = makeStubBin();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'haprobe-inject-'));
  });
  after(() => {
    stubs.remove();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  let sbSock: net.Server | undefined;
  before((done) => {
    fs.mkdirSync(SB_SOCK_DIR, { recursive: true });
    sbSock = net.createServer().listen(path.join(SB_SOCK_DIR, 'ovnsb_db.sock'), () => done());
  });
  after(() => {
    sbSock?.close();
    fs.rmSync(SB_SOCK_DIR, { recursive: true, force: true });
  });

  describe('registry: nothing builds a remote command outside the walked builders', () => {
    const SRC = path.join(__dirname, '..', '..', '..', 'src');
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    // src/lab runs its own fixed plan (its user values are checked against the plan first);
    // src/transport is the wrapping itself
    const product = (): string[] => files(SRC).filter((f) => !/[/\\](lab|transport)[/\\]/.test(f));
    const WALKED = ['buildHaStateCommand', 'buildNeighCommand', 'buildRouteGetCommand', 'buildPingCommand', 'buildLinkSetCommand',
      'buildKillByPidFileCommand', 'buildAliveByPidFileCommand', 'buildCaptureCommand', 'buildSnapshotScript', 'buildDoctorProbeScript', 'buildFdbShowCommand',
      'buildNovaRoleProbeCommand', 'buildRootLinkSetCommand', 'buildNovaStopNodeCommand', 'buildRootLinksSetCommand', 'buildDefaultRouteProbeCommand', 'buildDefaultRouteReplaceCommand',
      'buildOvnSbGatewaysCommand', 'buildOvnSbClaimCommand', 'buildOvnChassisProbeCommand', 'buildOvnControllerStartCommand', 'buildOvnBfdStatusCommand',
      'buildVrrpListenCommand', 'buildOvnGarpSettingsCommand', 'buildOvnControllerExitCommand'];

    it('every exported build…Command / build…Script is walked by this file', () => {
      const found = product().flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/export function (build\w*(?:Command|Script))\b/g)].map((m) => m[1]));
      expect(found.sort()).to.deep.equal([...WALKED].sort());
    });

    it('no exec()/stream() is handed a template string with a value in it', () => {
      for (const f of product()) {
        expect(fs.readFileSync(f, 'utf8'), path.relative(SRC, f)).to.not.match(/\.(exec|stream)\(`[^`]*\$\{/);
      }
    });
  });

  describe('quoteArgv, the one quoting function', () => {
    it('every argv comes back from sh as the same argv', () => {
      const argv = ['printf', '%s\\0', ...HOSTILE, '', "'", '"', '-', 'a=b'];
      const r = stubs.run(quoteArgv(argv));
      expect(r.status).to.equal(0);
      expect(r.stdout.split('\0').slice(0, -1)).to.deep.equal(argv.slice(2));
      expectClean(r, 'printf');
    });

    it('leaves plain words bare (recorded commands stay readable) and quotes the rest', () => {
      expect(quoteArgv(['ip', '-n', 'qrouter-1a2b', 'addr', 'show', 'dev', 'ha-1a2b'])).to.equal('ip -n qrouter-1a2b addr show dev ha-1a2b');
      expect(quoteWord('vlan#10')).to.equal("'vlan#10'");
      expect(quoteWord('')).to.equal("''");
      expect(quoteArgv(['A=1', 'x'])).to.equal("'A=1' x");
    });
  });

  for (const c of CASES) {
    it(`${c.name}: each hostile value runs nothing, expands nothing, arrives as one argument`, () => {
      for (const v of HOSTILE) {
        const cmd = c.build(v);
        for (const [how, text] of [['sh -c', cmd], ['as the SSH transport wraps it, under sudo', wrapCommand(cmd, true)]] as const) {
          const r = stubs.run(text);
          const what = `${c.name} ${JSON.stringify(v)} (${how})`;
          expectClean(r, what);
          expectCalls(r, c.expect(v), what);
        }
      }
    });
  }

  it('drill kill: a pid file holding `-1` or shell text kills nothing; a live pid is seen alive and killed', async () => {
    const dir = path.join(tmp, 'pids $(touch PWNED)');
    fs.mkdirSync(dir, { recursive: true });
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    for (const content of ['-1\n', '$(touch PWNED)\n', '1 2\n', '']) {
      const f = path.join(dir, 'k.pid');
      fs.writeFileSync(f, content);
      const kill = stubs.run(buildKillByPidFileCommand(f), env);
      expect(kill.status, JSON.stringify(content)).to.equal(1);
      expect(kill.stderr).to.match(/no pid in /);
      expect(stubs.run(buildAliveByPidFileCommand(f), env).status).to.equal(1);
      expectClean(kill, 'kill');
    }
    const f = path.join(dir, 'live.pid');
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    const exited = new Promise((r) => sleeper.once('exit', (_code, signal) => r(signal)));
    fs.writeFileSync(f, `${sleeper.pid}\n`);
    expect(stubs.run(buildAliveByPidFileCommand(f), env).status).to.equal(0);
    expect(stubs.run(buildKillByPidFileCommand(f), env).status).to.equal(0);
    expect(await exited).to.equal('SIGTERM');
  });

  describe('the batched collection script', () => {
    // `ip netns list | cut -d" " -f1`: a name has no space, so the payloads use ${IFS}
    const NAMES = ['*', 'GLOB_*', '$(touch${IFS}PWNED)', '`touch${IFS}PWNED`', 'x;touch${IFS}PWNED', 'x|touch${IFS}PWNED', '>PWNED', "it's", '"q"', '-f', '--help', '\\', '~root', '{a,b}', '#x', 'vlan#10'];
    const prepare = (script: string): string =>
      // stubs first on the script's own PATH; the OVS part runs as if db.sock existed
      script.replace('PATH=/usr/local/sbin', `PATH=${stubs.dir}:/usr/local/sbin`).replace(/^if \[ -S .*; then$/m, 'if true; then');

    it('namespace and bridge names from the node (`*`, `$(…)`, `-f`) stay one argument each', () => {
      const lines = NAMES.map((n) => `${n} (id: 3)\n`).join('');
      const r = stubs.run(prepare(buildSnapshotScript({ statePath: path.join(tmp, 'none') })), { STUB_NETNS: lines, STUB_BRIDGES: NAMES.map((n) => `${n}\n`).join('') });
      expectClean(r, 'collection script');
      for (const n of NAMES) {
        // script v2 (issue 10): one `ip netns exec NS sh -c DEFS sh NS` per namespace, the name as $1
        const entered = r.calls.filter((c) => c.length === 9 && c.slice(0, 4).join(' ') === `ip netns exec ${n}` && c[4] === 'sh' && c[5] === '-c' && c[7] === 'sh' && c[8] === n);
        expect(entered, `namespace ${JSON.stringify(n)}: entered once, name as one argument`).to.have.length(1);
        expectCalls(r, [['ovs-ofctl', 'dump-flows', '--', n]], `namespace/bridge ${JSON.stringify(n)}`);
        expect(r.stdout).to.include(`@@HP>addr:${n}\n`).and.include(`@@HP>iptables:${n}\n`).and.include(`@@HP>flows:${n}\n`);
      }
    });

    it('router directories and a hostile --state-path are read, never run', () => {
      const sp = path.join(tmp, 'state $(touch PWNED) `touch PWNED` *');
      const routers = ['*', '$(touch PWNED)', "it's", '-f', 'GLOB_*'];
      for (const r of routers) fs.mkdirSync(path.join(sp, 'ha_confs', r), { recursive: true });
      const r = stubs.run(prepare(buildSnapshotScript({ statePath: sp })));
      expectClean(r, 'collection script state path');
      for (const id of routers) {
        expectCalls(r, [['cat', '--', `${sp}/ha_confs/${id}//keepalived.conf`], ['cat', '--', `${sp}/ha_confs/${id}//state`]], `router ${id}`);
        expect(r.stdout).to.include(`@@HP>keepalived-conf:${id}\n`);
      }
    });
  });

  describe('lab commands under a hostile --state-dir (run locally as root)', () => {
    const stateDir = (): string => path.join(tmp, 'lab $(touch PWNED) `touch PWNED` *');
    const plan = buildPlan('neutron-l3ha');
    const node = plan.nodes.find((n) => n.kind !== 'gateway')!;

    it('sshd, ovsdb and ovs-vswitchd get the paths as single arguments', () => {
      const paths = labPaths(stateDir());
      const dir = paths.nodeDir(node.name);
      const script = renderNodeInfra(node, plan, paths).replace(/^\/usr\/sbin\/sshd /m, 'sshd ');
      const r = stubs.run(script);
      expectClean(r, 'node infra');
      expect(r.status).to.equal(0);
      expectCalls(r, [
        ['ovsdb-tool', 'create', `${dir}/ovs/conf.db`, '/usr/share/openvswitch/vswitch.ovsschema'],
        ['ovs-vswitchd', 'unix:/run/openvswitch/db.sock', '--pidfile=/run/openvswitch/ovs-vswitchd.pid', '--detach', `--log-file=${dir}/log/ovs-vswitchd.log`],
      ], 'node infra');
      const sshd = r.calls.find((c) => c[0] === 'sshd')!;
      expect(sshd).to.include(`${dir}/ssh_host_ed25519_key`).and.include(`PidFile=${dir}/sshd.pid`).and.include(`${dir}/log/sshd.log`);
      expect(stubs.run(sshdCommand(node, paths).replace(/^\/usr\/sbin\/sshd /, 'sshd ')).calls[0]).to.deep.equal(sshd);
    });

    it('the holder mounts the node dir given as $1', () => {
      const dir = labPaths(stateDir()).nodeDir(node.name);
      const argv = holderArgv(node.name, dir);
      const r = stubs.runArgv(argv.slice(argv.indexOf('sh')));
      expectClean(r, 'holder');
      expectCalls(r, [['mount', '--bind', `${dir}/ovs-run`, '/run/openvswitch'], ['mount', '--bind', `${dir}/neutron`, '/var/lib/neutron'], ['hostname', node.name], ['bash', '-c', HOLDER_INIT, `${HOLDER_MARK}-${node.name}`]], 'holder');
    });
  });
});
