import type { Facts } from '../../model/facts';
import { quoteArgv } from '../../transport/quote-shell';
import { FABRIC_NS, nodeNetns } from '../render-host';
import { NOVA_CONF, type NovaHost, type NovaLabPlan } from './plan';
import type { MultinicNet, MultinicPlan } from './multinic-plan';
import { floatingForwardRules, metadataLine } from './render-network-role';

/**
 * nova-network multi-NIC (seed 000 "Recently, nova gained support for multi-nic … It is possible
 * to set up two networks on separate vlans (or even separate ethernet devices on the host) and
 * give the VMs a NIC and an IP on each network. Each of these networks could have its own network
 * host acting as the gateway … One would have to set up a floating IP associated with each of the
 * IPs on the private networks"; issue 9). The lab: network `private` on net1 (br100 on eth1),
 * network `private2` on net2 (br101 on eth2, a second fabric bridge: "separate ethernet devices"),
 * every instance with a NIC on each and a FIP per fixed IP, each FIP bound on its network's host.
 * The guest routes replies out of the NIC they came in on (two tables): the seed's "the guest needs
 * to be aware of multiple networks". Templates: linux_net.py (Juno), ground-truth §5b/§5c.
 */
const NP = NOVA_CONF.networksPath;
const PUB = NOVA_CONF.publicInterface;
/** the second fabric bridge and the nodes' leg on it (flat_interface of private2) */
export const DATA2_BRIDGE = 'data2';

/** fault nova-multinic-same-host: private2 moved onto net1 (networks.host = net1 for both) */
export const SAME_HOST_FAULT = 'nova-multinic-same-host';

/** the host serving each network now (after faults recorded in lab.json) */
export function multinicHostOf(plan: NovaLabPlan, label: string, faults: readonly string[]): string {
  const net = plan.multinic!.networks.find((n) => n.label === label)!;
  return faults.includes(SAME_HOST_FAULT) && label === plan.multinic!.networks[1].label ? plan.multinic!.networks[0].host : net.host;
}

/** host side: the second fabric bridge and a leg (eth2 in the node) per nova node */
export function renderMultinicLinks(plan: NovaLabPlan): string {
  const out = ['set -e', `ip -n ${FABRIC_NS} link add ${DATA2_BRIDGE} type bridge stp_state 0 forward_delay 0 mcast_snooping 0`, `ip -n ${FABRIC_NS} link set ${DATA2_BRIDGE} up`];
  for (const n of plan.nodes.filter((x) => x.kind !== 'gateway')) {
    out.push(
      `ip link add d2-${n.name} netns ${FABRIC_NS} type veth peer name ${plan.multinic!.networks[1].iface} netns ${nodeNetns(n.name)}`,
      `ip -n ${FABRIC_NS} link set d2-${n.name} master ${DATA2_BRIDGE} up`,
      `ip -n ${nodeNetns(n.name)} link set ${plan.multinic!.networks[1].iface} up`,
    );
  }
  return out.join('\n') + '\n';
}

/** the dnsmasq of restart_dhcp() (Juno) for one network's bridge, minus --dhcp-script */
export function multinicDnsmasqArgv(net: MultinicNet, dhcpServer: string): string[] {
  return [
    'env', 'CONFIG_FILE=["/etc/nova/nova.conf"]', `NETWORK_ID=${net.table - 99}`,
    'dnsmasq', '--strict-order', '--bind-interfaces', '--conf-file=',
    `--pid-file=${NP}/nova-${net.bridge}.pid`, `--dhcp-optsfile=${NP}/nova-${net.bridge}.opts`,
    `--listen-address=${dhcpServer}`, '--except-interface=lo',
    `--dhcp-range=set:${net.label},${net.dhcpStart},static,${net.netmask},${NOVA_CONF.dhcpLeaseTime}s`,
    '--dhcp-lease-max=256', `--dhcp-hostsfile=${NP}/nova-${net.bridge}.conf`,
    `--domain=${NOVA_CONF.dhcpDomain}`, '--no-hosts', '--leasefile-ro',
  ];
}

/** the networks, NICs and FIPs of a lab with more than one network: nova-multinic, or nova-vlan (src/lab/nova/vlan.ts) */
function networksPart(plan: NovaLabPlan): Pick<MultinicPlan, 'nics' | 'fipNetwork' | 'fipFixed'> & { networks: readonly MultinicNet[] } {
  return (plan.multinic ?? plan.vlan)!;
}

/** the FIPs of one network */
function fipsOfNet(plan: NovaLabPlan, label: string, fips: Record<string, string>): { ip: string; fixed: string }[] {
  const part = networksPart(plan);
  return Object.keys(fips).filter((ip) => part.fipNetwork[ip] === label).map((ip) => ({ ip, fixed: part.fipFixed[ip]! }));
}

/** nat rules one network adds on its host (init_host, add_snat_rule, floating_forward_rules), without `-A ` */
export function multinicNetRules(plan: NovaLabPlan, net: MultinicNet, h: NovaHost, fips: Record<string, string>): string[] {
  return [
    `nova-network-POSTROUTING -s ${net.cidr} -d ${h.myIp}/32 -j ACCEPT`,
    `nova-network-POSTROUTING -s ${net.cidr} -d ${net.cidr} -m conntrack ! --ctstate DNAT -j ACCEPT`,
    `nova-network-snat -s ${net.cidr} -o ${PUB} -j SNAT --to-source ${h.myIp}`,
    ...fipsOfNet(plan, net.label, fips).flatMap((f) => floatingForwardRules(f.ip, f.fixed).map((l) => l.replace(/^-A /, ''))),
  ];
}

/** nova-network starting to serve one network on host h: bridge, dhcp_server first, opts/hosts, dnsmasq, NAT, FIPs /32 + arping */
export function multinicNetUpLines(plan: NovaLabPlan, net: MultinicNet, h: NovaHost, fips: Record<string, string>): string[] {
  const mine = networksPart(plan).nics.filter((n) => n.network === net.label);
  return [
    `ip link show ${net.bridge} >/dev/null 2>&1 || ip link add ${net.bridge} type bridge stp_state 0 forward_delay 0`,
    `ip link set ${net.iface} master ${net.bridge}`,
    `ip link set ${net.bridge} up`,
    // initialize_gateway_device(): the dhcp_server first on the bridge
    `ip addr add ${net.gateway}/${net.prefixLen} brd ${net.broadcast} dev ${net.bridge}`,
    `printf '%s\\n' '3,${net.gateway}' > ${NP}/nova-${net.bridge}.opts`,
    `cat > ${NP}/nova-${net.bridge}.conf <<'HAPROBE_EOF'\n${mine.map((n) => `${n.mac},${n.instance}.${NOVA_CONF.dhcpDomain},${n.ip}\n`).join('')}HAPROBE_EOF`,
    ...multinicNetRules(plan, net, h, fips).map((r) => `iptables -t nat -A ${r}`),
    `iptables -A nova-network-FORWARD -i ${net.bridge} -j ACCEPT`,
    `iptables -A nova-network-FORWARD -o ${net.bridge} -j ACCEPT`,
    ...fipsOfNet(plan, net.label, fips).flatMap((f) => [
      `ip addr add ${f.ip}/32 dev ${PUB}`,
      `${quoteArgv(['arping', '-U', f.ip, '-A', '-I', PUB, '-c', String(NOVA_CONF.sendArpForHaCount)])} </dev/null >/dev/null 2>&1 &`,
    ]),
    `${quoteArgv(['arping', '-U', net.gateway, '-A', '-I', net.bridge, '-c', String(NOVA_CONF.sendArpForHaCount)])} </dev/null >/dev/null 2>&1 &`,
    quoteArgv(multinicDnsmasqArgv(net, net.gateway)),
  ];
}

/** the same host stops serving the network (what moving networks.host leaves behind when done right) */
export function multinicNetDownLines(plan: NovaLabPlan, net: MultinicNet, h: NovaHost, fips: Record<string, string>): string[] {
  return [
    `kill $(cat ${NP}/nova-${net.bridge}.pid) 2>/dev/null || true`,
    `ip addr del ${net.gateway}/${net.prefixLen} dev ${net.bridge} || true`,
    ...fipsOfNet(plan, net.label, fips).map((f) => `ip addr del ${f.ip}/32 dev ${PUB} || true`),
    ...multinicNetRules(plan, net, h, fips).map((r) => `iptables -t nat -D ${r} || true`),
    `iptables -D nova-network-FORWARD -i ${net.bridge} -j ACCEPT || true`,
    `iptables -D nova-network-FORWARD -o ${net.bridge} -j ACCEPT || true`,
  ];
}

/** the nova-network chains as iptables_manager lays them out, with the metadata forward and INPUT rules; per-network rules follow */
function skeleton(plan: NovaLabPlan, h: NovaHost): string {
  const meta = `-A nova-network-PREROUTING -s 0.0.0.0/0 -d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination ${h.myIp}:${NOVA_CONF.metadataPort}`;
  return [
    '*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]',
    ':nova-network-OUTPUT - [0:0]', ':nova-network-POSTROUTING - [0:0]', ':nova-network-PREROUTING - [0:0]',
    ':nova-network-float-snat - [0:0]', ':nova-network-snat - [0:0]', ':nova-postrouting-bottom - [0:0]',
    '-A PREROUTING -j nova-network-PREROUTING', '-A OUTPUT -j nova-network-OUTPUT',
    '-A POSTROUTING -j nova-network-POSTROUTING', '-A POSTROUTING -j nova-postrouting-bottom',
    meta, '-A nova-network-snat -j nova-network-float-snat', '-A nova-postrouting-bottom -j nova-network-snat', 'COMMIT',
    '*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]',
    ':nova-filter-top - [0:0]', ':nova-network-FORWARD - [0:0]', ':nova-network-INPUT - [0:0]', ':nova-network-OUTPUT - [0:0]', ':nova-network-local - [0:0]',
    '-A INPUT -j nova-network-INPUT', '-A FORWARD -j nova-filter-top', '-A FORWARD -j nova-network-FORWARD',
    '-A OUTPUT -j nova-filter-top', '-A OUTPUT -j nova-network-OUTPUT', '-A nova-filter-top -j nova-network-local',
    ...networksPart(plan).networks.flatMap((n) => ['udp', 'tcp'].flatMap((p) => [67, 53].map((port) => `-A nova-network-INPUT -i ${n.bridge} -p ${p} -m ${p} --dport ${port} -j ACCEPT`))),
    `-A nova-network-INPUT -s 0.0.0.0/0 -d ${h.myIp}/32 -p tcp -m tcp --dport ${NOVA_CONF.metadataPort} -j ACCEPT`,
    'COMMIT', '',
  ].join('\n');
}

function novaConf(h: NovaHost): string {
  return [
    '[DEFAULT]', 'network_manager = nova.network.manager.FlatDHCPManager', 'multi_host = False', `my_ip = ${h.myIp}`,
    `public_interface = ${PUB}`, `metadata_host = ${h.myIp}`, `metadata_port = ${NOVA_CONF.metadataPort}`,
    `send_arp_for_ha = ${NOVA_CONF.sendArpForHa ? 'True' : 'False'}`, `send_arp_for_ha_count = ${NOVA_CONF.sendArpForHaCount}`,
    `networks_path = ${NP}`, 'use_single_default_gateway = True', 'rabbit_password = lab-secret-not-collected', '',
  ].join('\n');
}

/**
 * a network host of a lab with several networks (nova-multinic, nova-vlan) before its networks:
 * my_ip and the default route, the metadata IP, the nova dirs, nova.conf, the nova-network chains
 */
export function networkHostPrelude(plan: NovaLabPlan, h: NovaHost, novaConfText: string): string[] {
  return [
    'sysctl -qw net.ipv4.ip_forward=1',
    `ip addr add ${h.myIp}/24 dev ${PUB}`,
    `ip route add default via ${plan.extGw} dev ${PUB}`,
    'ip addr add 169.254.169.254/32 scope link dev lo',
    `mkdir -p ${NP} /var/lib/nova/metadata`,
    `printf '%s\\n' 'instance-id' > /var/lib/nova/metadata/index.html`,
    `cat > /etc/nova/nova.conf <<'HAPROBE_EOF'\n${novaConfText}HAPROBE_EOF`,
    `iptables-restore <<'HAPROBE_EOF'\n${skeleton(plan, h)}HAPROBE_EOF`,
  ];
}

/** everything nova-network and nova-compute build on `host` of the multi-NIC lab */
export function renderMultinicNode(plan: NovaLabPlan, host: string, fips: Record<string, string>): string {
  const h = plan.hosts.find((x) => x.name === host)!;
  const mn = plan.multinic!;
  const out = ['set -e', 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1'];
  if (h.network) {
    out.push(
      ...networkHostPrelude(plan, h, novaConf(h)),
      ...mn.networks.filter((n) => n.host === host).flatMap((n) => multinicNetUpLines(plan, n, h, fips)),
      metadataLine(h),
    );
  } else {
    // a compute: ensure_bridge() for each network its instances are plugged into
    for (const n of mn.networks) out.push(`ip link add ${n.bridge} type bridge stp_state 0 forward_delay 0`, `ip link set ${n.iface} master ${n.bridge}`, `ip link set ${n.bridge} up`);
  }
  for (const inst of plan.instances.filter((x) => x.host === host)) {
    const netns = `/run/haprobe-vms/${inst.name}`;
    out.push(`touch ${netns}`, `unshare --net=${netns} true`, `nsenter --net=${netns} sh -c 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 && ip link set lo up'`);
    mn.networks.forEach((net, i) => {
      const nic = mn.nics.find((n) => n.instance === inst.name && n.network === net.label)!;
      out.push(
        `ip link add ${nic.vnet} type veth peer name ${net.guestIf} netns ${netns}`,
        `nsenter --net=${netns} sh -c 'ip link set ${net.guestIf} address ${nic.mac} && ip link set ${net.guestIf} up && ip addr add ${nic.ip}/${net.prefixLen} dev ${net.guestIf}` +
          // use_single_default_gateway: the default route from the first NIC; replies leave by the NIC they came in on
          (i === 0 ? ` && ip route add default via ${net.gateway}` : '') +
          ` && ip route add default via ${net.gateway} dev ${net.guestIf} table ${net.table} && ip rule add from ${nic.ip} lookup ${net.table}'`,
        `ip link set ${nic.vnet} master ${net.bridge} up`,
      );
    });
  }
  return out.join('\n') + '\n';
}

/** facts.json of the multi-NIC lab: two single-host networks, each instance a fixed IP and a FIP on each */
export function buildMultinicFacts(plan: NovaLabPlan, fips: Record<string, string>, faults: readonly string[]): Facts {
  const mn = plan.multinic!;
  const hostOf = (label: string): string => multinicHostOf(plan, label, faults);
  const netHosts = plan.hosts.filter((x) => x.network).map((x) => x.name);
  return {
    version: 1, profile: plan.profile, release: 'juno',
    routers: [], ports: [], floatingIps: [], instances: [], agents: [],
    upstream: { node: 'upstream', ip: plan.extGw },
    nova: {
      networkManager: 'flatdhcp',
      publicInterface: PUB,
      metadataPort: NOVA_CONF.metadataPort,
      sendArpForHa: NOVA_CONF.sendArpForHa,
      sendArpForHaCount: NOVA_CONF.sendArpForHaCount,
      myIps: Object.fromEntries(plan.hosts.map((x) => [x.name, x.myIp])),
      networkHosts: netHosts,
      networks: mn.networks.map((n) => ({ label: n.label, cidr: n.cidr, bridge: n.bridge, bridgeInterface: n.iface, gateway: n.gateway, multiHost: false, dhcpServer: n.gateway, host: hostOf(n.label) })),
      fixedIps: mn.nics.map((n) => ({ address: n.ip, network: n.network, instance: plan.instances.find((i) => i.name === n.instance)!.id, instanceName: n.instance, host: n.host, mac: n.mac })),
      floatingIps: Object.keys(fips).map((ip) => ({ address: ip, fixedIp: mn.fipFixed[ip]!, host: hostOf(mn.fipNetwork[ip]!), interface: PUB })),
    },
  };
}
