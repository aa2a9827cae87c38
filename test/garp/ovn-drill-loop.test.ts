import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { drillOvnFailover, type OvnDrillFault } from '../../src/garp/drill-ovn';
import { renderDrillTable } from '../../src/garp/render-drill';
import type { Inventory } from '../../src/inventory/types';
import type { ExecResult, StreamHandle, StreamOptions, Transport } from '../../src/transport/types';
import type { Facts } from '../../src/model/facts';

/**
 * The loop of the OVN gateway drill against scripted nodes (a unit test of its sequencing: which
 * command goes where, inject → poll → capture → restore; the live proof is the OVN lab suite).
 * The SB and probe outputs are the lab's real ones (test/fixtures/ovn/drill); the SB HA_Chassis
 * document, which the lab did not capture, is made here from its HA_Chassis_Group's three uuids
 * (gw3 3, gw2 2, gw1 1 as the lab schedules them). Frames and ping lines are synthesized.
 */
const FIX = path.resolve(__dirname, '../../../test/fixtures/ovn/drill');
const docs = (f: string): string[] => fs.readFileSync(path.join(FIX, f), 'utf8').split('\n').filter((l) => l.startsWith('{'));
const CHASSIS_UUID: Record<string, string> = { gw3: '206e9e0d-4f07-45e9-a62c-a6bbc3915ae7', gw2: 'fcb9afe3-93c5-482d-aa21-dd6478aed25f', gw1: '7a1d90ee-a140-42b0-8fcd-5ad3e0c5ff36' };
const HA_CHASSIS = JSON.stringify({
  headings: ['_uuid', 'chassis', 'external_ids', 'priority'],
  data: [['7ae86057-23de-49d5-88da-2ab4e6416d8e', 'gw3', 3], ['d27c966f-f7a6-4582-b4c3-76b77c20f73a', 'gw2', 2], ['d44a1073-9fc1-4660-805b-29a8e50909d4', 'gw1', 1]]
    .map(([u, c, p]) => [['uuid', u], ['uuid', CHASSIS_UUID[c as string]], ['map', []], p]),
});
const [CHASSIS_DOC, GROUP_DOC, , CR_DOC, PATCH_DOC] = docs('sb-gateways-lab.txt');
const SB_SETUP = [CHASSIS_DOC, GROUP_DOC, HA_CHASSIS, CR_DOC, PATCH_DOC].join('\n') + '\n';
const claimDoc = (chassis: string): string => [CHASSIS_DOC, CR_DOC!.replace(CHASSIS_UUID.gw3!, CHASSIS_UUID[chassis]!)].join('\n') + '\n';
const GARP_SETTINGS = fs.readFileSync(path.resolve(FIX, '../garp/cmp1-garp-settings.txt'), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
const PROBE = fs.readFileSync(path.join(FIX, 'gw3-chassis-probe.txt'), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
const BFD_GW2 = fs.readFileSync(path.resolve(FIX, '../lab/gw2-chassis.txt'), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
const LRP_MAC = 'fa:16:3e:fb:68:85';
const GW_IP = '203.0.113.69';

function garpPcap(mac: string, ip: string, atMs: number, withHeader: boolean): Buffer {
  const m = Buffer.from(mac.split(':').map((x) => parseInt(x, 16)));
  const a = Buffer.from(ip.split('.').map(Number));
  const frame = Buffer.concat([Buffer.alloc(6, 0xff), m, Buffer.from([0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1]), m, a, Buffer.alloc(6), a, Buffer.alloc(18)]);
  const rec = Buffer.alloc(16);
  rec.writeUInt32LE(Math.floor(atMs / 1000), 0);
  rec.writeUInt32LE(Math.round((atMs % 1000) * 1000), 4);
  rec.writeUInt32LE(frame.length, 8);
  rec.writeUInt32LE(frame.length, 12);
  const g = Buffer.alloc(24);
  g.writeUInt32LE(0xa1b2c3d4, 0);
  g.writeUInt16LE(2, 4);
  g.writeUInt16LE(4, 6);
  g.writeUInt32LE(262144, 16);
  g.writeUInt32LE(1, 20);
  return Buffer.concat([...(withHeader ? [g] : []), rec, frame]);
}

/** the scripted cloud: who claims cr-lrp, whether the tunnel is down / ovn-controller runs, what each node ran */
interface World {
  claimer: string;
  takeoverMs: number;
  faultAt?: number;
  controllerAlive: boolean;
  ran: { node: string; cmd: string }[];
  /** the stop fault does not move the claim (OVN 23.03, as measured on the lab) */
  moves: boolean;
  restoredAt?: number;
  returnGarp: boolean;
  /** gaps after the takeover's first G-ARP at which gw2 sends its next ones, ms (23.03.1: 2000, 4000, …) */
  takeoverGaps: number[];
}

function fakeTransport(node: string, w: World): Transport {
  const ok = (command: string, stdout = '', exitCode = 0): ExecResult => ({ command, stdout, stderr: '', exitCode, durationMs: 1, startedAt: new Date().toISOString() });
  const streams: (() => void)[] = [];
  return {
    node,
    connect: async () => undefined,
    close: async () => undefined,
    async exec(cmd) {
      w.ran.push({ node, cmd });
      if (cmd.startsWith('date ')) return ok(cmd, `${(Date.now() / 1000).toFixed(6)}\n`);
      if (cmd.includes('ovnsb_db.sock')) {
        if (node !== 'central') return ok(cmd, '', 3);
        if (cmd.includes('type=chassisredirect')) return ok(cmd, SB_SETUP);
        if (w.faultAt !== undefined && w.moves && Date.now() - w.faultAt >= w.takeoverMs && w.claimer === 'gw3') w.claimer = 'gw2';
        return ok(cmd, claimDoc(w.claimer));
      }
      if (cmd.includes('list-br')) return ok(cmd, PROBE);
      // every chassis runs the lab's ovn-controller 23.03.1 (pattern ovn-stop-16s)
      if (cmd.includes('garp-max-timeout-sec')) return ok(cmd, GARP_SETTINGS);
      // gw2's tunnels (the lab's real listing); its session toward gw3 goes down 100 ms before the claim moves
      if (cmd.includes('--columns=name,type,options,bfd,bfd_status')) return ok(cmd, w.faultAt !== undefined && w.moves && Date.now() - w.faultAt >= w.takeoverMs - 100 ? BFD_GW2.replace(/"state","up"/g, '"state","down"') : BFD_GW2);
      if (cmd === 'ip link set dev dt-up down' || cmd.includes('kill "$p"') || cmd.startsWith('ovn-appctl ')) {
        w.faultAt = Date.now();
        if (!cmd.startsWith('ip ')) w.controllerAlive = false;
        return ok(cmd);
      }
      if (cmd === 'ip link set dev dt-up up') {
        w.faultAt = undefined;
        w.restoredAt = Date.now();
        setTimeout(() => (w.claimer = 'gw3'), 300);
        return ok(cmd);
      }
      if (cmd.includes('kill -0')) return ok(cmd, '', w.controllerAlive ? 0 : 1);
      if (cmd.startsWith('ovn-controller ')) {
        w.controllerAlive = true;
        // after an exit the chassis registers again and, preferred, takes its port back
        if (w.moves) {
          w.faultAt = undefined;
          w.restoredAt = Date.now();
          setTimeout(() => (w.claimer = 'gw3'), 300);
        }
        return ok(cmd);
      }
      return ok(cmd, '', 127);
    },
    stream(cmd: string, o: StreamOptions): StreamHandle {
      w.ran.push({ node, cmd });
      let stop!: () => void;
      const done = new Promise<ExecResult>((r) => (stop = () => r(ok(cmd))));
      const timers: NodeJS.Timeout[] = [];
      if (cmd.includes('tcpdump')) {
        setTimeout(() => o.onStderr?.(Buffer.from('listening on ex-up, link-type EN10MB\n')), 10);
        let header = true;
        // the new claimer announces 250 ms after its claim, out of its uplink
        timers.push(setInterval(() => {
          if (node === 'gw2' && w.claimer === 'gw2' && w.faultAt !== undefined && header) {
            setTimeout(() => o.onStdout(garpPcap(LRP_MAC, GW_IP, Date.now(), true)), 250);
            let at = 250;
            for (const g of w.takeoverGaps) setTimeout(() => o.onStdout(garpPcap(LRP_MAC, GW_IP, Date.now(), false)), (at += g));
            header = false;
          }
          // gw3 announces its return (unless the world says it does not: OVN FDP-1418)
          if (node === 'gw3' && w.restoredAt !== undefined && w.claimer === 'gw3' && header && w.returnGarp) {
            setTimeout(() => o.onStdout(garpPcap(LRP_MAC, GW_IP, Date.now(), true)), 300);
            header = false;
          }
        }, 50));
      } else if (cmd.includes('ping')) {
        let seq = 0;
        timers.push(setInterval(() => {
          seq++;
          // the router is unreachable from the fault until the takeover (or for 300 ms when nothing moves)
          const down = w.faultAt !== undefined && Date.now() - w.faultAt < (w.moves ? w.takeoverMs + 200 : 300) && Date.now() >= w.faultAt;
          if (!down) o.onStdout(Buffer.from(`[${(Date.now() / 1000).toFixed(6)}] 64 bytes from ${GW_IP}: icmp_seq=${seq} ttl=254 time=0.5 ms\n`));
        }, 50));
      }
      streams.push(stop);
      return { done, stop: async () => { timers.forEach(clearInterval); stop(); } };
    },
  };
}

function setup(fault: OvnDrillFault, moves: boolean, signal?: AbortSignal, returnGarp = true, takeoverGaps = [2000]): { w: World; run: () => ReturnType<typeof drillOvnFailover> } {
  const w: World = { claimer: 'gw3', takeoverMs: 600, controllerAlive: true, ran: [], moves, returnGarp, takeoverGaps };
  const names = ['upstream', 'central', 'gw1', 'gw2', 'gw3'];
  const inventory: Inventory = {
    source: 'test', nodes: names.map((n, i) => ({ name: n, address: n.startsWith('gw') ? `198.18.8.1${n.slice(2)}` : `198.18.8.${i + 2}`, roles: n === 'central' ? ['controller'] : n === 'upstream' ? ['gateway'] : ['network'] })),
  } as unknown as Inventory;
  const transports = new Map(names.map((n) => [n, fakeTransport(n, w)]));
  const facts = { version: 1, routers: [], ports: [], floatingIps: [], instances: [], agents: [], upstream: { node: 'upstream', ip: '203.0.113.1' } } as unknown as Facts;
  return {
    w,
    run: () => drillOvnFailover({ inventory, facts, profile: { id: 'ovn', garp: { failoverBudgetSeconds: 5 } as never }, fault, via: 'ssh', pingIntervalMs: 50, pollMs: 50, watchMs: 6000, ...(signal ? { signal } : {}) },
      { transportFor: (n) => transports.get(n.name)! }),
  };
}

describe('OVN gateway drill loop (scripted nodes)', function () {
  this.timeout(60_000);

  it('tunnel-down: the SB is read on central, dt-up (br-phy\'s uplink) goes down on gw3, gw2\'s claim and G-ARP are timed, dt-up comes back up', async () => {
    const { w, run } = setup('tunnel-down', true);
    const o = await run();
    expect(o.drill.verdict, `${o.drill.message} ${o.warnings.join('; ')}`).to.equal('pass');
    expect(o.drill.oldPrimary).to.equal('gw3');
    expect(o.drill.newPrimary).to.equal('gw2');
    expect(o.drill.newPrimaryMs).to.be.within(550, 2000);
    expect(o.drill.firstGarpMs).to.be.a('number');
    expect(o.drill.fault).to.equal('tunnel-down gw3/dt-up');
    expect(o.restored).to.deep.equal(['set dt-up up on gw3']);
    expect(o.primariesAfterRestore).to.deep.equal(['gw3']);
    expect(o.garps.map((g) => `${g.node} ${g.ip}`)).to.deep.equal([`gw2 ${GW_IP}`, `gw2 ${GW_IP}`]);
    // the watch held until gw2's second G-ARP, 2 s after its first as 23.03.1 sends them
    expect(o.explanation.join('\n')).to.match(/2 G-ARP\(s\) from gw2, gaps \d+ ms: fits ovn-stop-16s \(ovn-controller 23\.03\.1: 5 G-ARPs, backoff 2-4-8-16 s/);
    const table = renderDrillTable(o);
    if (process.env.HAPROBE_SHOW) process.stderr.write(table);
    expect(table).to.match(/^router 200fa8b9-4ff4-4cd0-9b75-edb95e534348 \(cr-lrp-e16e8b9e-ee46-4bbd-9011-4c0963042b95\): tunnel-down gw3\/dt-up, gateway chassis gw3 → gw2/);
    expect(table).to.match(/G-ARPs from provider uplink after the fault: gw2 203\.0\.113\.69 \+\d+, gw2 203\.0\.113\.69 \+\d+/);
    expect(o.drill.events.find((e) => e.kind === 'restored')?.detail).to.match(/now on gw3; gw3 took it back \d+ ms after the restore and G-ARPed \d+ ms after it/);
    expect(o.warnings.filter((x) => /FDP-1418/.test(x))).to.deep.equal([]);
    const bfd = o.drill.events.find((e) => e.kind === 'bfd-down');
    expect(bfd?.node).to.equal('gw2');
    expect(bfd?.detail).to.match(/on ovn-gw3-0 toward gw3 \(detection 3000 ms/);
    expect(bfd!.tMs).to.be.at.most(o.drill.newPrimaryMs!);
    expect(o.ping?.fip).to.equal(GW_IP);
    // captures: outbound on each gateway's provider uplink
    const caps = w.ran.filter((r) => r.cmd.includes('tcpdump'));
    expect(caps.map((c) => c.node).sort()).to.deep.equal(['gw1', 'gw2', 'gw3']);
    for (const c of caps) expect(c.cmd).to.include('-Q out').and.include('-i ex-up');
    const gw3 = w.ran.filter((r) => r.node === 'gw3' && r.cmd.startsWith('ip link'));
    expect(gw3.map((r) => r.cmd)).to.deep.equal(['ip link set dev dt-up down', 'ip link set dev dt-up up']);
  });

  it('the preferred gateway takes the port back without a G-ARP: said, with OVN FDP-1418 (the takeover still passes)', async () => {
    const { run } = setup('tunnel-down', true, undefined, false);
    const o = await run();
    expect(o.drill.verdict).to.equal('pass');
    expect(o.warnings.join('\n')).to.match(/gw3 took cr-lrp-\S+ back without a G-ARP within 4000 ms: .*\(OVN FDP-1418\)/);
  });

  it('stop-ovn-controller that moves nothing: inconclusive (skip), ovn-controller started again with its own command line', async () => {
    const { w, run } = setup('stop-ovn-controller', false);
    const o = await run();
    expect(o.drill.verdict, o.drill.message).to.equal('skip');
    expect(o.drill.message).to.match(/inconclusive/);
    expect(o.restored[0]).to.match(/^ovn-controller started again on gw3 \(ovn-controller unix:\/run\/openvswitch\/db.sock .*--detach/);
    expect(w.controllerAlive).to.equal(true);
    expect(o.warnings).to.include("gw2's BFD session toward gw3 stayed up through the fault");
    expect(w.ran.some((r) => r.node === 'gw3' && r.cmd.startsWith('ovn-controller '))).to.equal(true);
  });

  it('G-ARPs 1 s apart from a 23.03.1 chassis (ovn-stop-16s expects 2 s): the takeover is a warn, the explanation names the pattern and the gap', async () => {
    const { run } = setup('tunnel-down', true, undefined, true, [1000]);
    const o = await run();
    expect(o.drill.verdict, o.drill.message).to.equal('warn');
    expect(o.drill.message).to.match(/not the pattern of its ovn-controller/);
    expect(o.explanation.join('\n')).to.match(/gap before frame 2 is \d+ ms, ovn-stop-16s expects 1600–3500 ms/);
  });

  it('exit-ovn-controller: ovn-appctl exit through the control socket of the pid read, the next chassis takes over, ovn-controller started again', async () => {
    const { w, run } = setup('exit-ovn-controller', true);
    const o = await run();
    expect(o.drill.verdict, `${o.drill.message} ${o.warnings.join('; ')}`).to.equal('pass');
    expect(o.drill.newPrimary).to.equal('gw2');
    expect(o.drill.events.find((e) => e.kind === 'fault')?.detail).to.match(/^ovn-appctl exit to ovn-controller pid \d+ on gw3$/);
    const exit = w.ran.find((r) => r.node === 'gw3' && r.cmd.startsWith('ovn-appctl '));
    expect(exit?.cmd).to.match(/^ovn-appctl -t \/run\/ovn\/ovn-controller\.\d+\.ctl exit$/);
    expect(o.restored[0]).to.match(/^ovn-controller started again on gw3/);
    expect(w.controllerAlive).to.equal(true);
  });

  it('cancelled before the fault: nothing is injected, the claim untouched', async () => {
    const ac = new AbortController();
    ac.abort('SIGINT');
    const { w, run } = setup('tunnel-down', true, ac.signal);
    const o = await run();
    expect(o.drill.verdict).to.equal('fail');
    expect(o.drill.message).to.match(/cancelled \(SIGINT\) before the fault: nothing was injected/);
    expect(w.ran.some((r) => r.cmd.startsWith('ip link'))).to.equal(false);
    expect(o.primariesAfterRestore).to.deep.equal(['gw3']);
  });
});
