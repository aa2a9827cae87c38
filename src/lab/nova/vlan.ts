import type { Facts } from '../../model/facts';
import { quoteArgv } from '../../transport/quote-shell';
import { ovsStartLines } from '../render-host';
import type { LabPaths } from '../types';
import { NOVA_CONF, runProfileOf, type NovaHost, type NovaLabPlan } from './plan';
import type { VlanNet } from './vlan-plan';
import { multinicNetUpLines, networkHostPrelude } from './multinic';
import { singleNicInstanceLines } from './render';
import { metadataLine } from './render-network-role';

/**
 * nova-network VlanManager (ground-truth §5b, linux_net.py 2014.2 LinuxBridgeInterfaceDriver.plug
 * → ensure_vlan_bridge): per network `vlan<N>` on vlan_interface, enslaved in `br<N>`, on the
 * network host (net1, both networks: dhcp_server first on br<N>, a dnsmasq per bridge, NAT, FIPs)
 * and on each compute for the networks of its instances.
 *
 * The stand-in (no 8021q module on this kernel): vlan_interface eth1 is a port of the OVS bridge
 * br-vlan (netdev datapath, as the neutron lab's), and `vlan<N>` is an OVS internal port of it
 * with `tag=N`: frames leave eth1 with 802.1Q tag N as a real vlan<N> would send them, the device
 * is a tap, its id is Port.tag in OVSDB (nova-vlan-bridge reads it there for an OVS port).
 */
const NP = NOVA_CONF.networksPath;
const PUB = NOVA_CONF.publicInterface;

/** ensure_vlan() as the lab builds it: the tagged OVS internal port vlan<N> on the trunk bridge, up */
export function vlanDeviceLines(plan: NovaLabPlan, net: VlanNet): string[] {
  const v = plan.vlan!;
  return [
    quoteArgv(['ovs-vsctl', '--', '--may-exist', 'add-port', v.ovsBridge, net.iface, `tag=${net.vlan}`, '--', 'set', 'Interface', net.iface, 'type=internal']),
    `ip link set ${net.iface} up`,
  ];
}

/** ensure_bridge(br<N>, vlan<N>) on a compute: the bridge its instances' taps go into */
function computeBridgeLines(net: VlanNet): string[] {
  return [`ip link add ${net.bridge} type bridge stp_state 0 forward_delay 0`, `ip link set ${net.iface} master ${net.bridge}`, `ip link set ${net.bridge} up`];
}

function novaConf(plan: NovaLabPlan, h: NovaHost): string {
  return [
    '[DEFAULT]', 'network_manager = nova.network.manager.VlanManager', 'multi_host = False', `my_ip = ${h.myIp}`,
    `public_interface = ${PUB}`, `vlan_interface = ${plan.vlan!.vlanInterface}`, `metadata_host = ${h.myIp}`, `metadata_port = ${NOVA_CONF.metadataPort}`,
    `send_arp_for_ha = ${NOVA_CONF.sendArpForHa ? 'True' : 'False'}`, `send_arp_for_ha_count = ${NOVA_CONF.sendArpForHaCount}`,
    `networks_path = ${NP}`, 'rabbit_password = lab-secret-not-collected', '',
  ].join('\n');
}

/** everything nova-network and nova-compute build on `host` of the VLAN lab (after the node's OVS is up) */
export function renderVlanNode(plan: NovaLabPlan, host: string, fips: Record<string, string>, paths: LabPaths): string {
  const h = plan.hosts.find((x) => x.name === host)!;
  const v = plan.vlan!;
  const mine = v.nics.filter((n) => n.host === host);
  const nets = h.network ? v.networks : v.networks.filter((n) => mine.some((nic) => nic.network === n.label));
  const out = [
    'set -e', 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1',
    ...ovsStartLines(host, paths.nodeDir(host)),
    // vlan_interface as the trunk of br-vlan (the bridge itself stays down: nothing routes on it)
    quoteArgv(['ovs-vsctl', '--', 'add-br', v.ovsBridge, '--', 'set', 'bridge', v.ovsBridge, 'datapath_type=netdev', '--', 'add-port', v.ovsBridge, v.vlanInterface]),
    ...nets.flatMap((n) => vlanDeviceLines(plan, n)),
  ];
  if (h.network) {
    out.push(
      ...networkHostPrelude(plan, h, novaConf(plan, h)),
      // the bridge, dhcp_server first, opts/hosts files, NAT, FIPs and dnsmasq of each network (as multi-NIC's)
      ...nets.flatMap((n) => multinicNetUpLines(plan, n, h, fips)),
      metadataLine(h),
    );
  } else {
    out.push(...nets.flatMap(computeBridgeLines));
  }
  for (const nic of mine) {
    const net = v.networks.find((n) => n.label === nic.network)!;
    out.push(...singleNicInstanceLines({ name: nic.instance, vnet: nic.vnet, mac: nic.mac, ip: nic.ip, prefixLen: net.prefixLen, gateway: net.gateway, bridge: net.bridge }));
  }
  return out.join('\n') + '\n';
}

/** facts.json of the VLAN lab: networkManager vlan, each network with its vlan id, bridge br<N> and vlan_interface */
export function buildVlanFacts(plan: NovaLabPlan, fips: Record<string, string>): Facts {
  const v = plan.vlan!;
  const net1 = plan.hosts.find((x) => x.network)!;
  return {
    version: 1, profile: runProfileOf(plan.profile), release: 'juno',
    routers: [], ports: [], floatingIps: [], instances: [], agents: [],
    upstream: { node: 'upstream', ip: plan.extGw },
    nova: {
      networkManager: 'vlan',
      publicInterface: PUB,
      metadataHost: net1.myIp,
      metadataPort: NOVA_CONF.metadataPort,
      sendArpForHa: NOVA_CONF.sendArpForHa,
      sendArpForHaCount: NOVA_CONF.sendArpForHaCount,
      myIps: Object.fromEntries(plan.hosts.map((x) => [x.name, x.myIp])),
      networkHosts: [net1.name],
      networks: v.networks.map((n) => ({
        label: n.label, cidr: n.cidr, bridge: n.bridge, bridgeInterface: v.vlanInterface, gateway: n.gateway, multiHost: false, dhcpServer: n.gateway, host: n.host, vlan: n.vlan,
      })),
      fixedIps: v.nics.map((n) => ({ address: n.ip, network: n.network, instance: plan.instances.find((i) => i.name === n.instance)!.id, instanceName: n.instance, host: n.host, mac: n.mac })),
      floatingIps: Object.keys(fips).map((ip) => ({ address: ip, fixedIp: v.fipFixed[ip]!, host: v.networks.find((n) => n.label === v.fipNetwork[ip])!.host, interface: PUB })),
    },
  };
}
