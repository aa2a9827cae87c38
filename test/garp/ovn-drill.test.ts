import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { judgeOvnDrill } from '../../src/garp/judge-ovn-drill';
import { listGatewayAnnouncements, nodeOfChassis, parseNatAddress, parseOvnSbClaim, parseOvnSbGateways, pickOvnGatewayPort } from '../../src/garp/ovn-gateway';
import { chooseTunnelLink, listProviderUplinks, parseOvnChassisProbe, readBfdToward, restartArgvOf } from '../../src/garp/ovn-chassis-probe';
import { buildOvnChassisProbeCommand, buildOvnControllerExitCommand, buildOvnControllerStartCommand, buildOvnSbClaimCommand, buildOvnSbGatewaysCommand } from '../../src/garp/ovn-drill-commands';
import { judgeTakeoverPattern, secondGarpWaitMs } from '../../src/garp/ovn-drill-pattern';
import { isOvnDrillProfile, runDrillFailover } from '../../src/cli/commands/drill';
import { HaprobeError } from '../../src/errors';
import * as os from 'node:os';
import * as net from 'node:net';
import { runGarpVerify } from '../../src/cli/commands/garp-verify';
import { EXIT, exitCodeOfError } from '../../src/exit-codes';
import { noSouthboundError, sbReadProblem } from '../../src/garp/central-candidates';
import { NO_SB_SOCKET } from '../../src/garp/ovn-drill-commands';

/**
 * Pure parts of the ML2/OVN gateway drill (issue 11): the SB documents it reads on the central
 * node, the chassis probe, and the judge. Fixtures: real outputs of the OVN lab (OVN 23.03.1,
 * test/fixtures/ovn/drill, headers say which command and what was assembled).
 */
const FIX = path.resolve(__dirname, '../../../test/fixtures/ovn/drill');
/** the fixture without its #source/#what header */
const read = (f: string): string => fs.readFileSync(path.join(FIX, f), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');

const CR = 'cr-lrp-e16e8b9e-ee46-4bbd-9011-4c0963042b95';
const ROUTER = '200fa8b9-4ff4-4cd0-9b75-edb95e534348';

describe('OVN gateway drill: southbound (pure, real lab outputs)', () => {
  it('parseOvnSbGateways: the lab router\'s cr-lrp, claimed by gw3, with the LRP MAC and gateway network', () => {
    const r = parseOvnSbGateways(read('sb-gateways-lab.txt'));
    expect(r.warnings).to.deep.equal([]);
    expect(r.value.ports).to.have.length(1);
    const p = r.value.ports[0]!;
    expect(p).to.include({ port: CR, chassis: 'gw3', mac: 'fa:16:3e:fb:68:85', routerId: ROUTER });
    expect(p.networks).to.deep.equal(['203.0.113.69/24']);
    expect(p.additionalChassis).to.deep.equal([]);
    expect(r.value.chassis.map((c) => c.name).sort()).to.deep.equal(['cmp1', 'cmp2', 'gw1', 'gw2', 'gw3']);
  });

  it('the drill\'s own query on the lab (04:05Z run): HA members resolved by priority, the gateway\'s announcement only', () => {
    const r = parseOvnSbGateways(read('sb-gateways-drill-run.txt'));
    expect(r.warnings).to.deep.equal([]);
    const p = r.value.ports[0]!;
    expect(r.value.ports).to.have.length(1);
    expect(p).to.include({ port: 'cr-lrp-a7c5dabe-83e1-416a-9ba5-2c3d804b4188', chassis: 'gw2', mac: 'fa:16:3e:e3:3b:a3', routerId: '6b8b3dcf-4471-44a9-883c-d124c46d5895' });
    expect(p.members.map((m) => `${m.chassis}:${m.priority}`)).to.deep.equal(['gw2:3', 'gw1:2', 'gw3:1']);
    expect(listGatewayAnnouncements(p, r.value.announces)).to.deep.equal({ mac: 'fa:16:3e:e3:3b:a3', ips: ['203.0.113.15'], source: 'nat_addresses' });
    expect(parseOvnSbClaim(read('sb-claim-drill-run.txt'), p.port)).to.deep.equal({ value: { found: true, chassis: 'gw2', additionalChassis: [] }, warnings: [] });
  });

  it('what the gateway announces: nat_addresses resident on its cr-lrp only (the distributed FIPs are their computes\')', () => {
    const r = parseOvnSbGateways(read('sb-gateways-lab.txt')).value;
    expect(r.announces).to.have.length(3);
    expect(listGatewayAnnouncements(r.ports[0]!, r.announces)).to.deep.equal({ mac: 'fa:16:3e:fb:68:85', ips: ['203.0.113.69'], source: 'nat_addresses' });
    // without nat_addresses (nat-addresses not set on the external port): the LRP's own networks
    expect(listGatewayAnnouncements(r.ports[0]!, [])).to.deep.equal({ mac: 'fa:16:3e:fb:68:85', ips: ['203.0.113.69'], source: 'cr-lrp mac' });
  });

  it('parseNatAddress: MAC, addresses, resident port; anything else is not one', () => {
    expect(parseNatAddress('fa:16:3e:43:6e:cb 203.0.113.85 is_chassis_resident("4ebb4b25-85a8-4af6-87ac-fe126db9838a")'))
      .to.deep.equal({ mac: 'fa:16:3e:43:6e:cb', ips: ['203.0.113.85'], resident: '4ebb4b25-85a8-4af6-87ac-fe126db9838a' });
    expect(parseNatAddress('FA:16:3E:FB:68:85 203.0.113.69 203.0.113.70')).to.deep.equal({ mac: 'fa:16:3e:fb:68:85', ips: ['203.0.113.69', '203.0.113.70'] });
    expect(parseNatAddress('router')).to.equal(undefined);
    expect(parseNatAddress('fa:16:3e:fb:68:85')).to.equal(undefined);
  });

  it('two routers (Gateway_Chassis and HA_Chassis_Group): members by priority; no --router is refused with the list', () => {
    const r = parseOvnSbGateways(read('sb-gateways-two-routers.txt'));
    expect(r.warnings).to.deep.equal([]);
    const byPort = Object.fromEntries(r.value.ports.map((p) => [p.port, p]));
    expect(byPort['cr-lrp-c0c0c0c0-0000-4000-8000-000000000001']?.chassis).to.equal('gw1');
    expect(byPort['cr-lrp-c0c0c0c0-0000-4000-8000-000000000002']?.chassis).to.equal('gw2');
    const members = r.value.ports.map((p) => p.members.map((m) => `${m.chassis}:${m.priority}`).join(' ')).sort();
    expect(members).to.deep.equal(['gw1:3 gw2:2 gw3:1', 'gw2:32767 gw3:32766 gw1:32765']);
    expect(pickOvnGatewayPort(r.value.ports)).to.be.a('string').and.match(/give --router: 2 routers/);
  });

  it('pickOvnGatewayPort: --router by its neutron UUID (external_ids neutron:router_name); unknown router named', () => {
    const ports = parseOvnSbGateways(read('sb-gateways-lab.txt')).value.ports;
    expect(pickOvnGatewayPort(ports)).to.have.property('port', CR);
    expect(pickOvnGatewayPort(ports, ROUTER)).to.have.property('port', CR);
    expect(pickOvnGatewayPort(ports, '11111111-2222-4333-8444-555555555555')).to.be.a('string').and.include(`routers with a gateway: ${ROUTER}`);
    expect(pickOvnGatewayPort([])).to.match(/0 routers/);
  });

  it('parseOvnSbClaim: the poll reads who claims the port; a missing row is not found', () => {
    const text = read('sb-claim-lab.txt');
    expect(parseOvnSbClaim(text, CR).value).to.deep.equal({ found: true, chassis: 'gw3', additionalChassis: [] });
    expect(parseOvnSbClaim(text, 'cr-lrp-other').value).to.deep.equal({ found: false, additionalChassis: [] });
    expect(parseOvnSbClaim('', CR).value.found).to.equal(false);
  });

  it('nodeOfChassis: same name, else the chassis hostname (FQDN or short)', () => {
    const sb = [{ name: '6a0c-uuid', hostname: 'gw1.example.org' }, { name: 'gw2' }];
    expect(nodeOfChassis([{ name: 'gw2' }], 'gw2', sb)).to.equal('gw2');
    expect(nodeOfChassis([{ name: 'gw1' }], '6a0c-uuid', sb)).to.equal('gw1');
    expect(nodeOfChassis([{ name: 'gw1.example.org.' }], 'gw9', sb)).to.equal(undefined);
  });
});

describe('OVN gateway drill: chassis probe (pure, the lab\'s gw3 over SSH)', () => {
  const probe = parseOvnChassisProbe(read('gw3-chassis-probe.txt'));

  it('reads mappings, encap IP, bridge ports, addresses and ovn-controller\'s pid file and command line', () => {
    expect(probe.warnings).to.deep.equal([]);
    expect(probe.value.bridgeMappings).to.deep.equal({ extnet: 'br-ex' });
    expect(probe.value.encapIp).to.equal('198.18.9.13');
    expect(probe.value.controller?.pidFile).to.equal('/run/ovn/ovn-controller.pid');
    expect(probe.value.controller?.argv[0]).to.equal('ovn-controller');
  });

  it('G-ARPs leave through the provider bridge\'s uplink (not its patch port)', () => {
    expect(listProviderUplinks(probe.value)).to.deep.equal([{ bridge: 'br-ex', uplinks: ['ex-up'] }]);
  });

  it('tunnel-down takes down the uplink of the bridge holding ovn-encap-ip; never the management link', () => {
    expect(chooseTunnelLink(probe.value, '198.18.8.13')).to.deep.equal({ device: 'dt-up', via: 'br-phy' });
    const onMgmt = { ...probe.value, encapIp: '198.18.8.13' };
    expect(chooseTunnelLink(onMgmt, '198.18.8.13')).to.have.property('refused').that.match(/address haprobe reaches the node on/);
    expect(chooseTunnelLink({ ...probe.value, encapIp: undefined }, undefined)).to.have.property('refused');
    expect(chooseTunnelLink({ ...probe.value, encapIp: '192.0.2.9' }, undefined)).to.have.property('refused').that.match(/no local device/);
  });

  it('restart: the command line it ran with, only for an ovn-controller that detaches', () => {
    const argv = restartArgvOf(probe.value);
    expect(argv).to.be.an('array').that.includes('--detach');
    const c = probe.value.controller!;
    expect(restartArgvOf({ ...probe.value, controller: { ...c, argv: c.argv.filter((a) => a !== '--detach') } })).to.have.property('refused').that.match(/without --detach/);
    expect(restartArgvOf({ ...probe.value, controller: { ...c, argv: ['/bin/sh', '--detach'] } })).to.have.property('refused').that.match(/not ovn-controller/);
    expect(restartArgvOf({ ...probe.value, controller: undefined })).to.have.property('refused');
  });

  it('unknown lines are warnings with their line number', () => {
    expect(parseOvnChassisProbe('mappings "a:br-x"\nwhat is this\n').warnings).to.deep.equal([{ line: 2, message: 'unexpected line', text: 'what is this' }]);
  });
});

describe('OVN gateway drill: BFD toward the failed gateway (pure)', () => {
  const lab = (f: string): string => fs.readFileSync(path.resolve(FIX, '../lab', f), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
  const chassis = (f: string): string => fs.readFileSync(path.resolve(FIX, '../chassis', f), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');

  it('the lab (no options column): gw2\'s session toward gw3 by OVN\'s tunnel name, up, OVS default timers → 3000 ms', () => {
    expect(readBfdToward(lab('gw2-chassis.txt'), '198.18.9.13', 'gw3')).to.deep.equal({ iface: 'ovn-gw3-0', state: 'up', up: true, detectMs: 3000, timers: 'min_rx 1000, min_tx 100, mult 3' });
  });

  it('by remote_ip when listed; a session down (forwarding=false) is not up; no tunnel toward the chassis: undefined', () => {
    expect(readBfdToward(chassis('gw1-bfd-gw2-down.txt'), '192.0.2.12', 'x')).to.include({ iface: 'ovn-gw2-0', state: 'down', up: false });
    expect(readBfdToward(chassis('gw1-bfd-up.txt'), '192.0.2.12', 'x')).to.include({ iface: 'ovn-gw2-0', up: true });
    expect(readBfdToward(chassis('gw1-bfd-up.txt'), '192.0.2.99', 'x')).to.equal(undefined);
  });
});

describe('OVN gateway drill: judge (pure)', () => {
  const tunnel = { fault: 'tunnel-down' as const, standbys: 2, stillClaimedByOld: false };
  const stop = { fault: 'stop-ovn-controller' as const, standbys: 2, stillClaimedByOld: true };
  // the lab's measured tunnel-down failover (docs/ovn-lab.md): gw3 → gw2, claim 3132 ms, first G-ARP 3382 ms, outage 577 ms
  const CASES: { name: string; t: Parameters<typeof judgeOvnDrill>[0]; c: Parameters<typeof judgeOvnDrill>[2]; verdict: string; message: RegExp }[] = [
    { name: 'takeover and G-ARP within budget', t: { newPrimary: 'gw2', newPrimaryMs: 3132, firstGarpMs: 3382, outageMs: 577 }, c: tunnel, verdict: 'pass', message: /new primary gw2 after 3132 ms, first G-ARP after 3382 ms/ },
    { name: 'claimed but no G-ARP from the new chassis', t: { newPrimary: 'gw2', newPrimaryMs: 3132, firstGarpMs: null, outageMs: 577 }, c: tunnel, verdict: 'fail', message: /no G-ARP/ },
    { name: 'claim over budget', t: { newPrimary: 'gw2', newPrimaryMs: 6100, firstGarpMs: 6300 }, c: tunnel, verdict: 'fail', message: /> budget 5000/ },
    // clean-clone run of 2026-12-01: the SB poll saw the claim at 5148 ms, gw2 had G-ARPed at 3856 ms and the client lost 415 ms
    { name: 'the poll saw the claim over budget, the new chassis G-ARPed within it: the G-ARP dates the claim', t: { newPrimary: 'gw2', newPrimaryMs: 5148, firstGarpMs: 3856, outageMs: 415 }, c: tunnel, verdict: 'pass', message: /new primary gw2 after 3856 ms/ },
    { name: 'G-ARP and poll both over budget: still a fail', t: { newPrimary: 'gw2', newPrimaryMs: 6400, firstGarpMs: 5600 }, c: tunnel, verdict: 'fail', message: /new primary after 5600 ms > budget 5000/ },
    { name: 'stop-ovn-controller: nothing moved, traffic kept flowing (the lab: 220 ms)', t: { newPrimaryMs: null, firstGarpMs: null, outageMs: 220 }, c: stop, verdict: 'skip', message: /inconclusive: the fault did not fail the gateway/ },
    { name: 'stop-ovn-controller: nothing moved and the client lost the router', t: { newPrimaryMs: null, firstGarpMs: null, outageMs: null }, c: stop, verdict: 'fail', message: /no new primary/ },
    { name: 'tunnel-down: nobody took over, the old one lost its claim', t: { newPrimaryMs: null, firstGarpMs: null, outageMs: null }, c: { ...tunnel, stillClaimedByOld: false }, verdict: 'fail', message: /no new primary/ },
    { name: 'one gateway only', t: { newPrimaryMs: null, firstGarpMs: null, outageMs: null }, c: { ...tunnel, standbys: 0 }, verdict: 'skip', message: /no other gateway chassis/ },
    { name: 'cancelled after the fault', t: { newPrimaryMs: null, firstGarpMs: null, cancelled: { reason: 'SIGINT', phase: 'after-fault' }, restored: ['set dt-up up on gw3'] }, c: tunnel, verdict: 'fail', message: /cancelled \(SIGINT\) after the fault/ },
  ];
  for (const k of CASES) {
    it(k.name, () => {
      const j = judgeOvnDrill(k.t, 5000, k.c);
      expect(j.verdict, j.message).to.equal(k.verdict);
      expect(j.message).to.match(k.message);
    });
  }

  it('a claim dated by the G-ARP says when the Southbound poll saw it', () => {
    const j = judgeOvnDrill({ newPrimary: 'gw2', newPrimaryMs: 5148, firstGarpMs: 3856, outageMs: 415 }, 5000, tunnel);
    expect(j.explanation.join(' ')).to.include("gw2's claim is dated by its first G-ARP at 3856 ms").and.include('the Southbound poll saw the claim at 5148 ms');
    expect(judgeOvnDrill({ newPrimary: 'gw2', newPrimaryMs: 3132, firstGarpMs: 3382, outageMs: 577 }, 5000, tunnel).explanation.join(' ')).to.not.include('dated by');
  });

  it('the inconclusive stop-ovn-controller says why (BFD lives in ovs-vswitchd)', () => {
    expect(judgeOvnDrill({ newPrimaryMs: null, firstGarpMs: null, outageMs: 0 }, 5000, stop).explanation.join(' ')).to.match(/ovs-vswitchd/);
  });
});

describe('OVN gateway drill: the takeover G-ARPs against the ovn-controller version (pure)', () => {
  // the lab's own timings: 23.03.1 gaps 2008, 4020, 8040 ms (docs/ovn-garp.md)
  it('23.03.1 (ovn-stop-16s): 2 s gaps fit so far; 1 s gaps do not (that is 0d021216c\'s ovn-stop-8s)', () => {
    const src = 'ovn-controller 23.03.1: 5 G-ARPs, backoff 2-4-8-16 s, then none (before ovn 0d021216c)';
    const ok = judgeTakeoverPattern('gw1', [100, 102.008, 106.028], 'ovn-stop-16s', src);
    expect(ok.fits).to.equal(true);
    expect(ok.line).to.equal(`3 G-ARP(s) from gw1, gaps 2008, 4020 ms: fits ovn-stop-16s (${src}), as far as the drill watched`);
    const bad = judgeTakeoverPattern('gw1', [100, 101.0], 'ovn-stop-16s', src);
    expect(bad.fits).to.equal(false);
    expect(bad.line).to.match(/gap before frame 2 is 1000 ms, ovn-stop-16s expects 1600–3500 ms/);
    expect(judgeTakeoverPattern('gw1', [100, 101.0], 'ovn-stop-8s', 'x').fits).to.equal(true);
    expect(judgeTakeoverPattern('gw1', [100, 101.0], 'ovn', 'x').line).to.match(/fits ovn-stop-8s/);
    expect(judgeTakeoverPattern('gw1', [100], 'ovn-stop-16s', 'x').line).to.match(/one frame seen, the spacing not judged/);
  });

  it('the drill waits for the second G-ARP up to the pattern\'s first gap at its latest', () => {
    expect(secondGarpWaitMs('ovn-stop-16s')).to.equal(3500);
    expect(secondGarpWaitMs('ovn-stop-8s')).to.equal(2500);
    expect(secondGarpWaitMs('ovn')).to.equal(3500);
  });

  it('a pattern that does not fit turns a passing takeover into a warn; a failing one keeps its verdict and gets the line', () => {
    const t = { newPrimary: 'gw1', newPrimaryMs: 3000, firstGarpMs: 3500, outageMs: 800, restored: [], flaps: [] };
    const g = { fits: false, line: 'not the pattern' };
    const j = judgeOvnDrill(t, 5000, { fault: 'tunnel-down', standbys: 2, stillClaimedByOld: false, garpPattern: g });
    expect(j.verdict).to.equal('warn');
    expect(j.explanation).to.include('not the pattern');
    const f = judgeOvnDrill({ ...t, outageMs: 9000 }, 5000, { fault: 'tunnel-down', standbys: 2, stillClaimedByOld: false, garpPattern: g });
    expect(f.verdict).to.equal('fail');
    expect(f.explanation).to.include('not the pattern');
  });
});

describe('OVN gateway drill: commands and profile', () => {
  it('exit-ovn-controller: ovn-appctl to the control socket of the pid read, beside its pid file', () => {
    expect(buildOvnControllerExitCommand('/run/ovn/ovn-controller.pid', 35)).to.equal('ovn-appctl -t /run/ovn/ovn-controller.35.ctl exit');
    expect(buildOvnControllerExitCommand("/var/run/o n/ovn-controller.pid", 7)).to.equal("ovn-appctl -t '/var/run/o n/ovn-controller.7.ctl' exit");
  });

  it('the SB commands run ovn-sbctl on the first local socket, the port as one find condition', () => {
    expect(buildOvnSbGatewaysCommand(['/run/ovn'])).to.match(/ sh type=chassisredirect \/run\/ovn$/);
    expect(buildOvnSbClaimCommand(CR, ['/run/ovn', '/var/run/ovn'])).to.match(new RegExp(` sh logical_port=${CR} /run/ovn /var/run/ovn$`));
    expect(buildOvnChassisProbeCommand(['/run/ovn'])).to.match(/^sh -c '.*' sh \/run\/ovn$/s);
    expect(buildOvnControllerStartCommand(['ovn-controller', 'unix:/run/openvswitch/db.sock', '--detach'])).to.equal('ovn-controller unix:/run/openvswitch/db.sock --detach');
  });

  it('an OVN profile is one that runs ovn-* checks', () => {
    expect(isOvnDrillProfile(['ovn-gateway-chassis', 'ovn-bfd'])).to.equal(true);
    expect(isOvnDrillProfile(['l3ha-vrrp', 'garp'])).to.equal(false);
  });
});

describe('drill failover -p ovn: refusals before anything is touched (exit 2)', () => {
  let dir = '';
  let inv = '';
  let facts = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-ovn-drill-'));
    inv = path.join(dir, 'inventory.yaml');
    facts = path.join(dir, 'facts.json');
    // the OVN lab's facts shape (src/lab/neutron/ovn-facts.ts): no routers, an upstream
    fs.writeFileSync(facts, JSON.stringify({ version: 1, profile: 'ovn', release: 'zed', routers: [], ports: [], floatingIps: [], instances: [], agents: [], upstream: { node: 'upstream', ip: '203.0.113.1' } }));
    fs.writeFileSync(inv, 'knownHosts: false\nnodes:\n  - { name: central, address: 198.18.8.5, roles: [controller] }\n  - { name: gw3, address: 198.18.8.13, roles: [network] }\n');
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  const refusal = async (profile: string, fault: string, yes = false): Promise<HaprobeError> => {
    try {
      await runDrillFailover({ inventory: inv, facts, profile, fault: fault as 'tunnel-down', format: 'table', ...(yes ? { yesIMeanIt: true } : {}) }, () => undefined, () => undefined);
    } catch (e) {
      return e as HaprobeError;
    }
    throw new Error('no refusal');
  };

  it('without --yes-i-mean-it: says which gateway it would fail and how', async () => {
    const e = await refusal('ovn', 'tunnel-down');
    expect(e).to.be.instanceOf(HaprobeError);
    expect(e.code).to.equal('usage');
    expect(e.message).to.match(/would set the tunnel link .* down on the gateway chassis claiming the cr-lrp port of the only OVN router/);
    expect((await refusal('ovn', 'stop-ovn-controller')).message).to.match(/would stop ovn-controller \(by its pid file\)/);
  });

  it('an OVN fault with a Neutron profile, or a Neutron fault with -p ovn, is a usage error naming the right faults', async () => {
    const a = await refusal('neutron-l3ha', 'tunnel-down', true);
    expect(a.code).to.equal('usage');
    expect(a.message).to.match(/needs an OVN profile/);
    const b = await refusal('ovn', 'kill-keepalived', true);
    expect(b.code).to.equal('usage');
    expect(b.message).to.match(/profile ovn is ML2\/OVN/);
  });
});

describe('drill failover / garp verify -p ovn: no node reached is a node error (exit 3), not "no central node"', () => {
  let dir = '';
  let inv = '';
  let facts = '';
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-ovn-unreached-'));
    inv = path.join(dir, 'inventory.yaml');
    facts = path.join(dir, 'facts.json');
    // a port nobody listens on: every connection is refused at once
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    fs.writeFileSync(facts, JSON.stringify({ version: 1, profile: 'ovn', release: 'zed', routers: [], ports: [], floatingIps: [], instances: [], agents: [], upstream: { node: 'upstream', ip: '203.0.113.1' } }));
    fs.writeFileSync(inv, `knownHosts: false\nnodes:\n  - { name: central, address: 127.0.0.1, port: ${port}, roles: [controller] }\n  - { name: gw3, address: 127.0.0.1, port: ${port}, roles: [network] }\n`);
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  const errorOf = async (fn: () => Promise<unknown>): Promise<HaprobeError> => {
    try {
      await fn();
    } catch (e) {
      return e as HaprobeError;
    }
    throw new Error('no error');
  };
  const expectNodeError = (e: HaprobeError): void => {
    expect(e, String(e)).to.be.instanceOf(HaprobeError);
    expect(e.code, e.message).to.equal('node');
    expect(e.message).to.match(/no inventory node gave the OVN southbound database \(ovnsb_db\.sock\); not read: central \(.+\), gw3 \(.+\)/);
    expect(exitCodeOfError(e.code)).to.equal(EXIT.UNREACHABLE);
  };

  it('drill failover -p ovn --yes-i-mean-it', async function () {
    this.timeout(30_000);
    expectNodeError(await errorOf(() => runDrillFailover({ inventory: inv, facts, profile: 'ovn', fault: 'tunnel-down', format: 'table', yesIMeanIt: true }, () => undefined, () => undefined)));
  });

  it('every candidate answered, none has the socket: an inventory error (exit 2)', () => {
    expect(noSouthboundError('garp verify -p ovn reads who announces there', 'garp verify', []).code).to.equal('inventory');
  });

  it('sbReadProblem: no socket (exit 3 with its line) is no problem; ovn-sbctl failing with the socket, sudo, a timeout are', () => {
    const r = (exitCode: number | null, stderr: string, failure?: { reason: string; message: string }) => ({ exitCode, stderr, ...(failure ? { failure } : {}) });
    expect(sbReadProblem(r(3, `${NO_SB_SOCKET}\n`))).to.equal(undefined);
    expect(sbReadProblem(r(0, ''))).to.equal(undefined);
    expect(sbReadProblem(r(1, 'ovn-sbctl: unix:/var/run/ovn/ovnsb_db.sock: database connection failed (Connection refused)\n'))).to.equal('ovn-sbctl failed: exit 1 ovn-sbctl: unix:/var/run/ovn/ovnsb_db.sock: database connection failed (Connection refused)');
    expect(sbReadProblem(r(3, 'something else'))).to.equal('ovn-sbctl failed: exit 3 something else');
    expect(sbReadProblem(r(null, '', { reason: 'sudo', message: 'sudo: a password is required' }))).to.equal('sudo: sudo: a password is required');
    expect(buildOvnSbGatewaysCommand()).to.include(NO_SB_SOCKET);
  });

  it('garp verify -p ovn', async function () {
    this.timeout(30_000);
    expectNodeError(await errorOf(() => runGarpVerify({ inventory: inv, facts, profile: 'ovn', fip: '203.0.113.22', deadline: '5s', format: 'table', labGarp: 'normal', via: 'openstack' }, () => undefined, () => undefined)));
  });
});
