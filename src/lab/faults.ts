import { IPV6_FAULTS } from './faults-ipv6';
import * as path from 'node:path';
import { HaprobeError } from '../errors';
import { writeFacts } from './artifacts';
import { associateFip, disassociateFip, garpTargetFor } from './fip';
import { haPrimaryOf, isPrimaryWord, readHaStates, waitFor } from './ha-state';
import { makeMac } from './ids';
import { labPaths, resolveStateDir } from './paths';
import { initialFips, isCentralizedFip, planOfState } from './plan';
import { isAlive, readNodePid } from './processes';
import { dnatRuleSpec, iptablesEraOf } from './render-iptables';
import { FABRIC_NS, sshdCommand } from './render-host';
import { HA_CONFS, haNamespace, ovsDeviceOf, qrouterNs, dvrQrouterIptables, qrouterIptables, renderRouterOnNode, rfpDevice, SCRIPT_PRELUDE, snatIptables, snatNs } from './render-node';
import { BUG_FAULTS } from './faults-bugs';
import { REDUNDANCY_FAULTS } from './faults-redundancy';
import { DVR_FAULTS } from './faults-dvr';
import { MULTINIC_FAULTS } from './faults-multinic';
import { holderOf, record, type FaultCtx, type FaultListing, type FaultSpec } from './fault-spec';

export type { FaultCtx, FaultSpec } from './fault-spec';
import { hostScript, nodeScript } from './shell';
import { readLabState, requireLabUp, writeLabState } from './state';
import { isNovaProfile } from './nova/plan';
import { applyNovaFault, healNovaFaults, NOVA_FAULTS } from './nova/faults';
import type { LabFaultRecord, LabPlan } from './types';

/**
 * Make the upstream hold an entry for `ip` with a MAC nobody owns, as if a previous owner had
 * announced it: a real G-ARP from a temporary namespace on the fabric's ext bridge, then removed.
 */
async function poisonUpstream(plan: LabPlan, ip: string): Promise<string> {
  const mac = makeMac(plan.seed, `previous-owner:${ip}`);
  const tmp = 'hp-garptmp';
  await hostScript([
    'set -e',
    `ip netns del ${tmp} 2>/dev/null || true`,
    `ip netns add ${tmp}`,
    `ip netns exec ${tmp} sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1`,
    `ip link add gt-a netns ${FABRIC_NS} type veth peer name gt-b netns ${tmp}`,
    `ip -n ${FABRIC_NS} link set gt-a master ext up`,
    `ip -n ${tmp} link set gt-b address ${mac} up`,
    `ip -n ${tmp} addr add ${ip}/32 dev gt-b`,
    `ip netns exec ${tmp} /usr/bin/arping -U -I gt-b -c 2 -w 3 ${ip} >/dev/null 2>&1 || true`,
    `ip netns del ${tmp}`,
  ].join('\n') + '\n', 'poison upstream neighbour');
  return mac;
}

/** a FIP that is free to (re)associate: the first unassociated one, else the last associated (disassociated first) */
async function freeFip(ctx: FaultCtx): Promise<{ fip: string; wasAssociated: boolean }> {
  const free = ctx.plan.fipPool.find((f) => ctx.state.fips[f.ip] === undefined);
  if (free) return { fip: free.ip, wasAssociated: false };
  const last = ctx.plan.fipPool[ctx.plan.fipPool.length - 1];
  await disassociateFip({ stateDir: ctx.stateDir, fip: last.ip });
  return { fip: last.ip, wasAssociated: true };
}

async function applyGarpFault(ctx: FaultCtx, spec: FaultSpec, how: 'noGarp' | 'wrongSender'): Promise<LabFaultRecord> {
  const { fip, wasAssociated } = await freeFip(ctx);
  const previousMac = await poisonUpstream(ctx.plan, fip);
  const rec = await associateFip({ stateDir: ctx.stateDir, fip, [how]: true });
  return record(spec, `floatingIp ${fip}`, rec.node, { fip, previousMac, wasAssociated, expectedMac: rec.expectedMac });
}

async function healGarpFault(ctx: FaultCtx, rec: LabFaultRecord): Promise<void> {
  const fip = String(rec.undo!.fip);
  const state = requireLabUp(ctx.paths);
  if (state.fips[fip]) await disassociateFip({ stateDir: ctx.stateDir, fip });
  await nodeScript(holderOf(ctx, 'upstream'), `ip neigh del ${fip} dev ext0 2>/dev/null || true\n`, 'flush upstream entry');
  if (rec.undo!.wasAssociated || initialFips(ctx.plan)[fip]) await associateFip({ stateDir: ctx.stateDir, fip });
}

type DnatKind = 'qrouter' | 'dvr-qrouter' | 'snat';

/** where the DNAT of an associated FIP lives: node, namespace, iptables kind (centralized FIPs: snat-) */
function dnatPlace(ctx: FaultCtx, fip: string): { node: string; ns: string; kind: DnatKind } {
  const r = ctx.plan.router;
  const t = garpTargetFor(ctx.plan, ctx.state, fip);
  const inst = ctx.plan.instances.find((i) => i.name === ctx.state.fips[fip]);
  if (inst && isCentralizedFip(ctx.plan, inst)) return { node: t.node, ns: snatNs(r.id), kind: 'snat' };
  if (r.mode === 'dvr' || r.mode === 'dvr-ha') return { node: t.node, ns: qrouterNs(r.id), kind: 'dvr-qrouter' };
  return { node: t.node, ns: qrouterNs(r.id), kind: 'qrouter' };
}

function nsIptablesFor(ctx: FaultCtx, node: string, kind: DnatKind): string {
  if (kind === 'snat') return snatIptables(ctx.plan, ctx.state.fips);
  return kind === 'qrouter' ? qrouterIptables(ctx.plan, ctx.state.fips) : dvrQrouterIptables(ctx.plan, node, ctx.state.fips);
}

/** the router namespace a placement fault plays with, and which node must (not) have it */
function placementChoice(ctx: FaultCtx, missing: boolean): { node: string; ns: string } {
  const r = ctx.plan.router;
  const nodes = ctx.plan.nodes.filter((n) => n.kind !== 'gateway').map((n) => n.name);
  if (ctx.node) {
    if (!nodes.includes(ctx.node)) throw new HaprobeError('usage', `unknown lab node ${ctx.node}`);
    const ns = missing || !r.hosts.includes(ctx.node) ? qrouterNs(r.id) : snatNs(r.id);
    return { node: ctx.node, ns };
  }
  if (missing) {
    if (r.mode === 'legacy') return { node: r.hosts[0], ns: qrouterNs(r.id) };
    if (r.mode === 'ha') {
      const primary = haPrimaryOf(ctx.plan, ctx.paths);
      return { node: r.hosts.find((h) => h !== primary)!, ns: qrouterNs(r.id) };
    }
    return { node: r.hosts[r.hosts.length - 1], ns: qrouterNs(r.id) };
  }
  const noRouter = nodes.find((n) => !r.hosts.includes(n));
  if (noRouter) return { node: noRouter, ns: qrouterNs(r.id) };
  return { node: nodes.find((n) => !r.snatHosts.includes(n))!, ns: snatNs(r.id) };
}

/** kill the processes living in a node namespace (keepalived, monitor) and delete it */
function renderNsRemoval(ns: string): string {
  return [
    `if [ -e /run/netns/${ns} ]; then`,
    `  ino=$(stat -L -c %i /run/netns/${ns})`,
    '  for p in /proc/[0-9]*; do',
    '    l=$(readlink $p/ns/net 2>/dev/null) || continue',
    '    [ "$l" = "net:[$ino]" ] && kill -9 ${p#/proc/} 2>/dev/null || true',
    '  done',
    `  ip netns del ${ns}`,
    'fi',
  ].join('\n');
}

export const FAULTS: readonly FaultSpec[] = [
  {
    name: 'missing-garp',
    aliases: ['lp1639315'],
    bug: { row: 1, refs: ['lp#1639315'], how: 'symptom' },
    check: 'upstream-neighbour',
    subject: 'floatingIp (+ node of upstream)',
    also: '`garp verify` FAIL cause no-garp',
    description: 'upstream holds the FIP with a previous owner\'s MAC; the FIP is associated without any G-ARP',
    apply: (ctx) => applyGarpFault(ctx, FAULTS[0], 'noGarp'),
    heal: healGarpFault,
  },
  {
    name: 'wrong-sender-garp',
    aliases: ['lp1690165'],
    bug: { row: 5, refs: ['lp#1690165'], how: 'symptom' },
    check: 'upstream-neighbour',
    subject: 'floatingIp',
    also: '`garp verify` FAIL cause wrong-sender-ip',
    description: 'as missing-garp, but announced with `arping -I dev -s <gw ip> -c 3 FIP` (who-has FIP tell gw: not a G-ARP)',
    apply: (ctx) => applyGarpFault(ctx, FAULTS[1], 'wrongSender'),
    heal: healGarpFault,
  },
  {
    name: 'split-brain',
    aliases: ['lp1731595'],
    bug: { row: 7, refs: ['lp#1731595'], how: 'symptom' },
    needs: 'an HA profile',
    check: 'l3ha-single-primary',
    subject: 'router',
    also: 'capture: two VRRP masters',
    description: 'drop VRRP (IP proto 112) between the primary and one backup on their ha- devices: both become primary',
    async apply(ctx) {
      const r = ctx.plan.router;
      if (r.haHosts.length < 2) throw new HaprobeError('usage', `split-brain needs an HA profile (this is ${ctx.plan.profile})`);
      const primary = haPrimaryOf(ctx.plan, ctx.paths);
      if (!primary) throw new HaprobeError('lab', 'router has no single primary now');
      const other = ctx.node && ctx.node !== primary ? ctx.node : r.haHosts.find((h) => h !== primary)!;
      const ns = haNamespace(ctx.plan);
      const pair: [string, string][] = [[primary, other], [other, primary]];
      for (const [a, b] of pair) {
        await nodeScript(holderOf(ctx, a),
          `ip netns exec ${ns} iptables -I INPUT -i ${r.ha[a].device} -p vrrp -s ${r.ha[b].ip} -j DROP\n`, `block VRRP on ${a}`);
      }
      const ok = await waitFor(() => Object.values(readHaStates(ctx.plan, ctx.paths)).filter(isPrimaryWord).length >= 2, 20_000, 200);
      if (!ok) throw new HaprobeError('lab', `split brain did not happen: ${JSON.stringify(readHaStates(ctx.plan, ctx.paths))}`);
      return record(this, `router ${r.id}`, `${primary},${other}`, { a: primary, b: other });
    },
    async heal(ctx, rec) {
      const r = ctx.plan.router;
      const a = String(rec.undo!.a);
      const b = String(rec.undo!.b);
      const ns = haNamespace(ctx.plan);
      for (const [x, y] of [[a, b], [b, a]]) {
        await nodeScript(holderOf(ctx, x),
          `ip netns exec ${ns} iptables -D INPUT -i ${r.ha[x].device} -p vrrp -s ${r.ha[y].ip} -j DROP || true\n`, `unblock VRRP on ${x}`);
      }
      await waitFor(() => haPrimaryOf(ctx.plan, ctx.paths) !== undefined, 20_000, 200);
    },
  },
  {
    name: 'missing-dnat',
    check: 'nat-rules',
    subject: 'node + namespace + floatingIp',
    description: 'delete the PREROUTING DNAT rule of an associated FIP in the namespace that NATs it',
    async apply(ctx) {
      const fip = Object.keys(ctx.state.fips)[0];
      if (!fip) throw new HaprobeError('lab', 'no floating IP is associated');
      const inst = ctx.plan.instances.find((i) => i.name === ctx.state.fips[fip])!;
      const { node, ns, kind } = dnatPlace(ctx, fip);
      const spec = dnatRuleSpec(kind, { ip: fip, fixed: inst.port.ip }, rfpDevice(ctx.plan.router.id), iptablesEraOf(ctx.plan.rules));
      await nodeScript(holderOf(ctx, node), `ip netns exec ${ns} iptables -t nat -D ${spec}\n`, 'delete DNAT');
      return record(this, `node ${node} namespace ${ns} floatingIp ${fip}`, node, { ns, kind, fip });
    },
    async heal(ctx, rec) {
      const node = rec.node!;
      const kind = rec.undo!.kind as DnatKind;
      const text = nsIptablesFor(ctx, node, kind);
      await nodeScript(holderOf(ctx, node), `ip netns exec ${rec.undo!.ns} iptables-restore <<'HAPROBE_EOF'\n${text}HAPROBE_EOF\n`, 'restore NAT');
    },
  },
  {
    name: 'stale-namespace',
    check: 'namespace-placement',
    subject: 'node + namespace',
    description: 'a router namespace on a node that must not have it (legacy: qrouter on net2)',
    async apply(ctx) {
      const { node, ns } = placementChoice(ctx, false);
      await nodeScript(holderOf(ctx, node), `ip netns add ${ns}\n`, 'add stale namespace');
      return record(this, `node ${node} namespace ${ns}`, node, { ns });
    },
    async heal(ctx, rec) {
      await nodeScript(holderOf(ctx, rec.node!), `ip netns del ${rec.undo!.ns} 2>/dev/null || true\n`, 'delete stale namespace');
    },
  },
  {
    name: 'missing-namespace',
    check: 'namespace-placement',
    subject: 'node + namespace',
    description: 'delete a qrouter namespace that must exist (legacy: the router\'s; HA: a backup\'s; DVR: a compute\'s)',
    async apply(ctx) {
      const { node, ns } = placementChoice(ctx, true);
      await nodeScript(holderOf(ctx, node), renderNsRemoval(ns) + '\n', 'delete namespace');
      return record(this, `node ${node} namespace ${ns}`, node, { ns });
    },
    async heal(ctx, rec) {
      // rebuild the agent's part on that node from scratch, as a resync would
      const node = rec.node!;
      const r = ctx.plan.router;
      const devs = [r.qr.device, r.qg.device, r.sg?.device, r.ha[node]?.device, r.fg[node]?.device].filter((d): d is string => !!d);
      const nss = [qrouterNs(r.id), snatNs(r.id), `fip-${ctx.plan.extNet.id}`];
      const script = [
        ...nss.map(renderNsRemoval),
        ...devs.map((d) => `ovs-vsctl --if-exists del-port ${d}; ip link del ${d} 2>/dev/null || true`),
        `rm -rf ${HA_CONFS}/${r.id} ${HA_CONFS}/${r.id}.*`,
        'ovs-ofctl del-flows br-tun; ovs-ofctl add-flow br-tun "priority=0,actions=NORMAL"',
        SCRIPT_PRELUDE,
        ...renderRouterOnNode(ctx.plan, node, requireLabUp(ctx.paths).fips),
      ].join('\n') + '\n';
      await nodeScript(holderOf(ctx, node), script, 'rebuild router namespaces');
      if (r.haHosts.length > 0) await waitFor(() => haPrimaryOf(ctx.plan, ctx.paths) !== undefined, 20_000, 200);
    },
  },
  {
    name: 'mac-mismatch',
    check: 'device-mac',
    subject: 'node + namespace + device',
    description: 'change the qr- device MAC so it differs from the neutron port MAC and the OVS attached-mac',
    async apply(ctx) {
      const r = ctx.plan.router;
      const node = ctx.node ?? (r.mode === 'ha' ? haPrimaryOf(ctx.plan, ctx.paths) ?? r.hosts[0] : r.hosts[r.hosts.length - 1]);
      const ns = qrouterNs(r.id);
      const mac = makeMac(ctx.plan.seed, 'mac-mismatch');
      await nodeScript(holderOf(ctx, node), `ip -n ${ns} link set ${r.qr.device} address ${mac}\n`, 'change MAC');
      return record(this, `node ${node} namespace ${ns} device ${r.qr.device}`, node, { ns, device: r.qr.device, mac: r.qr.mac });
    },
    async heal(ctx, rec) {
      await nodeScript(holderOf(ctx, rec.node!), `ip -n ${rec.undo!.ns} link set ${rec.undo!.device} address ${rec.undo!.mac}\n`, 'restore MAC');
    },
  },
  {
    name: 'missing-antispoof-flow',
    check: 'ovs-antispoof',
    subject: 'node + port',
    description: 'delete the br-int arp_spa flow of an instance port (table 24; table 71 with the openvswitch firewall)',
    async apply(ctx) {
      const inst = ctx.plan.instances.find((i) => !ctx.node || i.host === ctx.node) ?? ctx.plan.instances[0];
      const dev = ovsDeviceOf(ctx.plan, inst);
      const of = (await nodeScript(holderOf(ctx, inst.host), `ovs-vsctl get Interface ${dev} ofport\n`, 'ofport')).trim();
      const match = ctx.plan.variant.firewallDriver === 'openvswitch'
        ? `table=71,priority=95,arp,reg5=${of},in_port=${of},dl_src=${inst.port.mac},arp_spa=${inst.port.ip}`
        : `table=24,priority=2,arp,in_port=${of},arp_spa=${inst.port.ip}`;
      const then = ctx.plan.variant.firewallDriver === 'openvswitch' ? 'resubmit(,94)' : 'resubmit(,25)';
      await nodeScript(holderOf(ctx, inst.host), `ovs-ofctl --strict del-flows br-int "${match}"\n`, 'delete anti-spoof flow');
      return record(this, `node ${inst.host} port ${inst.port.id}`, inst.host, { ofport: of, ip: inst.port.ip, tap: dev, flow: `${match},actions=${then}` });
    },
    async heal(ctx, rec) {
      const flow = rec.undo!.flow ?? `table=24,priority=2,arp,in_port=${rec.undo!.ofport},arp_spa=${rec.undo!.ip},actions=resubmit(,25)`;
      await nodeScript(holderOf(ctx, rec.node!), `ovs-ofctl add-flow br-int "${String(flow)}"\n`, 'restore flow');
    },
  },
  {
    name: 'node-unreachable',
    check: 'node-reachable',
    subject: 'node',
    also: 'exit code 3',
    description: 'stop the node\'s sshd (by pid); heal restarts it',
    async apply(ctx) {
      const node = ctx.node ?? ctx.plan.nodes[ctx.plan.nodes.length - 1].name;
      const pidFile = path.join(ctx.paths.nodeDir(node), 'sshd.pid');
      const pid = readNodePid(pidFile, holderOf(ctx, node));
      if (!pid || !isAlive(pid)) throw new HaprobeError('lab', `sshd of ${node} is not running`);
      process.kill(pid, 'SIGTERM');
      await waitFor(() => !isAlive(pid), 3000, 50);
      return record(this, `node ${node}`, node, { pid });
    },
    async heal(ctx, rec) {
      const node = ctx.plan.nodes.find((n) => n.name === rec.node)!;
      await nodeScript(holderOf(ctx, node.name), sshdCommand(node, ctx.paths) + '\n', 'restart sshd');
    },
  },
  {
    name: 'lp1870313',
    check: 'upstream-neighbour',
    subject: 'floatingIp',
    bug: { row: 2, refs: ['lp#1870313'], how: 'symptom' },
    needs: 'an HA profile',
    also: '`garp verify` FAIL cause no-garp',
    description: 'symptom: a FIP is added to the HA primary\'s qg- and nothing announces it (the state-change daemon\'s arping thread never ran); ' +
      'upstream keeps a previous owner\'s MAC',
    apply(ctx) {
      if (ctx.plan.router.haHosts.length < 2) throw new HaprobeError('usage', `lp1870313 needs an HA profile (this is ${ctx.plan.profile})`);
      return applyGarpFault(ctx, this, 'noGarp');
    },
    heal: healGarpFault,
  },
  {
    name: 'lp1273386',
    check: 'upstream-neighbour',
    subject: 'floatingIp',
    bug: { row: 6, refs: ['lp#1273386'], how: 'symptom' },
    also: '`garp verify` FAIL cause no-garp',
    description: 'symptom of send_arp_for_ha = 0: a FIP is associated and the agent sends no G-ARP at all; upstream keeps a previous owner\'s MAC',
    apply(ctx) {
      return applyGarpFault(ctx, this, 'noGarp');
    },
    heal: healGarpFault,
  },
  ...BUG_FAULTS,
  ...REDUNDANCY_FAULTS,
  ...DVR_FAULTS,
  ...IPV6_FAULTS,
  ...MULTINIC_FAULTS, // issue 9, neutron-multinic-aa
];

/** `name (§7 #4, lp#1520517)` for listings */
export function faultLabel(f: Pick<FaultSpec, 'name' | 'bug'>): string {
  return f.bug ? `${f.name} (§7 #${f.bug.row}, ${f.bug.refs.join(', ')})` : f.name;
}

/** the fault registry as a table, §7 rows in order, then the faults that are no §7 row */
export function listFaults(): FaultListing[] {
  const rows = FAULTS.map((f): FaultListing => ({
    name: f.name, aliases: f.aliases ?? [], row: f.bug?.row, bugs: f.bug?.refs ?? [], check: f.check, subject: f.subject,
    how: f.bug?.how, needs: f.needs, also: f.also, description: f.description,
  }));
  return rows.sort((a, b) => (a.row ?? 1000) - (b.row ?? 1000));
}

export function findFault(name: string): FaultSpec {
  const f = FAULTS.find((x) => x.name === name || x.aliases?.includes(name) === true);
  if (!f && NOVA_FAULTS.some((x) => x.name === name)) {
    throw new HaprobeError('usage', `fault ${name} belongs to the nova lab, and this lab is not one`, { hint: 'haprobe lab up --profile nova-flatdhcp|nova-multihost|nova-hot-standby|nova-hw-gateway' });
  }
  if (!f) throw new HaprobeError('usage', `unknown lab fault "${name}"`, { hint: FAULTS.map((x) => x.name).join(', ') });
  return f;
}

function context(stateDir: string | undefined, node?: string): FaultCtx {
  const dir = resolveStateDir(stateDir);
  const paths = labPaths(dir);
  const state = requireLabUp(paths);
  return { plan: planOfState(state), state, paths, stateDir: dir, node };
}

/** inject a fault; it is recorded in lab.json so `heal` can undo it */
export async function applyFault(opts: { stateDir?: string; name: string; node?: string }): Promise<LabFaultRecord & { also?: string }> {
  if (isNovaLab(opts.stateDir)) return applyNovaFault(opts); // issue 9 (src/lab/nova/faults.ts)
  const spec = findFault(opts.name);
  const ctx = context(opts.stateDir, opts.node);
  const garpFaults = ['missing-garp', 'wrong-sender-garp', 'lp1870313', 'lp1273386'];
  const clash = ctx.state.faults.find((f) => f.name === spec.name || (garpFaults.includes(f.name) && garpFaults.includes(spec.name)));
  if (clash) throw new HaprobeError('usage', `fault ${clash.name} is applied`, { hint: `heal it first (\`haprobe lab heal ${clash.name}\`)` });
  const rec = await spec.apply(ctx);
  const state = requireLabUp(ctx.paths);
  state.faults.push(rec);
  writeLabState(ctx.paths, state);
  writeFacts(ctx.plan, ctx.paths, state);
  return { ...rec, also: spec.also };
}

/** heal one fault by name, or all applied faults (last applied first) */
export async function healFaults(opts: { stateDir?: string; name?: string } = {}): Promise<LabFaultRecord[]> {
  if (isNovaLab(opts.stateDir)) return healNovaFaults(opts);
  const ctx = context(opts.stateDir);
  const wanted = opts.name === undefined ? undefined : findFault(opts.name).name;
  const todo = ctx.state.faults.filter((f) => !wanted || f.name === wanted).reverse();
  if (opts.name && todo.length === 0) throw new HaprobeError('usage', `fault ${opts.name} is not applied`);
  const healed: LabFaultRecord[] = [];
  for (const rec of todo) {
    await findFault(rec.name).heal(ctx, rec);
    const state = requireLabUp(ctx.paths);
    state.faults = state.faults.filter((f) => f !== rec && !(f.name === rec.name && f.appliedAt === rec.appliedAt));
    writeLabState(ctx.paths, state);
    healed.push(rec);
  }
  writeFacts(ctx.plan, ctx.paths, requireLabUp(ctx.paths));
  return healed;
}

/** is the lab in this state dir a nova-network one (issue 9)? */
function isNovaLab(stateDir: string | undefined): boolean {
  return isNovaProfile(readLabState(labPaths(resolveStateDir(stateDir)))?.profile);
}
