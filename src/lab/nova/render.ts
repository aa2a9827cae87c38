import { quoteArgv } from '../../transport/quote-shell';
import { LAB_NET } from '../plan';
import { sshdCommand } from '../render-host';
import type { LabPaths, PlanNode } from '../types';
import { gatewayOf, NOVA_CONF, optsGatewayOf, type NovaHost, type NovaInstance, type NovaLabPlan } from './plan';
import { METADATA_IP, metadataHostOf, networkRoleLines } from './render-network-role';
import { renderStandbyFiles } from './render-standby';

/** the role's dnsmasq and iptables, where the plan tests read them */
export { dnsmasqArgv, renderNovaIptables } from './render-network-role';

/**
 * Scripts run inside a nova lab node (pure text). Templates follow nova/network/linux_net.py
 * at tag 2014.2 (Juno), ground-truth §5b/§5c/§5e; each block names the function it mirrors.
 */
const NP = NOVA_CONF.networksPath;
const BR = NOVA_CONF.bridge;
const PUB = NOVA_CONF.publicInterface;

/** host dirs bound over /var/lib/nova and /etc/nova inside each node (mount points made by up) */
export const NOVA_MOUNTS = [
  { sub: 'nova', target: '/var/lib/nova' },
  { sub: 'etc-nova', target: '/etc/nova' },
] as const;

/** management address, sshd, and for nova nodes eth0 (public_interface) / eth1 (flat_interface) */
export function renderNovaInfra(node: PlanNode, plan: NovaLabPlan, paths: LabPaths): string {
  const dir = paths.nodeDir(node.name);
  const out = ['set -e', 'ip link set lo up', `ip addr add ${node.mgmtIp}/${LAB_NET.mgmtPrefix} dev mgmt0`, 'ip link set mgmt0 up'];
  if (node.kind === 'gateway') {
    out.push(`ip addr add ${plan.extGw}/24 dev ext0`, 'ip link set ext0 up', 'sysctl -qw net.ipv4.conf.all.arp_accept=1 net.ipv4.conf.ext0.arp_accept=1');
  } else {
    out.push(
      // the fabric's veths get the names nova.conf uses
      `ip link set ex-up name ${PUB}`, `ip link set dt-up name ${NOVA_CONF.flatInterface}`,
      `ip link set ${PUB} up`, `ip link set ${NOVA_CONF.flatInterface} up`,
      ...NOVA_MOUNTS.map((m) => quoteArgv(['mount', '--bind', `${dir}/${m.sub}`, m.target])),
    );
  }
  out.push(sshdCommand(node, paths));
  return out.join('\n') + '\n';
}

function novaConf(plan: NovaLabPlan, h: NovaHost): string {
  return [
    '[DEFAULT]',
    'network_manager = nova.network.manager.FlatDHCPManager',
    `multi_host = ${plan.multiHost ? 'True' : 'False'}`,
    `my_ip = ${h.myIp}`,
    `public_interface = ${PUB}`,
    `flat_interface = ${NOVA_CONF.flatInterface}`,
    `flat_network_bridge = ${BR}`,
    `metadata_host = ${metadataHostOf(plan, h)}`,
    `metadata_port = ${NOVA_CONF.metadataPort}`,
    `send_arp_for_ha = ${NOVA_CONF.sendArpForHa ? 'True' : 'False'}`,
    `send_arp_for_ha_count = ${NOVA_CONF.sendArpForHaCount}`,
    `networks_path = ${NP}`,
    ...(plan.hwGateway ? [`dnsmasq_config_file = ${NOVA_CONF.dnsmasqConfigFile}`] : []),
    // the nova.conf spelling of networks.share_address (deprecated in Juno, still read: objects/network.py)
    ...(plan.shareAddress ? ['share_dhcp_address = True'] : []),
    // a secret the collector must never read (it greps data-plane keys only)
    'rabbit_password = lab-secret-not-collected',
    '',
  ].join('\n');
}

/** instances whose DHCP and FIPs this host serves */
function servedBy(plan: NovaLabPlan, h: NovaHost): NovaInstance[] {
  return plan.multiHost ? plan.instances.filter((i) => i.host === h.name) : plan.instances;
}

/** dnsmasq_config_file of nova-hw-gateway (seed 000); `withOption` false = the file without its option 3 */
export function renderDnsmasqConfigFile(router: string, withOption = true): string {
  return ['# dnsmasq_config_file of nova-network: the instances\' gateway is the hardware router', ...(withOption ? [`dhcp-option=3,${router}`] : []), ''].join('\n');
}

/**
 * The hardware router (nova-hw-gateway), played by the upstream node: its leg on the flat network
 * (the host links flat0 into the fabric's data bridge first), forwarding, and what seed 000 asks of
 * it: "forward metadata requests to a host that's running the nova-api service … on the port
 * specified as the metadata_host config option … which defaults to 8775". The SNAT after the DNAT
 * is the lab's own: the metadata host has a leg on the fixed network and would answer the instance
 * directly (from metadata_host:8775, not 169.254.169.254:80) without it.
 */
export function renderHwGatewayRouter(plan: NovaLabPlan): string {
  const hw = plan.hwGateway!;
  const mh = plan.hosts.find((x) => x.network)!.myIp;
  const net = plan.network;
  return [
    'set -e',
    `ip addr add ${hw.address}/${net.prefixLen} dev ${NOVA_CONF.hwGatewayIf}`,
    `ip link set ${NOVA_CONF.hwGatewayIf} up`,
    'sysctl -qw net.ipv4.ip_forward=1',
    metadataForwardRule(plan, 'A'),
    `iptables -t nat -A POSTROUTING -s ${net.cidr} -d ${mh}/32 -p tcp -m tcp --dport ${NOVA_CONF.metadataPort} -j SNAT --to-source ${plan.extGw}`,
    '',
  ].join('\n');
}

/** the router's metadata forward (`op` A adds, D deletes: the fault nova-hw-gateway-metadata-forward-missing) */
export function metadataForwardRule(plan: NovaLabPlan, op: 'A' | 'D'): string {
  const mh = plan.hosts.find((x) => x.network)!.myIp;
  return `iptables -t nat -${op} PREROUTING -s ${plan.network.cidr} -d ${METADATA_IP}/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination ${mh}:${NOVA_CONF.metadataPort}`;
}

/** ensure_bridge() on any host: br100 enslaving flat_interface */
function bridgeLines(): string[] {
  return [
    `ip link add ${BR} type bridge stp_state 0 forward_delay 0`,
    `ip link set ${NOVA_CONF.flatInterface} master ${BR}`,
    `ip link set ${BR} up`,
  ];
}

/** what a network host has whether or not it holds the role: my_ip, route, nova.conf, the dnsmasq files */
function networkHostLines(plan: NovaLabPlan, h: NovaHost): string[] {
  const served = servedBy(plan, h);
  return [
    'sysctl -qw net.ipv4.ip_forward=1',
    `ip addr add ${h.myIp}/24 dev ${PUB}`,
    `ip route add default via ${plan.extGw} dev ${PUB}`,
    // ensure_metadata_ip()
    `ip addr add ${METADATA_IP}/32 scope link dev lo`,
    `mkdir -p ${NP} /var/lib/nova/metadata`,
    `printf '%s\\n' 'instance-id' > /var/lib/nova/metadata/index.html`,
    `cat > /etc/nova/nova.conf <<'HAPROBE_EOF'\n${novaConf(plan, h)}HAPROBE_EOF`,
    // get_dhcp_opts(): `3,<gateway>` (gateway = own dhcp_server with multi_host)
    `printf '%s\\n' '3,${optsGatewayOf(plan, h.name)}' > ${NP}/nova-${BR}.opts`,
    // dnsmasq_config_file of the hardware gateway (seed 000: "dhcp-option=3,<ip of gateway>")
    ...(plan.hwGateway ? [`cat > ${NOVA_CONF.dnsmasqConfigFile} <<'HAPROBE_EOF'\n${renderDnsmasqConfigFile(plan.hwGateway.address)}HAPROBE_EOF`] : []),
    // get_dhcp_hosts(): mac,hostname.domain,ip
    `cat > ${NP}/nova-${BR}.conf <<'HAPROBE_EOF'\n${served.map((i) => `${i.mac},${i.name}.${NOVA_CONF.dhcpDomain},${i.ip}\n`).join('')}HAPROBE_EOF`,
  ];
}

/** everything nova-network (and nova-compute) build on `host` */
export function renderNovaNode(plan: NovaLabPlan, host: string, fips: Record<string, string>): string {
  const h = plan.hosts.find((x) => x.name === host)!;
  const out = ['set -e', 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1', ...bridgeLines()];
  if (h.network) {
    out.push(...networkHostLines(plan, h));
    // a standby pair: the role is started by keepalived's notify_master (startNovaKeepalived), not here
    out.push(...(plan.standby ? renderStandbyFiles(plan, h, fips) : networkRoleLines(plan, h, fips)));
  }
  for (const i of plan.instances.filter((x) => x.host === host)) {
    out.push(...singleNicInstanceLines({ ...i, prefixLen: plan.network.prefixLen, gateway: gatewayOf(plan, i.host), bridge: BR }));
  }
  return out.join('\n') + '\n';
}

/** a libvirt instance with one NIC (eth0) as the lab builds it: its own netns, a veth vnet in the bridge, a default route */
export function singleNicInstanceLines(i: { name: string; vnet: string; mac: string; ip: string; prefixLen: number; gateway: string; bridge: string }): string[] {
  const netns = `/run/haprobe-vms/${i.name}`;
  return [
    `touch ${netns}`,
    `unshare --net=${netns} true`,
    `nsenter --net=${netns} sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1`,
    `ip link add ${i.vnet} type veth peer name eth0 netns ${netns}`,
    `nsenter --net=${netns} sh -c 'ip link set lo up && ip link set eth0 address ${i.mac} && ip link set eth0 up && ` +
      `ip addr add ${i.ip}/${i.prefixLen} dev eth0 && ip route add default via ${i.gateway}'`,
    `ip link set ${i.vnet} master ${i.bridge} up`,
  ];
}
