/**
 * What the collector reads of ML2/OVN (issue 11, ground-truth §6): the northbound and southbound
 * tables on a central node (where the NB/SB ovsdb sockets are local) and, on every chassis,
 * ovs-vsctl's Open_vSwitch external_ids and the tunnel interfaces with their BFD state. Each
 * field is undefined when its section was not read (a non-OVN node, a chassis without local NB):
 * absent is unknown, never "missing".
 */

/** one member of a gateway list: NB Gateway_Chassis or HA_Chassis (higher priority = preferred) */
export interface OvnGatewayMember {
  chassis: string;
  priority: number;
  /** Gateway_Chassis name ("lrp-<port>_<chassis>"), absent for HA_Chassis */
  name?: string;
}

export interface OvnHaChassisGroup {
  uuid: string;
  name: string;
  members: OvnGatewayMember[];
}

export interface OvnRouterPort {
  uuid: string;
  /** "lrp-<neutron port id>" */
  name: string;
  mac: string;
  /** "203.0.113.10/24" … */
  networks: string[];
  /** from Gateway_Chassis (neutron ≤ 2026.1), sorted by priority, highest first */
  gatewayChassis: OvnGatewayMember[];
  /** name of the HA_Chassis_Group the port references (neutron master) */
  haChassisGroup?: string;
  options: Record<string, string>;
}

export interface OvnNat {
  uuid: string;
  /** snat | dnat | dnat_and_snat */
  type: string;
  externalIp: string;
  logicalIp: string;
  /** distributed FIP: the instance's port (NB Logical_Switch_Port name) */
  logicalPort?: string;
  /** distributed FIP: the instance port's MAC */
  externalMac?: string;
  externalIds: Record<string, string>;
}

export interface OvnRouter {
  uuid: string;
  /** "neutron-<router id>" */
  name: string;
  /** LRP names */
  ports: string[];
  nat: OvnNat[];
  externalIds: Record<string, string>;
}

export interface OvnSwitchPort {
  uuid: string;
  name: string;
  /** "" (VIF), router, localnet, localport, external, virtual … */
  type: string;
  addresses: string[];
  options: Record<string, string>;
  externalIds: Record<string, string>;
  /** NB `up` as northd last set it; undefined when unset */
  up?: boolean;
}

export interface OvnSwitch {
  uuid: string;
  /** "neutron-<network id>" */
  name: string;
  /** LSP names */
  ports: string[];
  externalIds: Record<string, string>;
}

export interface OvnNorthbound {
  routers: OvnRouter[];
  routerPorts: OvnRouterPort[];
  haChassisGroups: OvnHaChassisGroup[];
  switches: OvnSwitch[];
  switchPorts: OvnSwitchPort[];
}

export interface OvnChassis {
  /** SB Chassis name = the chassis' system-id */
  name: string;
  hostname?: string;
  encapIps: string[];
  /** ovn-cms-options split on commas ("enable-chassis-as-gw", …), from other_config or external_ids */
  cmsOptions: string[];
  /** the key as written in each column (absent: no such key there); neutron ≤ Zed reads
   *  external_ids, 2023.1+ other_config; ovn-controller ≥ 22.09 writes other_config only */
  cmsOptionsOtherConfig?: string[];
  cmsOptionsExternalIds?: string[];
}

export interface OvnPortBinding {
  logicalPort: string;
  type: string;
  /** name of the chassis that claims it; undefined when unclaimed */
  chassis?: string;
  /** OVN ≥ 22.06 (live migration): further chassis claiming the port */
  additionalChassis?: string[];
  /** NB name of the datapath ("neutron-<net or router id>") */
  datapath?: string;
  mac: string[];
  up?: boolean;
  /** the SB HA group (northd copies NB Gateway_Chassis / HA_Chassis_Group into it), highest first */
  haMembers?: OvnGatewayMember[];
}

export interface OvnSouthbound {
  chassis: OvnChassis[];
  portBindings: OvnPortBinding[];
}

/** one OVS tunnel interface of a chassis ("ovn-<peer>-0") */
export interface OvnTunnel {
  name: string;
  /** geneve | vxlan | stt; "unknown" when the listing had no type column (then remoteIp is unknown too) */
  type: string;
  remoteIp?: string;
  /** bfd:enable=true (ovn-controller sets it toward HA peers, ground-truth §6d) */
  bfdEnabled: boolean;
  /** bfd_status as ovs-vswitchd writes it: state, forwarding, remote_state, diagnostic … */
  bfdStatus: Record<string, string>;
}

export interface OvnChassisLocal {
  /** Open_vSwitch external_ids: system-id, ovn-remote, ovn-encap-ip, ovn-bridge-mappings, ovn-cms-options … */
  externalIds: Record<string, string>;
  tunnels: OvnTunnel[];
}

export interface OvnNodeState {
  nb?: OvnNorthbound;
  sb?: OvnSouthbound;
  local?: OvnChassisLocal;
  /** "23.03.1" from `ovn-controller --version` / `ovn-nbctl --version`, when read */
  version?: string;
  /** whether an ovn-controller process runs (pid file alive, or container named ovn_controller) */
  controllerRunning?: boolean;
}
