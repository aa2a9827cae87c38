import { HaprobeError } from '../../errors';
import { quoteArgv } from '../../transport/quote-shell';
import { labPaths, resolveStateDir } from '../paths';
import { nodeScript } from '../shell';
import { requireLabUp, writeLabState } from '../state';
import type { FaultSpec } from '../fault-spec';
import type { FaultListing } from '../fault-spec';
import type { LabFaultRecord, LabPaths, LabState } from '../types';
import { buildNovaPlan, fipHostOf, NOVA_CONF, networkHosts, type NovaLabPlan } from './plan';
import { metadataForwardRule } from './render';
import { bindFloatingIpLines, dnsmasqArgv, ensureEbtablesLines, floatingForwardRules, isolateDhcpAddressRules, metadataHostOf, metadataLine } from './render-network-role';
import { multinicNetDownLines, multinicNetUpLines, SAME_HOST_FAULT } from './multinic';
import { activeMember, killKeepalived, startKeepalived } from './standby';
import { writeNovaFacts } from './up';
import type { MultinicNic } from './multinic-plan';
import type { VlanNet } from './vlan-plan';

/**
 * Faults of the nova lab (issue 9): each breaks what one nova check reads and names that check
 * and the subject its finding carries (test/run/nova*.lab.test.ts asserts both).
 */
interface NovaFaultCtx {
  plan: NovaLabPlan;
  state: LabState;
  paths: LabPaths;
  node?: string;
  /** nova-hot-standby: the member holding the network host role now (the facts name net1 either way) */
  active?: string;
}

interface NovaFaultSpec {
  name: string;
  check: string;
  /** what the finding names (as `lab faults` shows it) */
  subject: string;
  /** the ground-truth §7 row it reproduces (#31: nova-network's missing G-ARPs) */
  bug?: FaultSpec['bug'];
  description: string;
  /** multi_host only, single-host only, or both */
  profiles?: string[];
  apply(ctx: NovaFaultCtx): Promise<LabFaultRecord>;
  heal(ctx: NovaFaultCtx, rec: LabFaultRecord): Promise<void>;
}

const NP = NOVA_CONF.networksPath;
const PUB = NOVA_CONF.publicInterface;

function holder(ctx: NovaFaultCtx, node: string): number {
  const pid = ctx.state.nodes[node]?.holderPid;
  if (!pid) throw new HaprobeError('usage', `unknown lab node ${node}`);
  return pid;
}

function rec(spec: NovaFaultSpec, subject: string, node: string, undo: LabFaultRecord['undo']): LabFaultRecord {
  return { name: spec.name, node, subject, check: spec.check, appliedAt: new Date().toISOString(), undo };
}

/** the first associated FIP and its host (or the one on --node) */
function firstFip(ctx: NovaFaultCtx): { ip: string; fixed: string; host: string } {
  for (const [ip, name] of Object.entries(ctx.state.fips)) {
    const host = ctx.active ?? fipHostOf(ctx.plan, name);
    if (ctx.node && ctx.node !== host) continue;
    return { ip, fixed: ctx.plan.instances.find((i) => i.name === name)!.ip, host };
  }
  throw new HaprobeError('usage', 'no associated floating IP on that node');
}

/** default node of a host-level fault: --node, else the last nova-network host (a multi_host compute: cmp2) */
function pickHost(ctx: NovaFaultCtx, prefer: 'first' | 'last'): string {
  const hosts = ctx.active ? [ctx.active] : networkHosts(ctx.plan).map((h) => h.name);
  if (ctx.node) {
    if (!hosts.includes(ctx.node)) throw new HaprobeError('usage', `${ctx.node} runs no nova-network (one of ${hosts.join(', ')})`);
    return ctx.node;
  }
  return prefer === 'first' ? hosts[0]! : hosts[hosts.length - 1]!;
}

/**
 * rewrite the opts file's option 3 and make dnsmasq reread it (SIGHUP rereads --dhcp-optsfile, as
 * nova's restart_dhcp does when dnsmasq runs)
 */
function rewriteOptsAndHup(gateway: string): string {
  return [
    `printf '%s\\n' '3,${gateway}' > ${NP}/nova-${NOVA_CONF.bridge}.opts`,
    `kill -HUP "$(cat ${NP}/nova-${NOVA_CONF.bridge}.pid)"`,
    '',
  ].join('\n');
}

const natLine = (op: '-A' | '-D', line: string): string => `iptables -t nat ${op} ${line.replace(/^-A /, '')}`;

export const NOVA_FAULTS: readonly NovaFaultSpec[] = [
  {
    name: 'nova-missing-float-snat',
    check: 'nova-floating-ip',
    subject: 'node + floatingIp (the FIP host)',
    description: 'delete the float-snat SNAT pair of one floating IP (instances leave with the host address, not their FIP)',
    async apply(ctx) {
      const f = firstFip(ctx);
      const lines = floatingForwardRules(f.ip, f.fixed).filter((l) => l.includes('float-snat'));
      await nodeScript(holder(ctx, f.host), ['set -e', ...lines.map((l) => natLine('-D', l))].join('\n') + '\n', 'nova-missing-float-snat');
      return rec(this, `node ${f.host} floatingIp ${f.ip}`, f.host, { fip: f.ip, fixed: f.fixed });
    },
    async heal(ctx, r) {
      const lines = floatingForwardRules(String(r.undo!.fip), String(r.undo!.fixed)).filter((l) => l.includes('float-snat'));
      await nodeScript(holder(ctx, r.node!), ['set -e', ...lines.map((l) => natLine('-A', l))].join('\n') + '\n', 'heal nova-missing-float-snat');
    },
  },
  {
    name: 'nova-fip-unbound',
    check: 'nova-floating-ip',
    subject: 'node + floatingIp (the FIP host)',
    description: 'remove a floating IP /32 from public_interface of its host (nobody answers ARP for it)',
    async apply(ctx) {
      const f = firstFip(ctx);
      await nodeScript(holder(ctx, f.host), `ip addr del ${f.ip}/32 dev ${PUB}\n`, 'nova-fip-unbound');
      return rec(this, `node ${f.host} floatingIp ${f.ip}`, f.host, { fip: f.ip });
    },
    async heal(ctx, r) {
      await nodeScript(holder(ctx, r.node!), bindFloatingIpLines(String(r.undo!.fip), false).join('\n') + '\n', 'heal nova-fip-unbound');
    },
  },
  {
    name: 'nova-fip-two-hosts',
    check: 'nova-floating-ip',
    subject: 'node + floatingIp (the second host)',
    description: 'bind a floating IP /32 on a second host too (a stale binding left by a migration)',
    async apply(ctx) {
      const f = firstFip(ctx);
      // a standby pair: the passive member (a stale binding left by a takeover)
      const other = ctx.plan.nodes.find((n) => n.kind !== 'gateway' && n.name !== f.host)!.name;
      await nodeScript(holder(ctx, other), `ip addr add ${f.ip}/32 dev ${PUB}\n`, 'nova-fip-two-hosts');
      return rec(this, `node ${other} floatingIp ${f.ip}`, other, { fip: f.ip });
    },
    async heal(ctx, r) {
      await nodeScript(holder(ctx, r.node!), `ip addr del ${String(r.undo!.fip)}/32 dev ${PUB}\n`, 'heal nova-fip-two-hosts');
    },
  },
  {
    name: 'nova-dnsmasq-dead',
    check: 'nova-dhcp-server',
    subject: 'node + device br100',
    description: 'kill the dnsmasq of br100 on one nova-network host (default: the last one, cmp2 with multi_host)',
    async apply(ctx) {
      const host = pickHost(ctx, 'last');
      await nodeScript(holder(ctx, host), `kill "$(cat ${NP}/nova-br100.pid)"\nfor i in $(seq 50); do kill -0 "$(cat ${NP}/nova-br100.pid)" 2>/dev/null || exit 0; sleep 0.1; done; exit 1\n`, 'nova-dnsmasq-dead');
      return rec(this, `node ${host} device br100`, host, {});
    },
    async heal(ctx, r) {
      const h = ctx.plan.hosts.find((x) => x.name === r.node)!;
      await nodeScript(holder(ctx, h.name), quoteArgv(dnsmasqArgv(ctx.plan, h)) + '\n', 'heal nova-dnsmasq-dead');
    },
  },
  {
    name: 'nova-missing-metadata-dnat',
    check: 'nova-metadata',
    subject: 'node (a nova-network host)',
    description: 'delete the metadata DNAT (169.254.169.254:80 → metadata_host:8775) on one nova-network host',
    async apply(ctx) {
      const host = pickHost(ctx, 'first');
      const h = ctx.plan.hosts.find((x) => x.name === host)!;
      const spec = `nova-network-PREROUTING -s 0.0.0.0/0 -d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination ${metadataHostOf(ctx.plan, h)}:${NOVA_CONF.metadataPort}`;
      await nodeScript(holder(ctx, host), `iptables -t nat -D ${spec}\n`, 'nova-missing-metadata-dnat');
      return rec(this, `node ${host}`, host, { spec });
    },
    async heal(ctx, r) {
      await nodeScript(holder(ctx, r.node!), `iptables -t nat -I ${String(r.undo!.spec).replace(/^nova-network-PREROUTING /, 'nova-network-PREROUTING 1 ')}\n`, 'heal nova-missing-metadata-dnat');
    },
  },
  {
    name: 'nova-metadata-down',
    check: 'nova-metadata',
    subject: 'node (a nova-network host)',
    description: 'stop the metadata API (nova-api-metadata on my_ip:8775) of one nova-network host',
    async apply(ctx) {
      const host = pickHost(ctx, 'first');
      await nodeScript(holder(ctx, host), 'kill "$(cat /var/lib/nova/metadata.pid)"\nfor i in $(seq 50); do kill -0 "$(cat /var/lib/nova/metadata.pid)" 2>/dev/null || exit 0; sleep 0.1; done; exit 1\n', 'nova-metadata-down');
      return rec(this, `node ${host}`, host, {});
    },
    async heal(ctx, r) {
      const h = ctx.plan.hosts.find((x) => x.name === r.node)!;
      await nodeScript(holder(ctx, h.name), metadataLine(h) + '\n', 'heal nova-metadata-down');
    },
  },
  {
    name: 'nova-send-arp-off',
    check: 'nova-send-arp-for-ha',
    subject: 'node (a nova-network host)',
    bug: { row: 31, refs: ['lp#782364'], how: 'mechanism' },
    description: 'set send_arp_for_ha = False in nova.conf of one nova-network host (LP 782364: its FIPs go unannounced)',
    async apply(ctx) {
      const host = pickHost(ctx, 'first');
      await nodeScript(holder(ctx, host), "sed -i 's/^send_arp_for_ha = True$/send_arp_for_ha = False/' /etc/nova/nova.conf\n", 'nova-send-arp-off');
      return rec(this, `node ${host}`, host, {});
    },
    async heal(ctx, r) {
      await nodeScript(holder(ctx, r.node!), "sed -i 's/^send_arp_for_ha = False$/send_arp_for_ha = True/' /etc/nova/nova.conf\n", 'heal nova-send-arp-off');
    },
  },
  {
    name: 'nova-standby-never-takes-over',
    check: 'nova-hot-standby',
    subject: 'node (the standby)',
    description: 'stop the cluster manager (keepalived) of the hot standby network host: it will never take over',
    profiles: ['nova-hot-standby'],
    async apply(ctx) {
      const standby = passiveMember(ctx);
      await killKeepalived(ctx.state, standby, 'KILL');
      return rec(this, `node ${standby}`, standby, {});
    },
    async heal(ctx, r) {
      await startKeepalived(ctx.state, r.node!);
    },
  },
  {
    name: 'nova-standby-send-arp-off',
    check: 'nova-hot-standby',
    subject: 'node (the standby)',
    bug: { row: 31, refs: ['lp#782364'], how: 'mechanism' },
    description: 'send_arp_for_ha = False in the standby network host\'s nova.conf (its takeover would move the FIPs unannounced, LP 782364)',
    profiles: ['nova-hot-standby'],
    async apply(ctx) {
      const standby = passiveMember(ctx);
      await nodeScript(holder(ctx, standby), "sed -i 's/^send_arp_for_ha = True$/send_arp_for_ha = False/' /etc/nova/nova.conf\n", 'nova-standby-send-arp-off');
      return rec(this, `node ${standby}`, standby, {});
    },
    async heal(ctx, r) {
      await nodeScript(holder(ctx, r.node!), "sed -i 's/^send_arp_for_ha = False$/send_arp_for_ha = True/' /etc/nova/nova.conf\n", 'heal nova-standby-send-arp-off');
    },
  },
  {
    name: 'nova-standby-split-brain',
    check: 'nova-hot-standby',
    subject: 'node (the standby) + device br100',
    description: 'put the dhcp_server on the standby\'s br100 too (both members hold the network host role)',
    profiles: ['nova-hot-standby'],
    async apply(ctx) {
      const standby = passiveMember(ctx);
      const h = ctx.plan.hosts.find((x) => x.name === standby)!;
      await nodeScript(holder(ctx, standby), `ip addr add ${h.dhcpServer}/${ctx.plan.network.prefixLen} dev ${NOVA_CONF.bridge}\n`, 'nova-standby-split-brain');
      return rec(this, `node ${standby} device ${NOVA_CONF.bridge}`, standby, { addr: `${h.dhcpServer}/${ctx.plan.network.prefixLen}` });
    },
    async heal(ctx, r) {
      await nodeScript(holder(ctx, r.node!), `ip addr del ${String(r.undo!.addr)} dev ${NOVA_CONF.bridge}\n`, 'heal nova-standby-split-brain');
    },
  },
  {
    name: 'nova-hw-gateway-option-overridden',
    check: 'nova-hw-gateway',
    subject: 'node + device br100 (the network host)',
    description: 'the opts file hands out the network host (3,<dhcp_server>: networks.gateway left at the network host, as the seed\'s recipe leaves it); from Juno on it wins over dnsmasq_config_file\'s dhcp-option=3,<router>: instances get the network host as gateway again',
    profiles: ['nova-hw-gateway'],
    async apply(ctx) {
      const host = pickHost(ctx, 'first');
      const h = ctx.plan.hosts.find((x) => x.name === host)!;
      await nodeScript(holder(ctx, host), rewriteOptsAndHup(h.dhcpServer!), 'nova-hw-gateway-option-overridden');
      return rec(this, `node ${host} device ${NOVA_CONF.bridge}`, host, {});
    },
    async heal(ctx, r) {
      await nodeScript(holder(ctx, r.node!), rewriteOptsAndHup(ctx.plan.network.gateway), 'heal nova-hw-gateway-option-overridden');
    },
  },
  {
    name: 'nova-hw-gateway-metadata-forward-missing',
    check: 'nova-hw-gateway',
    subject: 'node (the hardware gateway: upstream)',
    description: 'delete the metadata DNAT (169.254.169.254:80 → metadata_host:8775) on the hardware gateway (the upstream node)',
    profiles: ['nova-hw-gateway'],
    async apply(ctx) {
      const router = ctx.plan.hwGateway!.node;
      await nodeScript(holder(ctx, router), metadataForwardRule(ctx.plan, 'D') + '\n', 'nova-hw-gateway-metadata-forward-missing');
      return rec(this, `node ${router}`, router, {});
    },
    async heal(ctx, r) {
      await nodeScript(holder(ctx, r.node!), metadataForwardRule(ctx.plan, 'A').replace(' -A PREROUTING ', ' -I PREROUTING 1 ') + '\n', 'heal nova-hw-gateway-metadata-forward-missing');
    },
  },
  {
    name: SAME_HOST_FAULT,
    check: 'nova-multinic-paths',
    subject: 'node + device (net1 and the moved network\'s bridge br101)',
    description: 'move network private2 from net2 onto net1 (networks.host = net1 for both, as nova-network\'s set_network_host can pick): dhcp_server, dnsmasq, NAT and FIPs of private2 on net1; one host failure now cuts both NICs of every instance',
    profiles: ['nova-multinic'],
    async apply(ctx) {
      const [a, b] = ctx.plan.multinic!.networks;
      const from = ctx.plan.hosts.find((h) => h.name === b.host)!;
      const to = ctx.plan.hosts.find((h) => h.name === a.host)!;
      await nodeScript(holder(ctx, from.name), multinicNetDownLines(ctx.plan, b, from, ctx.state.fips).join('\n') + '\n', SAME_HOST_FAULT);
      await nodeScript(holder(ctx, to.name), ['set -e', ...multinicNetUpLines(ctx.plan, b, to, ctx.state.fips)].join('\n') + '\n', SAME_HOST_FAULT);
      return rec(this, `node ${to.name} device ${b.bridge}`, to.name, {});
    },
    async heal(ctx) {
      const [a, b] = ctx.plan.multinic!.networks;
      const home = ctx.plan.hosts.find((h) => h.name === b.host)!;
      const moved = ctx.plan.hosts.find((h) => h.name === a.host)!;
      await nodeScript(holder(ctx, moved.name), [...multinicNetDownLines(ctx.plan, b, moved, ctx.state.fips), `ip link del ${b.bridge} || true`].join('\n') + '\n', `heal ${SAME_HOST_FAULT}`);
      await nodeScript(holder(ctx, home.name), ['set -e', ...multinicNetUpLines(ctx.plan, b, home, ctx.state.fips)].join('\n') + '\n', `heal ${SAME_HOST_FAULT}`);
    },
  },
  {
    name: 'nova-multinic-fip-missing',
    check: 'nova-multinic-paths',
    subject: 'node + floatingIp (net2, the first FIP of private2)',
    description: 'unbind the first floating IP of network private2 on its host net2 (/32 and its PREROUTING DNAT gone): the instance\'s second path answers nothing from outside',
    profiles: ['nova-multinic'],
    async apply(ctx) {
      const mn = ctx.plan.multinic!;
      const net = mn.networks[1];
      const fip = Object.keys(ctx.state.fips).find((ip) => mn.fipNetwork[ip] === net.label)!;
      const dnat = floatingForwardRules(fip, mn.fipFixed[fip]!).find((l) => l.startsWith('-A nova-network-PREROUTING'))!;
      await nodeScript(holder(ctx, net.host), ['set -e', `ip addr del ${fip}/32 dev ${PUB}`, natLine('-D', dnat)].join('\n') + '\n', 'nova-multinic-fip-missing');
      return rec(this, `node ${net.host} floatingIp ${fip}`, net.host, { fip, dnat });
    },
    async heal(ctx, r) {
      await nodeScript(holder(ctx, r.node!), ['set -e', natLine('-A', String(r.undo!.dnat)), `ip addr add ${String(r.undo!.fip)}/32 dev ${PUB}`].join('\n') + '\n', 'heal nova-multinic-fip-missing');
    },
  },
  {
    name: 'nova-vlan-out-of-bridge',
    check: 'nova-vlan-bridge',
    subject: 'node + device br100 (cmp1, the compute of vm1 on vlan 100)',
    description: 'take vlan100 out of br100 on the compute of the first instance (ip link set vlan100 nomaster): its instances are cut off their vlan, no DHCP, no gateway',
    profiles: ['nova-vlan'],
    async apply(ctx) {
      const { nic, net } = firstVlanNic(ctx);
      await nodeScript(holder(ctx, nic.host), `ip link set ${net.iface} nomaster\n`, 'nova-vlan-out-of-bridge');
      return rec(this, `node ${nic.host} device ${net.bridge}`, nic.host, { iface: net.iface, bridge: net.bridge });
    },
    async heal(ctx, r) {
      await nodeScript(holder(ctx, r.node!), `ip link set ${String(r.undo!.iface)} master ${String(r.undo!.bridge)}\n`, 'heal nova-vlan-out-of-bridge');
    },
  },
  {
    name: 'nova-vlan-shared-id',
    check: 'nova-vlan-bridge',
    subject: 'node + device br101 (net1, the network host)',
    description: 'retag vlan101 with vlan 100 on every node (ovs-vsctl set Port vlan101 tag=100; a real cloud: two networks created with one --vlan): networks private and private2 share one L2 segment',
    profiles: ['nova-vlan'],
    async apply(ctx) {
      const [a, b] = ctx.plan.vlan!.networks as [VlanNet, VlanNet];
      for (const node of vlanNodesOf(ctx, b)) await nodeScript(holder(ctx, node), quoteArgv(['ovs-vsctl', 'set', 'Port', b.iface, `tag=${a.vlan}`]) + '\n', 'nova-vlan-shared-id');
      return rec(this, `node ${b.host} device ${b.bridge}`, b.host, {});
    },
    async heal(ctx) {
      const b = ctx.plan.vlan!.networks[1]!;
      for (const node of vlanNodesOf(ctx, b)) await nodeScript(holder(ctx, node), quoteArgv(['ovs-vsctl', 'set', 'Port', b.iface, `tag=${b.vlan}`]) + '\n', 'heal nova-vlan-shared-id');
    },
  },
  {
    name: 'nova-vlan-dhcp-server-missing',
    check: 'nova-vlan-bridge',
    subject: 'node + device br101 (net1, the network host)',
    description: 'delete the dhcp_server of network private2 (10.0.1.1) from br101 on its network host: its dnsmasq and gateway address are gone from the vlan',
    profiles: ['nova-vlan'],
    async apply(ctx) {
      const b = ctx.plan.vlan!.networks[1]!;
      await nodeScript(holder(ctx, b.host), `ip addr del ${b.gateway}/${b.prefixLen} dev ${b.bridge}\n`, 'nova-vlan-dhcp-server-missing');
      return rec(this, `node ${b.host} device ${b.bridge}`, b.host, {});
    },
    async heal(ctx, r) {
      const b = ctx.plan.vlan!.networks[1]!;
      await nodeScript(holder(ctx, r.node!), `ip addr add ${b.gateway}/${b.prefixLen} brd ${b.broadcast} dev ${b.bridge}\n`, 'heal nova-vlan-dhcp-server-missing');
    },
  },
  {
    name: 'nova-dhcp-isolation-missing',
    check: 'nova-dhcp-isolation',
    subject: 'node + device br100 (cmp2, the last compute)',
    description: 'delete the ebtables rules of isolate_dhcp_address on one compute of the share_address lab: its br100 answers ARP for the shared dhcp_server from every host\'s instances and its dnsmasq hands out leases across the flat network',
    profiles: ['nova-multihost-shared'],
    async apply(ctx) {
      const host = pickHost(ctx, 'last');
      const h = ctx.plan.hosts.find((x) => x.name === host)!;
      const rules = isolateDhcpAddressRules(NOVA_CONF.flatInterface, h.dhcpServer!);
      await nodeScript(holder(ctx, host), ['set -e', ...rules.map((r) => `ebtables -t filter -D ${r}`)].join('\n') + '\n', 'nova-dhcp-isolation-missing');
      return rec(this, `node ${host} device ${NOVA_CONF.bridge}`, host, {});
    },
    async heal(ctx, r) {
      const h = ctx.plan.hosts.find((x) => x.name === r.node)!;
      await nodeScript(holder(ctx, h.name), ['set -e', ...ensureEbtablesLines(isolateDhcpAddressRules(NOVA_CONF.flatInterface, h.dhcpServer!))].join('\n') + '\n', 'heal nova-dhcp-isolation-missing');
    },
  },
];

/** the first instance's NIC on the VLAN lab and its network */
function firstVlanNic(ctx: NovaFaultCtx): { nic: MultinicNic; net: VlanNet } {
  const v = ctx.plan.vlan!;
  const nic = v.nics.find((n) => !ctx.node || n.host === ctx.node);
  if (!nic) throw new HaprobeError('usage', `no instance on ${ctx.node ?? 'any node'}`);
  return { nic, net: v.networks.find((n) => n.label === nic.network)! };
}

/** nodes with the vlan device of a network: its network host and the computes of its instances */
function vlanNodesOf(ctx: NovaFaultCtx, net: VlanNet): string[] {
  return [...new Set([net.host, ...ctx.plan.vlan!.nics.filter((n) => n.network === net.label).map((n) => n.host)])];
}

const NOVA_PROFILES_NEEDED = 'a single-network nova lab (lab up --profile nova-flatdhcp|nova-multihost|nova-multihost-shared|nova-hot-standby|nova-hw-gateway)';

/** the nova lab's faults as rows of `haprobe lab faults` (issue 9; §7 row 31 is nova-network's) */
export function listNovaFaults(): FaultListing[] {
  return NOVA_FAULTS.map((f) => ({
    name: f.name, aliases: [], row: f.bug?.row, bugs: f.bug?.refs ?? [], check: f.check, subject: f.subject, how: f.bug?.how,
    needs: f.profiles ? `the ${f.profiles.join(' or ')} lab` : NOVA_PROFILES_NEEDED, description: f.description,
  }));
}

export function findNovaFault(name: string): NovaFaultSpec {
  const f = NOVA_FAULTS.find((x) => x.name === name);
  if (!f) throw new HaprobeError('usage', `unknown nova lab fault "${name}"`, { hint: `one of ${NOVA_FAULTS.map((x) => x.name).join(', ')}` });
  return f;
}

async function novaContext(stateDir: string | undefined, node?: string): Promise<NovaFaultCtx> {
  const paths = labPaths(resolveStateDir(stateDir));
  const state = requireLabUp(paths);
  const plan = buildNovaPlan(state.profile, { computes: state.computes });
  return { plan, state, paths, node, ...(plan.standby ? { active: await activeMember(plan, state) } : {}) };
}

/** the standby member (not holding the role) of a nova-hot-standby lab */
function passiveMember(ctx: NovaFaultCtx): string {
  const other = networkHosts(ctx.plan).map((h) => h.name).find((n) => n !== ctx.active);
  if (!ctx.active || !other) throw new HaprobeError('usage', 'this fault needs the nova-hot-standby lab');
  return ctx.node ?? other;
}

export async function applyNovaFault(opts: { stateDir?: string; name: string; node?: string }): Promise<LabFaultRecord & { also?: string }> {
  const spec = findNovaFault(opts.name);
  const ctx = await novaContext(opts.stateDir, opts.node);
  if (spec.profiles && !spec.profiles.includes(ctx.plan.profile)) throw new HaprobeError('usage', `fault ${spec.name} needs the ${spec.profiles.join(' or ')} lab`);
  // the single-network faults read plan.network / br100 and the first network host for every FIP: on the
  // multi-NIC lab they would break private2's FIPs on the wrong host (not tested there, so refused)
  if (!spec.profiles && ctx.plan.multinic) throw new HaprobeError('usage', `fault ${spec.name} is not built for the nova-multinic lab`, { hint: 'use nova-multinic-same-host or nova-multinic-fip-missing' });
  if (!spec.profiles && ctx.plan.vlan) throw new HaprobeError('usage', `fault ${spec.name} is not built for the nova-vlan lab`, { hint: 'use nova-vlan-out-of-bridge, nova-vlan-shared-id or nova-vlan-dhcp-server-missing' });
  if (ctx.state.faults.some((f) => f.name === spec.name)) throw new HaprobeError('usage', `fault ${spec.name} is applied`, { hint: `heal it first (\`haprobe lab heal ${spec.name}\`)` });
  const r = await spec.apply(ctx);
  ctx.state.faults.push(r);
  writeLabState(ctx.paths, ctx.state);
  writeNovaFacts(ctx.plan, ctx.paths, ctx.state);
  return r;
}

export async function healNovaFaults(opts: { stateDir?: string; name?: string } = {}): Promise<LabFaultRecord[]> {
  const paths = labPaths(resolveStateDir(opts.stateDir));
  const state = requireLabUp(paths);
  const ctx: NovaFaultCtx = { plan: buildNovaPlan(state.profile, { computes: state.computes }), state, paths };
  const todo = ctx.state.faults.filter((f) => !opts.name || f.name === opts.name).reverse();
  if (opts.name && todo.length === 0) throw new HaprobeError('usage', `fault ${opts.name} is not applied`);
  for (const r of todo) {
    await findNovaFault(r.name).heal(ctx, r);
    ctx.state.faults = ctx.state.faults.filter((f) => f !== r);
    writeLabState(ctx.paths, ctx.state);
  }
  writeNovaFacts(ctx.plan, ctx.paths, ctx.state);
  return todo;
}
