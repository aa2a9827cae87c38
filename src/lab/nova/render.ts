import { quoteArgv } from '../../transport/quote-shell';
import { LAB_NET } from '../plan';
import { sshdCommand } from '../render-host';
import type { LabPaths, PlanNode } from '../types';
import { fipHostOf, gatewayOf, NOVA_CONF, optsGatewayOf, type NovaHost, type NovaInstance, type NovaLabPlan } from './plan';
import { renderStandbyFiles } from './render-standby';

/**
 * Scripts run inside a nova lab node (pure text). Templates follow nova/network/linux_net.py
 * at tag 2014.2 (Juno), ground-truth §5b/§5c/§5e; each block names the function it mirrors.
 */
const NP = NOVA_CONF.networksPath;
const BR = NOVA_CONF.bridge;
const PUB = NOVA_CONF.publicInterface;
const METADATA_IP = '169.254.169.254';

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

/** metadata_host: the single network host's my_ip, or each multi_host compute's own */
export function metadataHostOf(plan: NovaLabPlan, h: NovaHost): string {
  return plan.multiHost || plan.standby ? h.myIp : plan.hosts.find((x) => x.network)!.myIp;
}

/** instances whose DHCP and FIPs this host serves */
function servedBy(plan: NovaLabPlan, h: NovaHost): NovaInstance[] {
  return plan.multiHost ? plan.instances.filter((i) => i.host === h.name) : plan.instances;
}

/** FIPs bound on this host for the current associations */
export function fipsOn(plan: NovaLabPlan, host: string, fips: Record<string, string>): { ip: string; inst: NovaInstance }[] {
  return Object.entries(fips)
    .filter(([, name]) => fipHostOf(plan, name) === host)
    .map(([ip, name]) => ({ ip, inst: plan.instances.find((i) => i.name === name)! }));
}

/** the dnsmasq command line of restart_dhcp() (Juno), minus --dhcp-script (no nova-dhcpbridge in the lab) */
export function dnsmasqArgv(plan: NovaLabPlan, h: NovaHost): string[] {
  const net = plan.network;
  return [
    'env', `CONFIG_FILE=["/etc/nova/nova.conf"]`, 'NETWORK_ID=1',
    // --conf-file=<dnsmasq_config_file> (empty when unset, as nova passes it)
    'dnsmasq', '--strict-order', '--bind-interfaces', `--conf-file=${plan.hwGateway ? NOVA_CONF.dnsmasqConfigFile : ''}`,
    `--pid-file=${NP}/nova-${BR}.pid`, `--dhcp-optsfile=${NP}/nova-${BR}.opts`,
    `--listen-address=${h.dhcpServer!}`, '--except-interface=lo',
    `--dhcp-range=set:${net.label},${net.dhcpStart},static,${net.netmask},${NOVA_CONF.dhcpLeaseTime}s`,
    `--dhcp-lease-max=${net.size}`, `--dhcp-hostsfile=${NP}/nova-${BR}.conf`,
    `--domain=${NOVA_CONF.dhcpDomain}`, '--no-hosts', '--leasefile-ro',
  ];
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

/** the metadata API (nova-api-metadata) on my_ip:8775: busybox httpd in the foreground, pid file for faults */
export function metadataLine(h: NovaHost): string {
  return `${quoteArgv(['busybox', 'httpd', '-f', '-p', `${h.myIp}:${NOVA_CONF.metadataPort}`, '-h', '/var/lib/nova/metadata'])} </dev/null >/dev/null 2>&1 & echo $! > /var/lib/nova/metadata.pid`;
}

/** nova-network's iptables (linux_net.py iptables_manager + init_host, metadata_forward, floating_forward_rules) */
export function renderNovaIptables(plan: NovaLabPlan, h: NovaHost, fips: Record<string, string>): string {
  const net = plan.network;
  const mh = metadataHostOf(plan, h);
  const mine = fipsOn(plan, h.name, fips);
  const nat = [
    '*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]',
    ':nova-network-OUTPUT - [0:0]', ':nova-network-POSTROUTING - [0:0]', ':nova-network-PREROUTING - [0:0]',
    ':nova-network-float-snat - [0:0]', ':nova-network-snat - [0:0]', ':nova-postrouting-bottom - [0:0]',
    '-A PREROUTING -j nova-network-PREROUTING', '-A OUTPUT -j nova-network-OUTPUT',
    '-A POSTROUTING -j nova-network-POSTROUTING', '-A POSTROUTING -j nova-postrouting-bottom',
    // metadata_forward(): metadata_host != 127.0.0.1 → DNAT
    `-A nova-network-PREROUTING -s 0.0.0.0/0 -d ${METADATA_IP}/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination ${mh}:${NOVA_CONF.metadataPort}`,
    // init_host()
    `-A nova-network-POSTROUTING -s ${net.cidr} -d ${mh}/32 -j ACCEPT`,
    `-A nova-network-POSTROUTING -s ${net.cidr} -d ${net.cidr} -m conntrack ! --ctstate DNAT -j ACCEPT`,
    // add_snat_rule(): routing_source_ip = my_ip
    '-A nova-network-snat -j nova-network-float-snat',
    `-A nova-network-snat -s ${net.cidr} -o ${PUB} -j SNAT --to-source ${h.myIp}`,
    '-A nova-postrouting-bottom -j nova-network-snat',
    ...mine.flatMap((f) => floatingForwardRules(f.ip, f.inst.ip)),
    'COMMIT',
  ];
  const filter = [
    '*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]',
    ':nova-filter-top - [0:0]', ':nova-network-FORWARD - [0:0]', ':nova-network-INPUT - [0:0]', ':nova-network-OUTPUT - [0:0]', ':nova-network-local - [0:0]',
    '-A INPUT -j nova-network-INPUT', '-A FORWARD -j nova-filter-top', '-A FORWARD -j nova-network-FORWARD',
    '-A OUTPUT -j nova-filter-top', '-A OUTPUT -j nova-network-OUTPUT', '-A nova-filter-top -j nova-network-local',
    // forward_bridge_interface=['all'] (LinuxNetL3 for a network with a gateway); the hardware gateway lab
    // renders the branch for a network without one (--in/--out-interface <bridge> -j DROP): the network
    // host must not route the instances, the router does
    ...(plan.hwGateway
      ? [`-A nova-network-FORWARD --in-interface ${BR} -j DROP`, `-A nova-network-FORWARD --out-interface ${BR} -j DROP`]
      : [`-A nova-network-FORWARD -i ${BR} -j ACCEPT`, `-A nova-network-FORWARD -o ${BR} -j ACCEPT`]),
    // dnsmasq: DHCP and DNS on the bridge
    ...['udp', 'tcp'].flatMap((p) => [67, 53].map((port) => `-A nova-network-INPUT -i ${BR} -p ${p} -m ${p} --dport ${port} -j ACCEPT`)),
    // metadata_accept()
    `-A nova-network-INPUT -s 0.0.0.0/0 -d ${mh}/32 -p tcp -m tcp --dport ${NOVA_CONF.metadataPort} -j ACCEPT`,
    'COMMIT',
  ];
  return [...nat, ...filter].join('\n') + '\n';
}

/** floating_forward_rules(floating_ip, fixed_ip, device=public_interface) as `-A` lines */
export function floatingForwardRules(fip: string, fixed: string): string[] {
  return [
    `-A nova-network-float-snat -s ${fixed}/32 -d ${fixed}/32 -j SNAT --to-source ${fip}`,
    `-A nova-network-float-snat -s ${fixed}/32 -o ${PUB} -j SNAT --to-source ${fip}`,
    `-A nova-network-PREROUTING -d ${fip}/32 -j DNAT --to-destination ${fixed}`,
    `-A nova-network-OUTPUT -d ${fip}/32 -j DNAT --to-destination ${fixed}`,
    `-A nova-network-POSTROUTING -s ${fixed}/32 -m conntrack --ctstate DNAT -j SNAT --to-source ${fip}`,
  ];
}

/** bind_floating_ip(): /32 on public_interface, then send_arp_for_ip() when send_arp_for_ha (arping -U ip -A -I dev -c count) */
export function bindFloatingIpLines(fip: string, garp: boolean): string[] {
  const out = [`ip addr add ${fip}/32 dev ${PUB}`];
  if (garp && NOVA_CONF.sendArpForHa) {
    out.push(`${quoteArgv(['arping', '-U', fip, '-A', '-I', PUB, '-c', String(NOVA_CONF.sendArpForHaCount)])} </dev/null >/dev/null 2>&1 &`);
  }
  return out;
}

/**
 * isolate_dhcp_address(interface, address) of linux_net.py 2014.2, called by plug() when
 * share_address: the rules after `ebtables -t filter -I` ("the above is not possible with
 * iptables/arptables"). ARP for the shared dhcp_server neither comes in nor goes out over the
 * flat interface, and DHCP neither way across it: each host's instances see only their own host.
 */
export function isolateDhcpAddressRules(iface: string, address: string): string[] {
  return [
    `INPUT -p ARP -i ${iface} --arp-ip-dst ${address} -j DROP`,
    `OUTPUT -p ARP -o ${iface} --arp-ip-src ${address} -j DROP`,
    `FORWARD -p IPv4 -i ${iface} --ip-protocol udp --ip-destination-port 67:68 -j DROP`,
    `FORWARD -p IPv4 -o ${iface} --ip-protocol udp --ip-destination-port 67:68 -j DROP`,
  ];
}

/** ensure_ebtables_rules(): for each rule `ebtables -t filter -D <rule>` (ignored), then `-I <rule>` */
export function ensureEbtablesLines(rules: string[]): string[] {
  return rules.flatMap((r) => [`ebtables -t filter -D ${r} 2>/dev/null || true`, `ebtables -t filter -I ${r}`]);
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

/**
 * The network host role as nova-network builds it when it starts on a host (init_host,
 * initialize_gateway_device, restart_dhcp, metadata_forward, bind_floating_ip). `rulesFile`:
 * iptables-restore reads the nova-network rules from that file instead of a here-document
 * (the standby's takeover script is itself written by a here-document).
 */
export function networkRoleLines(plan: NovaLabPlan, h: NovaHost, fips: Record<string, string>, rulesFile?: string): string[] {
  return [
    // plug() (before initialize_gateway_device): share_address → isolate_dhcp_address(flat_interface, dhcp_server)
    ...(plan.shareAddress ? ensureEbtablesLines(isolateDhcpAddressRules(NOVA_CONF.flatInterface, h.dhcpServer!)) : []),
    // initialize_gateway_device(): "The ip for dnsmasq has to be the first address on the bridge"
    `ip addr add ${h.dhcpServer}/${plan.network.prefixLen} brd ${plan.network.broadcast} dev ${BR}`,
    rulesFile ? `iptables-restore < ${rulesFile}` : `iptables-restore <<'HAPROBE_EOF'\n${renderNovaIptables(plan, h, fips)}HAPROBE_EOF`,
    ...fipsOn(plan, h.name, fips).flatMap((f) => bindFloatingIpLines(f.ip, true)),
    // initialize_gateway_device() with send_arp_for_ha: the same arping for dhcp_server on the bridge
    ...(NOVA_CONF.sendArpForHa ? [`${quoteArgv(['arping', '-U', h.dhcpServer!, '-A', '-I', BR, '-c', String(NOVA_CONF.sendArpForHaCount)])} </dev/null >/dev/null 2>&1 &`] : []),
    quoteArgv(dnsmasqArgv(plan, h)),
    metadataLine(h),
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
