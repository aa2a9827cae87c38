import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startLiveCapture, CAPTURE_FILTER } from '../../src/capture/live';
import { buildKillByPidFileCommand, buildPingCommand } from '../../src/garp/drill-commands';
import { keepalivedPidFile } from '../../src/garp/drill-failover';
import { readHaStates } from '../../src/garp/read-ha-states';
import { readUpstreamNeighbour, upstreamDeviceFor } from '../../src/garp/read-upstream';
import { quoteArgv } from '../../src/transport/quote-shell';
import { SshTransport } from '../../src/transport/ssh-transport';
import type { ExecOptions, StreamOptions, Transport } from '../../src/transport/types';
import { type KeyPair, type Sshd, makeKeyPair, makeTmpDir, startSshd } from '../helpers/sshd';
import { makeStubBin, type StubBin } from './helpers/stub-bin';

/**
 * Issue 8 end to end: the real readers (HA state, upstream neighbour and route, live capture, the
 * drill's kill) over SshTransport to a throwaway sshd, with hostile facts values. The login shell
 * gets the stubs first on PATH and a temp cwd (test scaffolding prepended to each command, made
 * with quoteArgv too); nothing may run and every stub must get each value as one argument.
 */
describe('hardening: hostile facts values over a real sshd run nothing (issue 8)', function () {
  this.timeout(60_000);
  let dir: string;
  let key: KeyPair;
  let sshd: Sshd;
  let ssh: SshTransport;
  let stubs: StubBin;
  let node: Transport;

  before(async () => {
    stubs = makeStubBin();
    dir = makeTmpDir('haprobe-inject-ssh-');
    key = makeKeyPair(dir, 'client');
    sshd = await startSshd({ authorizedKeys: [key.publicKey] });
    const knownHosts = path.join(dir, 'known_hosts');
    fs.writeFileSync(knownHosts, sshd.knownHostsLine + '\n');
    ssh = new SshTransport({
      node: 'n1', endpoint: { host: '127.0.0.1', port: sshd.port, user: 'root', identityFile: key.path }, knownHosts, agent: false, connectTimeoutMs: 5000, stopGraceMs: 1000,
    });
    const env = stubs.env();
    const prefix = `export PATH=${quoteArgv([env.PATH!])} STUB_LOG=${quoteArgv([env.STUB_LOG!])}; cd ${quoteArgv([stubs.cwd])} || exit 99; `;
    node = {
      node: 'n1',
      connect: () => ssh.connect(),
      exec: (c: string, o?: ExecOptions) => ssh.exec(prefix + c, o),
      stream: (c: string, o: StreamOptions) => ssh.stream(prefix + c, o),
      close: () => ssh.close(),
    };
  });
  beforeEach(() => stubs.reset());
  after(async () => {
    await ssh?.close();
    await sshd?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    stubs.remove();
  });

  const ROUTER = '$(touch PWNED)`touch PWNED`;touch PWNED *';
  const DEVICE = "vlan#10'; touch PWNED; '";
  const NS = '* $(touch PWNED)';
  const FIP = '-f;touch PWNED';

  const clean = (): string[][] => {
    const r = stubs.collect();
    expect(r.leftovers, 'files created in the cwd').to.deep.equal([]);
    for (const c of r.calls) expect(c.some((a) => /GLOB_[AB]/.test(a)), `glob expanded: ${JSON.stringify(c)}`).to.equal(false);
    return r.calls;
  };

  it('readHaStates with a hostile router id, state path, ha- device and VIP', async () => {
    const [s] = await readHaStates([{ node: 'n1', transport: node, haDevice: DEVICE }], ROUTER, { statePath: '/x $(touch PWNED)', vip: '169.254.0.1;touch PWNED' });
    expect(s.error).to.equal(undefined);
    expect(clean()).to.deep.include.members([
      ['cat', '--', `/x $(touch PWNED)/ha_confs/${ROUTER}/state`],
      ['ip', '-n', `qrouter-${ROUTER}`, '-o', '-4', 'addr', 'show', 'dev', DEVICE],
      ['grep', '-qF', '--', ' 169.254.0.1;touch PWNED/'],
    ]);
  });

  it('upstream neighbour and route with a hostile FIP and namespace', async () => {
    const n = await readUpstreamNeighbour({ node: 'up', transport: node, namespace: NS }, FIP, 'fa:16:3e:00:00:01');
    expect(n.error).to.equal(undefined);
    await upstreamDeviceFor({ transport: node, namespace: NS }, FIP);
    expect(clean()).to.deep.include.members([
      ['ip', 'netns', 'exec', NS, 'ip', 'neigh', 'show', 'to', FIP],
      ['ip', 'netns', 'exec', NS, 'ip', '-o', 'route', 'get', 'to', FIP],
    ]);
  });

  it('drill: kill by pid file and ping with hostile router id and --fip', async () => {
    await node.exec(buildKillByPidFileCommand(keepalivedPidFile('/var/lib/neutron', ROUTER)));
    await node.exec(buildPingCommand(FIP, 200, NS));
    expect(clean()).to.deep.include.members([
      ['cat', '--', `/var/lib/neutron/ha_confs/${ROUTER}.pid.keepalived`],
      ['ping', '-D', '-n', '-i', '0.2', '-W', '1', '--', FIP],
    ]);
  });

  it('live capture on `vlan#10` and on a hostile device ends normally, nothing rejected', async () => {
    const cap = startLiveCapture({
      handleSigint: false,
      sources: [
        { node: 'n1', transport: node, target: { device: 'vlan#10' } },
        { node: 'n1', transport: node, target: { device: DEVICE, namespace: NS } },
      ],
      onFrame: () => undefined,
    });
    const results = await cap.done;
    expect(results.map((r) => r.failure)).to.deep.equal([undefined, undefined]);
    expect(clean()).to.deep.include.members([
      ['tcpdump', '-U', '--immediate-mode', '-w', '-', '-s', '128', '-i', 'vlan#10', '--', CAPTURE_FILTER],
      ['ip', 'netns', 'exec', NS, 'tcpdump', '-U', '--immediate-mode', '-w', '-', '-s', '128', '-i', DEVICE, '--', CAPTURE_FILTER],
    ]);
  });
});
