import type { FactsNova } from './facts-nova';

/**
 * The facts file: expected state of the cloud ("intent").
 * The lab writes one on `lab up`; an operator produces one from `openstack … -f json`
 * outputs (see README "Facts file"). JSON or YAML, same shape.
 */

export type HaMode = 'legacy' | 'ha' | 'dvr' | 'dvr-ha';
export type AgentMode = 'legacy' | 'dvr' | 'dvr_snat' | 'dvr_no_external';

export interface FactsPort {
  id: string;
  /** network:router_interface, network:router_gateway, network:router_ha_interface,
   *  network:router_centralized_snat, network:floatingip_agent_gateway,
   *  network:router_interface_distributed, compute:nova … */
  deviceOwner: string;
  /** router id or instance id */
  deviceId?: string;
  networkId: string;
  mac: string;
  fixedIps: string[];
  /** binding:host_id; for HA ports the node that carries it */
  host?: string;
  /** admin_state_up; undefined = true. False: the OVS agent parks the port on VLAN 4095 on purpose */
  adminStateUp?: boolean;
  /** prefix length of the subnet of the first fixed IP */
  prefixLen?: number;
  /** port_security_enabled; undefined = true (neutron's default). False: the OVS agent installs
   *  no ARP anti-spoofing flows and removes existing ones (ground-truth §4.1) */
  portSecurityEnabled?: boolean;
  /** allowed_address_pairs: ip_address is an IP or a CIDR; their IPs are allowed ARP sources
   *  too, and a /0 pair disables ARP anti-spoofing for the port (ground-truth §4.1) */
  allowedAddressPairs?: { ipAddress: string; macAddress?: string }[];
}

export interface FactsRouter {
  id: string;
  name?: string;
  mode: HaMode;
  /** external network id (gateway), if any */
  externalNetworkId?: string;
  /** gateway IP on the external network */
  gatewayIp?: string;
  /** external subnet gateway (upstream) */
  externalGatewayIp?: string;
  enableSnat?: boolean;
  /** VRRP id, HA routers only */
  haVrId?: number;
  /** node name → active | standby | unknown (the API's HA State column) */
  haState?: Record<string, string>;
  /** nodes whose L3 agent hosts this router (all HA instances, or the one legacy node,
   *  or for DVR: every node with a qrouter for it) */
  hosts: string[];
  /** DVR: nodes hosting snat-<id> */
  snatHosts?: string[];
  /** internal subnets: cidr and gateway ip */
  subnets: { id?: string; networkId: string; cidr: string; gatewayIp: string }[];
}

export interface FactsFloatingIp {
  id?: string;
  floatingIp: string;
  fixedIp: string;
  portId: string;
  routerId: string;
  /** node hosting the instance (matters for DVR: fg- on that node announces the FIP; absent on a
   *  DVR router = centralized (snat-bound) FIP, announced from snat-<router>/qg-, ground-truth §3e) */
  host?: string;
  externalNetworkId?: string;
  /** MAC of the floating IP's own port (device_owner network:floatingip): on ML2/OVN the
   *  external_mac of a distributed FIP, the sender of its G-ARPs (neutron ovn_client.py) */
  portMac?: string;
}

export interface FactsInstance {
  id: string;
  name?: string;
  host: string;
  portId: string;
  mac: string;
  ip: string;
}

export interface FactsAgent {
  host: string;
  type: 'l3' | 'dhcp' | 'ovs' | 'metadata';
  agentMode?: AgentMode;
  alive: boolean;
}

export interface Facts {
  /** format version of this file */
  version: 1;
  /** HA profile id this cloud claims to run */
  profile?: string;
  /** release family for rule templates: "pike+" | "newton" | "juno" … */
  release?: string;
  routers: FactsRouter[];
  ports: FactsPort[];
  floatingIps: FactsFloatingIp[];
  instances: FactsInstance[];
  agents: FactsAgent[];
  /** `[securitygroup] firewall_driver` of the OVS agents: openvswitch | iptables_hybrid | iptables | noop
   *  (decides where ARP anti-spoofing lives, ground-truth §4.1); absent = detected from the flows */
  firewallDriver?: string;
  /** per host, where agents differ (host name → driver); wins over firewallDriver */
  firewallDrivers?: Record<string, string>;
  /** L3 agent mode per host (host name → legacy | dvr | dvr_snat | dvr_no_external); wins over
   *  agents[].agentMode. dvr_no_external: the host's floating IPs are centralized (snat-<router>/qg-) */
  agentModes?: Record<string, AgentMode>;
  /** upstream gateway, for receiver-side G-ARP checks */
  upstream?: { node?: string; namespace?: string; ip: string };
  /** nova-network clouds (issue 9, src/model/facts-nova.ts); neutron lists are then empty */
  nova?: FactsNova;
  /** neutron-multinic-aa (issue 9, seed 001): instances with one NIC per legacy router, behind a balancer */
  multiNic?: FactsMultiNicPair[];
}

/**
 * One multi-NIC active/active instance (seed 001): two legacy routers that must live on different
 * L3 agents, the instance's port on each router's subnet with a FIP each, the policy routing table
 * the instance uses for that port, and the load balancer in front of both FIPs.
 */
export interface FactsMultiNicPair {
  /** instance name or id (as in instances[]) */
  instance: string;
  /** compute hosting it (the lab reads the instance's policy routing there) */
  host?: string;
  /** exactly two: one per router */
  paths: FactsMultiNicPath[];
  balancer?: { node: string; kind: 'haproxy'; backend: string; statsSocket?: string };
}

export interface FactsMultiNicPath {
  routerId: string;
  portId: string;
  fixedIp: string;
  /** the router's address on that subnet (the table's default route) */
  gatewayIp: string;
  floatingIp: string;
  /** routing table inside the instance for replies from fixedIp */
  table: number;
}
