import { HaprobeError } from '../errors';
import { holderOf, record, type FaultCtx, type FaultSpec } from './fault-spec';
import { disassociateFip, associateFip } from './fip';
import { haPrimaryOf, waitFor } from './ha-state';
import { makeMac, makeUuid, deviceName } from './ids';
import { associatedFips, isCentralizedFip } from './plan';
import { renderNsIptables } from './render-iptables';
import {
  FIP_RT_TBL, fipNs, fipRulePriority, fprDevice, HA_CONFS, haNamespace, qrouterNs, renderRouterOnNode, rfpDevice, SCRIPT_PRELUDE, snatNs,
} from './render-node';
import { nodeScript } from './shell';
import { requireLabUp } from './state';
import type { LabPlan } from './types';

/**
 * Faults of the DVR rows of ground-truth §7 (issue 12): #15–#23 and #25, each named after its
 * bug. They act on the fip-/qrouter-/snat- namespaces of one node as the buggy agent left them;
 * heals rebuild that node's router part the way a full resync does.
 */

function requireDvr(ctx: FaultCtx, name: string, ha = false): void {
  const m = ctx.plan.router.mode;
  if (m !== 'dvr' && m !== 'dvr-ha') throw new HaprobeError('usage', `${name} needs a DVR profile (this is ${ctx.plan.profile})`);
  if (ha && m !== 'dvr-ha') throw new HaprobeError('usage', `${name} needs neutron-dvr-snat-ha (this is ${ctx.plan.profile})`);
}

/** a compute with a fip- namespace and a distributed FIP bound there (the --node override wins) */
function dvrFipHost(ctx: FaultCtx): { node: string; fip: string; fixed: string } {
  const r = ctx.plan.router;
  const fips = associatedFips(ctx.plan, ctx.state.fips)
    .filter((f) => r.fg[f.instance.host] !== undefined && !isCentralizedFip(ctx.plan, f.instance))
    .filter((f) => !ctx.node || f.instance.host === ctx.node);
  const f = fips[0];
  if (!f) throw new HaprobeError('lab', `no distributed floating IP is associated${ctx.node ? ` on ${ctx.node}` : ''}`);
  return { node: f.instance.host, fip: f.ip, fixed: f.instance.port.ip };
}

/** kill what runs in a namespace and delete it (as faults.ts renderNsRemoval) */
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

/** rebuild the router part of one node from scratch, as an agent resync does (the missing-namespace heal) */
export async function rebuildRouterOnNode(ctx: FaultCtx, node: string, extraDevs: string[] = []): Promise<void> {
  const r = ctx.plan.router;
  const devs = [r.qr.device, r.qg.device, r.sg?.device, r.ha[node]?.device, r.fg[node]?.device, ...extraDevs].filter((d): d is string => !!d);
  const nss = [qrouterNs(r.id), snatNs(r.id), fipNs(ctx.plan.extNet.id)];
  const script = [
    ...nss.map(renderNsRemoval),
    ...devs.map((d) => `ovs-vsctl --if-exists del-port ${d}; ip link del ${d} 2>/dev/null || true`),
    `rm -rf ${HA_CONFS}/${r.id} ${HA_CONFS}/${r.id}.*`,
    'ovs-ofctl del-flows br-tun; ovs-ofctl add-flow br-tun "priority=0,actions=NORMAL"',
    SCRIPT_PRELUDE,
    ...renderRouterOnNode(ctx.plan, node, requireLabUp(ctx.paths).fips),
  ].join('\n') + '\n';
  await nodeScript(holderOf(ctx, node), script, `rebuild router namespaces on ${node}`);
  if (r.haHosts.length > 0) await waitFor(() => haPrimaryOf(ctx.plan, ctx.paths) !== undefined, 20_000, 200);
}

const healByRebuild = async (ctx: FaultCtx, rec: { node?: string; undo?: Record<string, string | number | boolean> }): Promise<void> => {
  const extra = typeof rec.undo?.device === 'string' ? [rec.undo.device] : [];
  await rebuildRouterOnNode(ctx, rec.node!, extra);
};

/** heal of an extra-port fault (renderExtraPort): unplug the device from OVS and delete it */
const healByUnplug = async (ctx: FaultCtx, rec: { node?: string; undo?: Record<string, string | number | boolean> }): Promise<void> => {
  await nodeScript(holderOf(ctx, rec.node!), `ovs-vsctl --if-exists del-port ${rec.undo!.device}\nip -n ${rec.undo!.ns} link del ${rec.undo!.device} 2>/dev/null || true\n`, `unplug ${rec.undo!.device}`);
};

/** the DVR qrouter iptables of a node, with `fipIif` false: the Mitaka DNAT on every ingress port (lp#1462154) */
function dvrQrouterIptables(plan: LabPlan, fips: Record<string, string>, node: string, fipIif: boolean): string {
  const r = plan.router;
  const mine = associatedFips(plan, fips).filter((f) => f.instance.host === node && !isCentralizedFip(plan, f.instance));
  return renderNsIptables({ era: { ...plan.rules, dvrFipOnRfp: !fipIif }, kind: 'dvr-qrouter', rfp: r.fg[node] ? rfpDevice(r.id) : undefined,
    fips: mine.map((f) => ({ ip: f.ip, fixed: f.instance.port.ip })) });
}

const restoreIn = (ns: string, text: string): string => `ip netns exec ${ns} iptables-restore <<'HAPROBE_EOF'\n${text}HAPROBE_EOF\n`;

/** an OVS internal port in `ns` named like neutron's (prefix + a made-up port id), the way the agent plugs one */
function renderExtraPort(ns: string, prefix: string, seed: string, key: string, bridge: 'br-int' | 'br-ex', vlan?: number): { script: string; device: string } {
  const id = makeUuid(seed, key);
  const device = deviceName(prefix, id);
  const mac = makeMac(seed, key);
  return { device, script: `${SCRIPT_PRELUDE}\nplug ${ns} ${device} ${mac} ${bridge} "${vlan ?? ''}" ${id}\n` };
}

/** the pre-Newton DVR_FIP_LL_CIDR (lp#1562110): 256 /31 pairs, the pool a Juno–Mitaka agent exhausts */
const OLD_LL_POOL = { base: '169.254.30.0', pairs: 256 };

/**
 * `count` more DVR routers with a gateway on a host, as the L3 agent wires each (a qrouter-
 * namespace, an rfp-/fpr- veth to the fip- namespace, the next free /31 of the pool): made-up
 * router ids from the lab seed, so the heal finds them again. Pure: the script and the names.
 */
export function renderLinkLocalFill(plan: LabPlan, count: number): { script: string; namespaces: string[] } {
  const fns = fipNs(plan.extNet.id);
  const base = ipToInt(OLD_LL_POOL.base);
  const taken = Math.floor(ipToInt(plan.router.rfpIp ?? plan.rules.rfpPair[0]) / 2);
  const nets: number[] = [];
  for (let k = 0; k < OLD_LL_POOL.pairs && nets.length < count; k++) if (base / 2 + k !== taken) nets.push(base / 2 + k);
  const lines: string[] = [];
  const namespaces: string[] = [];
  nets.forEach((net, i) => {
    const rid = makeUuid(plan.seed, `ll-pool-router:${i}`);
    const ns = qrouterNs(rid);
    namespaces.push(ns);
    lines.push(
      `ip netns add ${ns}`,
      `ip link add ${rfpDevice(rid)} netns ${ns} type veth peer name ${fprDevice(rid)} netns ${fns}`,
      `ip -n ${ns} addr add ${intToIp(net * 2)}/31 dev ${rfpDevice(rid)}`,
      `ip -n ${fns} addr add ${intToIp(net * 2 + 1)}/31 dev ${fprDevice(rid)}`,
      `ip -n ${ns} link set ${rfpDevice(rid)} up`,
      `ip -n ${fns} link set ${fprDevice(rid)} up`,
    );
  });
  return { script: ['set -e', ...lines].join('\n') + '\n', namespaces };
}

const ipToInt = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const intToIp = (n: number): string => [24, 16, 8, 0].map((b) => Math.floor(n / 2 ** b) % 256).join('.');

export const DVR_FAULTS: readonly FaultSpec[] = [
  {
    name: 'lp1816698',
    check: 'dvr-snat-placement',
    subject: 'node + namespace',
    bug: { row: 15, refs: ['lp#1816698'], how: 'mechanism' },
    needs: 'neutron-dvr-snat-ha',
    description: 'mechanism: the router is unbound and rebound and the agent plugs a second ha- port (a new HA port id) into snat-<router> on the ' +
      'HA network, into OVS as the real one is, next to the one keepalived tracks',
    async apply(ctx) {
      requireDvr(ctx, this.name, true);
      const r = ctx.plan.router;
      const node = ctx.node ?? haPrimaryOf(ctx.plan, ctx.paths) ?? r.snatHosts[0]!;
      const ns = haNamespace(ctx.plan);
      const { script, device } = renderExtraPort(ns, 'ha-', ctx.plan.seed, `ha-rebound:${node}`, 'br-int', ctx.plan.haNet!.vlan);
      await nodeScript(holderOf(ctx, node), script, `second ha- on ${node}`);
      return record(this, `node ${node} namespace ${ns}`, node, { ns, device });
    },
    heal: healByUnplug,
  },
  {
    name: 'lp1462154',
    check: 'nat-rules',
    subject: 'node + namespace + floatingIp',
    bug: { row: 16, refs: ['lp#1462154'], how: 'mechanism' },
    needs: 'a DVR profile',
    description: 'mechanism: the DVR qrouter of the instance host gets the Mitaka rule set, PREROUTING DNAT of the FIP without `-i rfp-` ' +
      '(applied on every ingress port: a VM on the same network pinging the FIP is answered by the fixed IP)',
    async apply(ctx) {
      requireDvr(ctx, this.name);
      const { node, fip } = dvrFipHost(ctx);
      const ns = qrouterNs(ctx.plan.router.id);
      await nodeScript(holderOf(ctx, node), restoreIn(ns, dvrQrouterIptables(ctx.plan, ctx.state.fips, node, false)), 'DNAT without -i rfp-');
      return record(this, `node ${node} namespace ${ns} floatingIp ${fip}`, node, { ns });
    },
    async heal(ctx, rec) {
      const fips = requireLabUp(ctx.paths).fips;
      await nodeScript(holderOf(ctx, rec.node!), restoreIn(String(rec.undo!.ns), dvrQrouterIptables(ctx.plan, fips, rec.node!, true)), 'restore DVR NAT');
    },
  },
  {
    name: 'lp1675187',
    check: 'fip-placement',
    subject: 'node + namespace + floatingIp',
    bug: { row: 17, refs: ['lp#1675187'], how: 'symptom' },
    needs: 'a DVR profile',
    description: 'symptom of the upgrade from Liberty: the FIP /32 the Liberty agent put on rfp- stays there although the release routes FIPs only',
    async apply(ctx) {
      requireDvr(ctx, this.name);
      const { node, fip } = dvrFipHost(ctx);
      const ns = qrouterNs(ctx.plan.router.id);
      const dev = rfpDevice(ctx.plan.router.id);
      await nodeScript(holderOf(ctx, node), `ip -n ${ns} addr add ${fip}/32 dev ${dev}\n`, 'stale /32 on rfp-');
      return record(this, `node ${node} namespace ${ns} floatingIp ${fip}`, node, { ns, dev, fip });
    },
    async heal(ctx, rec) {
      await nodeScript(holderOf(ctx, rec.node!), `ip -n ${rec.undo!.ns} addr del ${rec.undo!.fip}/32 dev ${rec.undo!.dev} 2>/dev/null || true\n`, 'remove /32');
    },
  },
  {
    name: 'lp1776984',
    check: 'dvr-fip-namespace',
    subject: 'node + namespace + device (fpr-)',
    bug: { row: 18, refs: ['lp#1776984'], how: 'symptom' },
    needs: 'a DVR profile',
    description: 'symptom: the rfp-/fpr- veth of the router is gone on a compute while fg- stays (the agent lost fg- and did not recreate the pair): every FIP of the host is down',
    async apply(ctx) {
      requireDvr(ctx, this.name);
      const { node } = dvrFipHost(ctx);
      const r = ctx.plan.router;
      await nodeScript(holderOf(ctx, node), `ip -n ${qrouterNs(r.id)} link del ${rfpDevice(r.id)}\n`, 'delete rfp-/fpr-');
      return record(this, `node ${node} namespace ${fipNs(ctx.plan.extNet.id)} device ${fprDevice(r.id)}`, node, {});
    },
    heal: healByRebuild,
  },
  {
    name: 'lp1597561',
    check: 'dvr-fip-namespace',
    subject: 'node + namespace',
    bug: { row: 19, refs: ['lp#1597561'], how: 'mechanism' },
    needs: 'a DVR profile',
    description: 'mechanism: a second agent gateway port (fg- of another port id) is plugged into the fip- namespace on br-ex, as the agent did when it created the gateway port twice',
    async apply(ctx) {
      requireDvr(ctx, this.name);
      const { node } = dvrFipHost(ctx);
      const ns = fipNs(ctx.plan.extNet.id);
      const { script, device } = renderExtraPort(ns, 'fg-', ctx.plan.seed, `fg-twice:${node}`, 'br-ex');
      await nodeScript(holderOf(ctx, node), script, `second fg- on ${node}`);
      return record(this, `node ${node} namespace ${ns}`, node, { ns, device });
    },
    heal: healByUnplug,
  },
  {
    name: 'lp1566383',
    check: 'dvr-fip-namespace',
    subject: 'node + namespace + device (fpr-)',
    bug: { row: 20, refs: ['lp#1566383'], how: 'symptom' },
    needs: 'a DVR profile',
    description: 'symptom after an agent restart: the rfp-/fpr- veth exists but has no /31 (addresses flushed on both ends)',
    async apply(ctx) {
      requireDvr(ctx, this.name);
      const { node } = dvrFipHost(ctx);
      const r = ctx.plan.router;
      await nodeScript(holderOf(ctx, node),
        `ip -n ${qrouterNs(r.id)} addr flush dev ${rfpDevice(r.id)}\nip -n ${fipNs(ctx.plan.extNet.id)} addr flush dev ${fprDevice(r.id)}\n`, 'flush rfp-/fpr-');
      return record(this, `node ${node} namespace ${fipNs(ctx.plan.extNet.id)} device ${fprDevice(r.id)}`, node, {});
    },
    heal: healByRebuild,
  },
  {
    name: 'lp1482521',
    check: 'namespace-placement',
    subject: 'node + namespace',
    bug: { row: 21, refs: ['lp#1482521'], how: 'symptom' },
    needs: 'a DVR profile',
    description: 'symptom of the resync that deleted the fip namespace: fip-<ext net> is gone from a compute that hosts floating IPs',
    async apply(ctx) {
      requireDvr(ctx, this.name);
      const { node } = dvrFipHost(ctx);
      const ns = fipNs(ctx.plan.extNet.id);
      await nodeScript(holderOf(ctx, node), renderNsRemoval(ns) + '\n', 'delete fip namespace');
      return record(this, `node ${node} namespace ${ns}`, node, { ns });
    },
    heal: healByRebuild,
  },
  {
    name: 'lp1891673',
    check: 'fip-placement',
    subject: 'node + namespace',
    bug: { row: 22, refs: ['lp#1891673'], how: 'mechanism' },
    needs: 'a DVR profile',
    description: 'mechanism: a FIP is disassociated while the agent is "down" and the restarted agent leaves its `from <fixed> lookup 16` rule in the qrouter ' +
      '(the FIP is gone from the API and the fip namespace, the rule stays)',
    async apply(ctx) {
      requireDvr(ctx, this.name);
      const { node, fip, fixed } = dvrFipHost(ctx);
      const ns = qrouterNs(ctx.plan.router.id);
      await disassociateFip({ stateDir: ctx.stateDir, fip });
      await nodeScript(holderOf(ctx, node), `ip -n ${ns} rule add from ${fixed} lookup ${FIP_RT_TBL} priority ${fipRulePriority(ctx.plan, fip)}\n`, 'leave the FIP rule');
      return record(this, `node ${node} namespace ${ns}`, node, { ns, fip, fixed, priority: fipRulePriority(ctx.plan, fip) });
    },
    async heal(ctx, rec) {
      await nodeScript(holderOf(ctx, rec.node!), `ip -n ${rec.undo!.ns} rule del from ${rec.undo!.fixed} lookup ${FIP_RT_TBL} priority ${rec.undo!.priority} 2>/dev/null || true\n`, 'remove stale rule');
      await associateFip({ stateDir: ctx.stateDir, fip: String(rec.undo!.fip) });
    },
  },
  {
    name: 'lp1778643',
    check: 'ovs-dead-vlan',
    subject: 'node + port',
    bug: { row: 23, refs: ['lp#1778643'], how: 'symptom' },
    needs: 'a DVR profile',
    description: 'symptom: the fg- port is tagged with the dead VLAN 4095 in OVS (the OVS agent did not find its network on the external bridge)',
    async apply(ctx) {
      requireDvr(ctx, this.name);
      const { node } = dvrFipHost(ctx);
      const fg = ctx.plan.router.fg[node]!;
      await nodeScript(holderOf(ctx, node), `ovs-vsctl set Port ${fg.device} tag=4095\n`, 'fg- on VLAN 4095');
      return record(this, `node ${node} port ${fg.id}`, node, { device: fg.device });
    },
    async heal(ctx, rec) {
      await nodeScript(holderOf(ctx, rec.node!), `ovs-vsctl clear Port ${rec.undo!.device} tag\n`, 'untag fg-');
    },
  },
  {
    name: 'lp1774459',
    check: 'device-mac',
    subject: 'node + namespace + device',
    bug: { row: 24, refs: ['lp#1774459', 'lp#1869887'], how: 'mechanism' },
    needs: 'a DVR profile',
    description: 'mechanism: an instance port gets an allowed-address-pair VIP (facts) and the DVR agent installs a PERMANENT neighbour entry for it ' +
      'in the qrouter of every DVR host, as _set_subnet_arp_info did for AAPs: the VIP\'s G-ARP after a VRRP failover inside the VMs is ignored',
    async apply(ctx) {
      requireDvr(ctx, this.name);
      const r = ctx.plan.router;
      const inst = ctx.plan.instances[0]!;
      const vip = '10.0.0.50';
      const ns = qrouterNs(r.id);
      const hosts = r.hosts;
      for (const h of hosts) await nodeScript(holderOf(ctx, h), `ip -n ${ns} neigh replace ${vip} lladdr ${inst.port.mac} dev ${r.qr.device} nud permanent\n`, `AAP neighbour on ${h}`);
      return record(this, `node ${hosts[0]} namespace ${ns} device ${r.qr.device}`, hosts[0], { ns, vip, dev: r.qr.device, hosts: hosts.join(','), factsAap: `${inst.port.id}=${vip}` });
    },
    async heal(ctx, rec) {
      for (const h of String(rec.undo!.hosts).split(','))
        await nodeScript(holderOf(ctx, h), `ip -n ${rec.undo!.ns} neigh del ${rec.undo!.vip} dev ${rec.undo!.dev} 2>/dev/null || true\n`, `remove AAP neighbour on ${h}`);
    },
  },
  {
    name: 'lp1920975',
    check: 'dvr-fip-namespace',
    subject: 'node + namespace + device',
    bug: { row: 25, refs: ['lp#1920975'], how: 'mechanism' },
    needs: 'a DVR profile',
    description: 'mechanism: proxy_delay of fg- back at the kernel default 80 (up to 800 ms random delay before a proxy ARP answer for a FIP), as before the 2023.1 fix',
    async apply(ctx) {
      requireDvr(ctx, this.name);
      const { node } = dvrFipHost(ctx);
      const ns = fipNs(ctx.plan.extNet.id);
      const dev = ctx.plan.router.fg[node]!.device;
      await nodeScript(holderOf(ctx, node), `ip netns exec ${ns} sysctl -qw net.ipv4.neigh.${dev}.proxy_delay=80\n`, 'proxy_delay 80');
      return record(this, `node ${node} namespace ${ns} device ${dev}`, node, { ns, dev });
    },
    async heal(ctx, rec) {
      await nodeScript(holderOf(ctx, rec.node!), `ip netns exec ${rec.undo!.ns} sysctl -qw net.ipv4.neigh.${rec.undo!.dev}.proxy_delay=1\n`, 'proxy_delay 1');
    },
  },
  {
    name: 'lp1562110',
    check: 'dvr-fip-namespace',
    subject: 'node + namespace',
    bug: { row: 26, refs: ['lp#1562110'], how: 'mechanism' },
    needs: 'neutron-dvr with `lab up --release juno` (the 169.254.30.0/23 pool of 256 pairs; 8192 pairs of the /18 are not built)',
    description: 'mechanism: 255 more DVR routers with a gateway are wired on the instance host, each a qrouter- namespace with its rfp-/fpr- veth ' +
      'and the next /31 of FIP_LL_SUBNET 169.254.30.0/23, until all 256 pairs are taken: the agent\'s next router add fails ' +
      '("Cannot allocate item of type LinkLocalAddressPair")',
    async apply(ctx) {
      requireDvr(ctx, this.name);
      const pair = ctx.plan.router.rfpIp ?? ctx.plan.rules.rfpPair[0];
      if (!pair.startsWith('169.254.30.') && !pair.startsWith('169.254.31.'))
        throw new HaprobeError('usage', `${this.name} fills the pre-Newton 169.254.30.0/23 pool: \`lab up --profile neutron-dvr --release juno\` (this lab uses ${pair}, the /18 pool of 8192 pairs)`);
      const { node } = dvrFipHost(ctx);
      const { script, namespaces } = renderLinkLocalFill(ctx.plan, OLD_LL_POOL.pairs - 1);
      await nodeScript(holderOf(ctx, node), script, `wire ${namespaces.length} more DVR routers on ${node}`, 120_000);
      return record(this, `node ${node} namespace ${fipNs(ctx.plan.extNet.id)}`, node, { count: namespaces.length });
    },
    async heal(ctx, rec) {
      const { namespaces } = renderLinkLocalFill(ctx.plan, Number(rec.undo!.count));
      await nodeScript(holderOf(ctx, rec.node!), namespaces.map((ns) => `ip netns del ${ns} 2>/dev/null || true`).join('\n') + '\n', 'remove the extra routers', 120_000);
    },
  },
];
