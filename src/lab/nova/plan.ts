import { HaprobeError } from '../../errors';
import type { Facts } from '../../model/facts';
import { makeMac, makeUuid } from '../ids';
import { LAB_NET, MAX_COMPUTES } from '../plan';
import type { PlanNode } from '../types';
import { buildMultinicPart, type MultinicPlan } from './multinic-plan';
import { buildVlanPart, type VlanPlan } from './vlan-plan';

/**
 * The nova-network lab (issue 9, ground-truth §5): no namespaces per router, no OVS; every
 * nova-network host has a Linux bridge br100 enslaving its flat_interface (eth1), the
 * dhcp_server address first on the bridge, one real dnsmasq per bridge, the nova-network-*
 * iptables chains, floating IPs /32 on public_interface (eth0) and a metadata API on 8775.
 * This file is the lab's own reading of linux_net.py (an independent oracle of the checks).
 */
export interface NovaLabProfile {
  id: string;
  title: string;
  /** networks.multi_host: every compute runs nova-network for its own instances */
  multiHost: boolean;
  /** default compute count */
  computes: number;
  /** a hot standby network host: net1 and net2 under keepalived, the role moved by its notify scripts */
  standby?: boolean;
  /**
   * a hardware gateway (seed 000 "To configure for hardware gateway", seed 003 "Option 3: HW
   * Gateway"): the upstream plays the router on the flat network, dnsmasq_config_file hands it out
   * (`dhcp-option=3,<router>`), the network host keeps DHCP, NAT and the metadata API but does not forward
   */
  hwGateway?: boolean;
  /** multi-NIC (seed 000): two networks, each its own network host (net1, net2), a NIC and a FIP per instance on each */
  multinic?: boolean;
  /** VlanManager (ground-truth §5b): networks private (vlan 100, br100) and private2 (vlan 101, br101) on net1; vlan<N> are tagged OVS internal ports (src/lab/nova/vlan-plan.ts) */
  vlan?: boolean;
  /**
   * multi_host with networks.share_address (share_dhcp_address): every compute carries the same
   * dhcp_server (the gateway) on br100 and nova isolates it with ebtables (linux_net.isolate_dhcp_address)
   */
  shareAddress?: boolean;
  /** the `haprobe run -p` profile of this lab when it is a variant of another (default: the lab's id) */
  runProfile?: string;
}

export const NOVA_LAB_PROFILES: readonly NovaLabProfile[] = [
  { id: 'nova-flatdhcp', title: 'nova-network FlatDHCP: one network host (net1), 2 computes', multiHost: false, computes: 2 },
  { id: 'nova-multihost', title: 'nova-network FlatDHCP multi_host: nova-network on every compute (2)', multiHost: true, computes: 2 },
  { id: 'nova-hot-standby', title: 'nova-network FlatDHCP with a hot standby network host: net1 active, net2 standby under keepalived, 2 computes', multiHost: false, computes: 2, standby: true },
  { id: 'nova-multinic', title: 'nova-network multi-NIC: networks private (net1, br100) and private2 (net2, br101), each instance a NIC and a FIP on each, 2 computes', multiHost: false, computes: 2, multinic: true },
  { id: 'nova-vlan', title: 'nova-network VlanManager: networks private (vlan 100, br100) and private2 (vlan 101, br101) on net1, vlan<N> = tagged OVS internal ports (no 8021q here), 2 computes', multiHost: false, computes: 2, vlan: true },
  { id: 'nova-multihost-shared', title: 'nova-network FlatDHCP multi_host with share_address: one dhcp_server on every compute (2), isolated by ebtables', multiHost: true, computes: 2, shareAddress: true, runProfile: 'nova-multihost' },
  { id: 'nova-hw-gateway', title: 'nova-network FlatDHCP with a hardware gateway: the upstream routes the instances (dhcp-option=3), net1 keeps DHCP/NAT/metadata, 2 computes', multiHost: false, computes: 2, hwGateway: true },
];

export function findNovaProfile(id: string): NovaLabProfile | undefined {
  return NOVA_LAB_PROFILES.find((p) => p.id === id);
}

/** the `haprobe run -p` profile of a nova lab */
export function runProfileOf(labProfile: string): string {
  return findNovaProfile(labProfile)?.runProfile ?? labProfile;
}

export function isNovaProfile(id: string | undefined): boolean {
  return id !== undefined && findNovaProfile(id) !== undefined;
}

/** nova.conf values the lab renders (defaults of Juno unless said) */
export const NOVA_CONF = {
  publicInterface: 'eth0',
  flatInterface: 'eth1',
  bridge: 'br100',
  label: 'private',
  metadataPort: 8775,
  networksPath: '/var/lib/nova/networks',
  dhcpLeaseTime: 86400,
  dhcpDomain: 'novalocal',
  /** the lab turns it on (the HA-relevant setting; default False, LP 782364) */
  sendArpForHa: true,
  sendArpForHaCount: 3,
  /** nova-hw-gateway: dnsmasq_config_file (the seed's /etc/dnsmasq-nova.conf, under the node's own /etc/nova) */
  dnsmasqConfigFile: '/etc/nova/dnsmasq-nova.conf',
  /** nova-hw-gateway: the hardware router's address on the flat network and its interface in the upstream node */
  hwGatewayIp: '10.0.0.254',
  hwGatewayIf: 'flat0',
} as const;

export interface NovaHost {
  name: string;
  /** my_ip = routing_source_ip = metadata_host of the host: its address on public_interface */
  myIp: string;
  /** runs nova-network (and nova-api-metadata) */
  network: boolean;
  /** address of its dnsmasq on br100 (network hosts) */
  dhcpServer?: string;
}

export interface NovaInstance {
  id: string;
  name: string;
  host: string;
  ip: string;
  mac: string;
  /** libvirt's tap on the node, in br100 */
  vnet: string;
}

export interface NovaLabPlan {
  profile: string;
  multiHost: boolean;
  /** net1 and net2 share the network host role under keepalived (nova-hot-standby) */
  standby: boolean;
  /** nova-hw-gateway: the upstream node is the instances' router on the flat network (this address) */
  hwGateway?: { node: string; address: string };
  /** nova-multinic: the second network, every NIC, and which network each FIP belongs to (src/lab/nova/multinic.ts) */
  multinic?: MultinicPlan;
  /** nova-vlan: the networks with their vlan ids, every NIC, the OVS stand-in of vlan_interface (src/lab/nova/vlan.ts) */
  vlan?: VlanPlan;
  /** multi_host with share_address: every host's dhcp_server is the network gateway, ebtables isolate it */
  shareAddress: boolean;
  nodes: PlanNode[];
  hosts: NovaHost[];
  network: { id: string; label: string; cidr: string; prefixLen: number; netmask: string; broadcast: string; gateway: string; dhcpStart: string; size: number };
  extGw: string;
  instances: NovaInstance[];
  /** FIP → instance name, one per instance */
  fipPool: { ip: string; instance: string }[];
}

export function buildNovaPlan(profileId: string, opts: { computes?: number } = {}): NovaLabPlan {
  const profile = findNovaProfile(profileId);
  if (!profile) throw new HaprobeError('usage', `unknown nova lab profile "${profileId}"`);
  const computes = opts.computes ?? profile.computes;
  if (!Number.isInteger(computes) || computes < 1 || computes > MAX_COMPUTES) {
    throw new HaprobeError('usage', `--computes must be an integer 1..${MAX_COMPUTES}, got ${String(opts.computes)}`);
  }
  const seed = profile.id;
  // nova-hw-gateway: the upstream is also the network's router; a node with only the gateway role is read
  // root-only without iptables (collect.ts), and the check reads the router's metadata DNAT
  const nodes: PlanNode[] = [{ name: 'upstream', kind: 'gateway', roles: profile.hwGateway ? ['gateway', 'network'] : ['gateway'], mgmtIp: LAB_NET.upstreamMgmt }];
  const hosts: NovaHost[] = [];
  if (!profile.multiHost) {
    nodes.push({ name: 'net1', kind: 'network', roles: ['network'], mgmtIp: '198.18.0.11' });
    hosts.push({ name: 'net1', myIp: '203.0.113.2', network: true, dhcpServer: '10.0.0.1' });
  }
  if (profile.standby || profile.multinic) {
    // the hot backup: the same dhcp_server (the role moves, the addresses with it), its own my_ip
    nodes.push({ name: 'net2', kind: 'network', roles: ['network'], mgmtIp: '198.18.0.12' });
    hosts.push({ name: 'net2', myIp: '203.0.113.3', network: true, dhcpServer: profile.multinic ? '10.1.0.1' : '10.0.0.1' });
  }
  for (let i = 1; i <= computes; i++) {
    const name = `cmp${i}`;
    nodes.push({ name, kind: 'compute', roles: profile.multiHost ? ['compute', 'network'] : ['compute'], mgmtIp: `198.18.0.${20 + i}` });
    // multi_host: each host's dhcp_server is a fixed IP reserved for it (_get_dhcp_ip): 10.0.0.2, .3 …,
    // or with share_address the network's dhcp_server (= gateway) on every host (_uses_shared_ip)
    const dhcpServer = profile.multiHost ? (profile.shareAddress ? '10.0.0.1' : `10.0.0.${1 + i}`) : undefined;
    hosts.push({ name, myIp: `203.0.113.${20 + i}`, network: profile.multiHost, dhcpServer });
  }
  const instances: NovaInstance[] = [];
  for (let i = 1; i <= computes; i++) {
    instances.push({
      id: makeUuid(seed, `instance:vm${i}`), name: `vm${i}`, host: `cmp${i}`, ip: `10.0.0.${10 + i}`,
      mac: makeMac(seed, `vm${i}`), vnet: 'vnet0',
    });
  }
  const multi = profile.multinic ? buildMultinicPart(seed, computes) : undefined;
  const vlan = profile.vlan ? buildVlanPart(seed, computes) : undefined;
  // VlanManager: an instance's fixed IP is in its own network (vm2 in private2)
  for (const nic of vlan?.vlan.nics ?? []) instances.find((i) => i.name === nic.instance)!.ip = nic.ip;
  return {
    profile: profile.id,
    multiHost: profile.multiHost,
    ...(multi ? { multinic: multi.multinic } : {}),
    ...(vlan ? { vlan: vlan.vlan } : {}),
    shareAddress: profile.shareAddress === true,
    standby: profile.standby === true,
    ...(profile.hwGateway ? { hwGateway: { node: 'upstream', address: NOVA_CONF.hwGatewayIp } } : {}),
    nodes,
    hosts,
    network: {
      id: makeUuid(seed, 'net:private'), label: NOVA_CONF.label, cidr: '10.0.0.0/24', prefixLen: 24, netmask: '255.255.255.0',
      // nova-hw-gateway: networks.gateway is the router, dhcp_server stays net1's 10.0.0.1 (nova-manage network
      // create --gateway <router> --dhcp_server …): from Juno on get_dhcp_opts writes `3,<networks.gateway>`
      // into the opts file, which wins over dnsmasq_config_file's dhcp-option=3 (seen on the lab, dnsmasq 2.90)
      broadcast: '10.0.0.255', gateway: profile.hwGateway ? NOVA_CONF.hwGatewayIp : '10.0.0.1', dhcpStart: profile.multiHost && !profile.shareAddress ? `10.0.0.${2 + computes}` : '10.0.0.2', size: 256,
    },
    extGw: LAB_NET.extGw,
    instances,
    fipPool: multi ? multi.fipPool : vlan ? vlan.fipPool : instances.map((inst, i) => ({ ip: `203.0.113.${101 + i}`, instance: inst.name })),
  };
}

/** every FIP is associated at up */
export function initialNovaFips(plan: NovaLabPlan): Record<string, string> {
  return Object.fromEntries(plan.fipPool.map((f) => [f.ip, f.instance]));
}

/** the host that binds and NATs a FIP: the network host, or the instance's host with multi_host */
export function fipHostOf(plan: NovaLabPlan, instanceName: string): string {
  const inst = plan.instances.find((i) => i.name === instanceName);
  if (!inst) throw new HaprobeError('usage', `unknown instance ${instanceName}`);
  return plan.multiHost ? inst.host : plan.hosts.find((h) => h.network)!.name;
}

/** option 3 of get_dhcp_opts (the opts file): the network gateway, or the host's own dhcp_server (multi_host without share_address) */
export function optsGatewayOf(plan: NovaLabPlan, host: string): string {
  return plan.multiHost && !plan.shareAddress ? plan.hosts.find((h) => h.name === host)!.dhcpServer! : plan.network.gateway;
}

/** the gateway an instance gets from DHCP: the hardware router, the network gateway, or its host's dhcp_server (multi_host) */
export function gatewayOf(plan: NovaLabPlan, host: string): string {
  if (plan.hwGateway) return plan.hwGateway.address;
  return plan.multiHost && !plan.shareAddress ? plan.hosts.find((h) => h.name === host)!.dhcpServer! : plan.network.gateway;
}

export function networkHosts(plan: NovaLabPlan): NovaHost[] {
  return plan.hosts.filter((h) => h.network);
}

/** facts.json of the nova lab (docs/nova-network.md shows how an operator builds the same) */
export function buildNovaFacts(plan: NovaLabPlan, fips: Record<string, string>): Facts {
  const net = plan.network;
  const single = networkHosts(plan)[0]!;
  return {
    version: 1,
    profile: runProfileOf(plan.profile),
    release: 'juno',
    routers: [], ports: [], floatingIps: [], instances: [], agents: [],
    upstream: { node: 'upstream', ip: plan.extGw },
    nova: {
      networkManager: 'flatdhcp',
      publicInterface: NOVA_CONF.publicInterface,
      // a standby pair: each member forwards metadata to its own my_ip (the default)
      ...(plan.multiHost || plan.standby ? {} : { metadataHost: single.myIp }),
      metadataPort: NOVA_CONF.metadataPort,
      sendArpForHa: NOVA_CONF.sendArpForHa,
      sendArpForHaCount: NOVA_CONF.sendArpForHaCount,
      myIps: Object.fromEntries(plan.hosts.map((h) => [h.name, h.myIp])),
      networkHosts: networkHosts(plan).map((h) => h.name),
      networks: [{
        label: net.label, cidr: net.cidr, bridge: NOVA_CONF.bridge, bridgeInterface: NOVA_CONF.flatInterface, gateway: net.gateway,
        multiHost: plan.multiHost, ...(plan.multiHost ? {} : { dhcpServer: single.dhcpServer!, host: single.name }),
        ...(plan.shareAddress ? { shareAddress: true, dhcpServer: net.gateway } : {}),
        ...(plan.hwGateway ? { hardwareGateway: plan.hwGateway.address } : {}),
      }],
      ...(plan.hwGateway ? { dnsmasqConfigFile: NOVA_CONF.dnsmasqConfigFile, hardwareGatewayNode: plan.hwGateway.node } : {}),
      ...(plan.multiHost ? { dhcpServers: networkHosts(plan).map((h) => ({ host: h.name, network: net.label, address: h.dhcpServer! })) } : {}),
      ...(plan.standby ? { standby: { hosts: networkHosts(plan).map((h) => h.name), manager: 'keepalived' as const } } : {}),
      fixedIps: plan.instances.map((i) => ({ address: i.ip, network: net.label, instance: i.id, instanceName: i.name, host: i.host, mac: i.mac })),
      floatingIps: Object.entries(fips).map(([ip, name]) => ({
        address: ip, fixedIp: plan.instances.find((i) => i.name === name)!.ip, host: fipHostOf(plan, name), interface: NOVA_CONF.publicInterface,
      })),
    },
  };
}
