import { spawn } from 'node:child_process';
import { HaprobeError } from '../../errors';
import { sleep } from '../ha-state';
import { nodeArgv, nodeScript, runArgv } from '../shell';
import { NFABRIC_NS, neutronLabPaths, upNeutronStateDir } from './names';
import { crLrpChassis, ovnDbRows } from './ovn-build';
import { readNeutronState } from './state';

/**
 * Gateway failover of the OVN lab, measured (issue 11, ground-truth §6 check 6): act on the
 * chassis claiming cr-lrp-…, then watch — every 100 ms — the SB binding, the peers' BFD state, a
 * 10/s ping of the router's gateway address from the upstream (that address lives on cr-lrp:
 * its outage is the gateway's), and every ARP on the fabric's provider bridge with the port it
 * came in on (ex-<node>: the chassis that sent it). After `holdMs` the fault is undone and the
 * same is watched while the preferred chassis takes cr-lrp back: OVN FDP-1418 (fixed in 25.09)
 * is that this return can come without a G-ARP.
 *
 * `block-peer-tunnel` is FDP-1418's own trigger (OVN tests/multinode.at "HA: Check for missing
 * garp on leader when BFD goes back up"): the preferred gateway stops receiving the tunnel of the
 * second one only (an OpenFlow drop on its underlay bridge br-phy), so each believes it is the
 * highest live gateway. On OVN < 25.09 pinctrl decides residency from the BFD view
 * (consider_nat_address → lport_is_chassis_resident with active_tunnels, v23.03.1
 * controller/pinctrl.c), so the preferred gateway never stops "owning" the addresses and does not
 * announce them again when the second one yields (fixed by 289ec19b0 / 195331f5a).
 */
/** ovn-controller started again as the lab started it (its log is the node's /var/log/neutron) */
const RESTART = 'ovn-controller unix:/run/openvswitch/db.sock --pidfile=/run/ovn/ovn-controller.pid --detach --log-file=/var/log/neutron/ovn-controller.log\n';

export type OvnFailoverHow = 'stop-ovn-controller' | 'exit-ovn-controller' | 'tunnel-down' | 'block-peer-tunnel';
export const OVN_FAILOVER_HOWS: readonly OvnFailoverHow[] = ['tunnel-down', 'exit-ovn-controller', 'stop-ovn-controller', 'block-peer-tunnel'];

/** one ARP frame on the fabric's bridge; `port` is where it came in when `dir` is not Out (ex-<node>: that node sent it) */
export interface ArpFrame { atMs: number; port: string; dir: string; srcMac: string; spa: string; tpa: string; op: 'request' | 'reply' }

export interface OvnFailoverResult {
  how: OvnFailoverHow;
  from: string;
  to?: string;
  /** ms after the action */
  bfdDownMs?: number;
  claimMs?: number;
  firstGarpMs?: number;
  firstGarpPort?: string;
  /** G-ARPs for the gateway address from other chassis while the fault held (ms, ex-<node>) */
  othersGarps: { atMs: number; port: string }[];
  outageMs: number;
  /** max(min_rx, min_tx) × mult from the peer's bfd/show, ms */
  budgetMs?: number;
  back?: { claimMs?: number; chassis?: string; garpsFromPreferred: number; firstGarpMs?: number; outageMs?: number };
  /** how many times the SB claim changed hands while the fault held (two gateways fighting: block-peer-tunnel) */
  claimChanges: number;
  /** the chassis whose BFD was watched (the second-priority gateway) */
  peer: string;
  gatewayIp: string;
  frames: ArpFrame[];
}

/** one line of `tcpdump -i any -nn -e -tt -l arp` (4.99: interface and direction first) — pure */
export function parseArpLine(line: string, t0Ms: number): ArpFrame | undefined {
  const m = /^(\d+\.\d+)\s+(\S+)\s+(In|Out|P|M|B)\s+(?:ifindex \d+ )?([0-9a-f:]{17}) .*?ARP.*?(Request who-has|Reply) (\S+)(?: \([0-9a-f:]+\))?(?: is-at \S+)?(?: tell ([0-9.]+))?/.exec(line);
  if (!m) return undefined;
  const at = Math.round(Number(m[1]) * 1000) - t0Ms;
  if (m[5] === 'Reply') return { atMs: at, port: m[2], dir: m[3], srcMac: m[4], spa: m[6], tpa: m[6], op: 'reply' };
  return { atMs: at, port: m[2], dir: m[3], srcMac: m[4], spa: m[7] ?? '', tpa: m[6], op: 'request' };
}

/** longest gap between successive ping replies (`ping -D` lines), ms — pure */
export function longestGapMs(pingOut: string, fromMs: number): number {
  const ts = [...pingOut.matchAll(/^\[(\d+\.\d+)\] \d+ bytes from/gm)].map((m) => Math.round(Number(m[1]) * 1000));
  let gap = 0;
  let prev = fromMs;
  for (const t of ts) {
    if (t > fromMs) gap = Math.max(gap, t - prev);
    prev = Math.max(prev, t);
  }
  return gap;
}

/**
 * the longest time without a ping reply from `fromMs` to `endMs` (`ping -D` lines), ms — pure; unlike
 * longestGapMs it counts the silence after the last reply: an outage that never ends is its whole window
 */
export function outageUntilMs(pingOut: string, fromMs: number, endMs: number): number {
  const ts = [...pingOut.matchAll(/^\[(\d+\.\d+)\] \d+ bytes from/gm)].map((m) => Math.round(Number(m[1]) * 1000)).filter((t) => t > fromMs && t <= endMs);
  let gap = 0;
  let prev = fromMs;
  for (const t of ts) {
    gap = Math.max(gap, t - prev);
    prev = t;
  }
  return Math.max(gap, endMs - prev);
}

/** `ovs-appctl bfd/show`: per interface, state and the negotiated timers — pure */
export function parseBfdShow(text: string): { iface: string; state: string; remote?: string; minTx?: number; minRx?: number; mult?: number }[] {
  const out: { iface: string; state: string; remote?: string; minTx?: number; minRx?: number; mult?: number }[] = [];
  for (const block of text.split(/^---- /m).slice(1)) {
    const iface = block.split(/\s/)[0];
    const num = (re: RegExp): number | undefined => { const m = re.exec(block); return m ? Number(m[1]) : undefined; };
    out.push({
      iface, state: /^\s*Local Session State: (\w+)/m.exec(block)?.[1] ?? 'unknown', remote: /^\s*Remote Session State: (\w+)/m.exec(block)?.[1],
      minTx: num(/^\s*Local Minimum TX Interval: (\d+)ms/m), minRx: num(/^\s*Local Minimum RX Interval: (\d+)ms/m), mult: num(/^\s*Detect Multiplier: (\d+)/m),
    });
  }
  return out;
}

function background(argv: string[]): { done: Promise<string>; stop(): void } {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<string>((resolve) => child.on('close', () => resolve(out)));
  return { done, stop: () => { try { child.kill('SIGINT'); } catch { /* gone */ } } };
}

export async function ovnFailover(opts: { stateDir?: string; how: OvnFailoverHow; holdMs?: number; watchMs?: number }): Promise<OvnFailoverResult> {
  const p = neutronLabPaths(upNeutronStateDir(opts.stateDir));
  const state = readNeutronState(p);
  if (!state?.ovn || state.phase !== 'up') throw new HaprobeError('usage', 'no OVN lab is up', { hint: 'haprobe lab up --engine neutron --profile ovn' });
  const h = (n: string): number => state.nodes[n].holderPid!;
  const central = h('central');
  const crLrp = state.ovn.crLrp!;
  const from = (await crLrpChassis(central))[crLrp];
  if (!from) throw new HaprobeError('lab', `${crLrp} is not claimed`);
  const lrp = crLrp.replace(/^cr-/, '');
  const [gwPort] = await ovnDbRows(central, 'ovn-nbctl', ['--columns=networks', 'find', 'Logical_Router_Port', `name=${lrp}`]);
  const nets = gwPort?.networks;
  const gatewayIp = String(Array.isArray(nets) ? nets[0] : nets).split('/')[0];
  // the second-priority gateway: the one that takes over, and the one block-peer-tunnel cuts off
  const gcs = (await ovnDbRows(central, 'ovn-nbctl', ['--columns=chassis_name,priority', 'list', 'Gateway_Chassis']))
    .map((g) => ({ chassis: String(g.chassis_name), priority: Number(g.priority) })).sort((a, b) => b.priority - a.priority);
  const peer = gcs.find((g) => g.chassis !== from && state.nodes[g.chassis])?.chassis ?? Object.keys(state.nodes).find((n) => /^gw\d/.test(n) && n !== from)!;
  const holdMs = opts.holdMs ?? 20_000;
  const watchMs = opts.watchMs ?? 15_000;
  const total = Math.ceil((holdMs + watchMs + 5_000) / 1000);

  const cap = background(['ip', 'netns', 'exec', NFABRIC_NS, 'timeout', String(total), 'tcpdump', '-i', 'any', '-nn', '-e', '-tt', '-l', 'arp']);
  const ping = background(nodeArgv(h('upstream'), ['timeout', String(total), 'ping', '-D', '-n', '-i', '0.1', '-W', '1', gatewayIp]));
  await sleep(1500);
  const bfdOf = async (): Promise<ReturnType<typeof parseBfdShow>> =>
    parseBfdShow((await runArgv(nodeArgv(h(peer), ['ovs-appctl', 'bfd/show']), '', 5_000)).stdout);
  const before = await bfdOf();
  const toFrom = before.find((b) => b.iface.includes(from)) ?? before[0];
  const budgetMs = toFrom?.minRx !== undefined && toFrom.minTx !== undefined && toFrom.mult !== undefined ? Math.max(toFrom.minRx, toFrom.minTx) * toFrom.mult : undefined;

  const peerEncap = opts.how === 'block-peer-tunnel' ? (await runArgv(nodeArgv(h(peer), ['ovs-vsctl', 'get', 'Open_vSwitch', '.', 'external_ids:ovn-encap-ip']), '', 10_000)).stdout.trim().replace(/"/g, '') : '';
  if (opts.how === 'block-peer-tunnel' && !/^\d+\.\d+\.\d+\.\d+$/.test(peerEncap)) throw new HaprobeError('lab', `${peer}: no ovn-encap-ip (${peerEncap})`);
  // Geneve from the peer dropped on the preferred gateway's underlay bridge, before the userspace tunnel pop
  const peerFlow = `priority=65000,udp,nw_src=${peerEncap},tp_dst=6081`;
  const act: Record<OvnFailoverHow, [string, string]> = {
    'stop-ovn-controller': ['kill $(cat /run/ovn/ovn-controller.pid)\n', RESTART],
    'exit-ovn-controller': ['ovn-appctl -t ovn-controller exit\n', RESTART],
    'tunnel-down': ['ip link set dt-up down\n', 'ip link set dt-up up\n'],
    'block-peer-tunnel': [`ovs-ofctl add-flow br-phy '${peerFlow},actions=drop'\n`, `ovs-ofctl --strict del-flows br-phy '${peerFlow}'\n`],
  };
  const t0 = Date.now();
  await nodeScript(h(from), act[opts.how][0], `${opts.how} on ${from}`);
  let bfdDownMs: number | undefined;
  let claimMs: number | undefined;
  let to: string | undefined;
  let claimChanges = 0;
  let lastClaim: string | undefined = from;
  while (Date.now() - t0 < holdMs) {
    const c = (await crLrpChassis(central).catch(() => ({} as Record<string, string | undefined>)))[crLrp];
    if (c !== lastClaim) { claimChanges++; lastClaim = c; }
    if (claimMs === undefined && c && c !== from) { claimMs = Date.now() - t0; to = c; }
    if (bfdDownMs === undefined) {
      const b = (await bfdOf()).find((x) => x.iface === toFrom?.iface);
      if (b && b.state !== 'up') bfdDownMs = Date.now() - t0;
    }
    await sleep(100);
  }
  const t1 = Date.now();
  await nodeScript(h(from), act[opts.how][1], `undo ${opts.how} on ${from}`);
  let backMs: number | undefined;
  let backChassis: string | undefined;
  while (Date.now() - t1 < watchMs) {
    const c = (await crLrpChassis(central).catch(() => ({} as Record<string, string | undefined>)))[crLrp];
    if (backMs === undefined && c === from) { backMs = Date.now() - t1; backChassis = c; }
    await sleep(100);
  }
  const t2 = Date.now();
  cap.stop();
  ping.stop();
  const [capOut, pingOut] = await Promise.all([cap.done, ping.done]);
  const frames = capOut.split('\n').map((l) => parseArpLine(l, t0)).filter((f): f is ArpFrame => f !== undefined && f.port.startsWith('ex-') && f.dir !== 'Out');
  const garps = frames.filter((f) => f.op === 'request' && f.spa === gatewayIp && f.tpa === gatewayIp);
  // the new chassis' first G-ARP: frames of other chassis in the window (the old one's back-off
  // tail of an earlier claim, seen on the lab) are kept in `others`, not taken for the takeover's
  const first = garps.find((f) => f.atMs >= 0 && f.atMs < t1 - t0 && to !== undefined && f.port === `ex-${to}`);
  const others = garps.filter((f) => f.atMs >= 0 && f.atMs < t1 - t0 && f.port !== `ex-${to ?? ''}`).map((f) => ({ atMs: f.atMs, port: f.port }));
  const fromPreferred = garps.filter((f) => f.atMs >= t1 - t0 && f.port === `ex-${from}`);
  return {
    how: opts.how, from, to, bfdDownMs, claimMs, firstGarpMs: first?.atMs, firstGarpPort: first?.port, othersGarps: others, outageMs: longestGapMs(pingOut, t0), budgetMs,
    back: {
      claimMs: backMs, chassis: backChassis, garpsFromPreferred: fromPreferred.length, firstGarpMs: fromPreferred[0] ? fromPreferred[0].atMs - (t1 - t0) : undefined,
      // the upstream's view of the return: a preferred gateway that does not announce itself leaves the fabric sending to the old port
      outageMs: outageUntilMs(pingOut, t1, t2),
    },
    claimChanges, peer, gatewayIp, frames,
  };
}
