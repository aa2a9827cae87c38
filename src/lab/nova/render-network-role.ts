import { quoteArgv } from '../../transport/quote-shell';
import { fipHostOf, NOVA_CONF, type NovaHost, type NovaInstance, type NovaLabPlan } from './plan';

/**
 * The network host role as nova-network builds it when it starts on a host (linux_net.py at tag
 * 2014.2, each block names the function it mirrors): a plain network host runs these lines at
 * up (render.ts), a hot standby pair from its takeover script (render-standby.ts), so both
 * import them from here.
 */
const NP = NOVA_CONF.networksPath;
const BR = NOVA_CONF.bridge;
const PUB = NOVA_CONF.publicInterface;
export const METADATA_IP = '169.254.169.254';

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

/** FIPs bound on this host for the current associations */
export function fipsOn(plan: NovaLabPlan, host: string, fips: Record<string, string>): { ip: string; inst: NovaInstance }[] {
  return Object.entries(fips)
    .filter(([, name]) => fipHostOf(plan, name) === host)
    .map(([ip, name]) => ({ ip, inst: plan.instances.find((i) => i.name === name)! }));
}

/** metadata_host: the single network host's my_ip, or each multi_host compute's own */
export function metadataHostOf(plan: NovaLabPlan, h: NovaHost): string {
  return plan.multiHost || plan.standby ? h.myIp : plan.hosts.find((x) => x.network)!.myIp;
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

/** the metadata API (nova-api-metadata) on my_ip:8775: busybox httpd in the foreground, pid file for faults */
export function metadataLine(h: NovaHost): string {
  return `${quoteArgv(['busybox', 'httpd', '-f', '-p', `${h.myIp}:${NOVA_CONF.metadataPort}`, '-h', '/var/lib/nova/metadata'])} </dev/null >/dev/null 2>&1 & echo $! > /var/lib/nova/metadata.pid`;
}
