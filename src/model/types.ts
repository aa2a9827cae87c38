import type { NovaNodeState } from './nova-types';
import type { OvnNodeState } from './ovn-types';

/**
 * The data-plane model: what haprobe knows about one node after parsing its snapshot.
 * Every field is plain data (JSON-serialisable) so snapshots can be saved and replayed.
 */

/** gateway: an upstream router haprobe reads (neighbour table) but that runs no OpenStack service */
export type Role = 'controller' | 'network' | 'compute' | 'gateway';

export interface Address {
  /** "10.0.0.1" or "fe80::1" */
  address: string;
  prefixLen: number;
  family: 'inet' | 'inet6';
  scope?: string;
  /** keepalived VIPs and FIPs appear as secondary addresses */
  secondary?: boolean;
  label?: string;
}

export interface Device {
  name: string;
  ifindex?: number;
  /** lower-case "fa:16:3e:00:00:01" */
  mac?: string;
  mtu?: number;
  /** operstate as printed: UP, DOWN, UNKNOWN, LOWERLAYERDOWN */
  state?: string;
  flags: string[];
  /** "veth", "tun", "openvswitch", "bridge", "loopback" … when known */
  kind?: string;
  /** "veth0@if12" peer or master, raw */
  link?: string;
  master?: string;
  /** 802.1Q id of a `vlan` device (`ip -d`: "vlan protocol 802.1Q id 100"; JSON linkinfo.info_data.id); nova VlanManager's vlan<N> */
  vlanId?: number;
  addresses: Address[];
}

export interface Route {
  /** "default" or "10.0.0.0/24" or "203.0.113.10" */
  dst: string;
  via?: string;
  dev?: string;
  table?: string;
  proto?: string;
  scope?: string;
  src?: string;
  metric?: number;
  type?: string;
  raw: string;
}

export interface Rule {
  priority: number;
  from?: string;
  to?: string;
  iif?: string;
  oif?: string;
  fwmark?: string;
  /** table name or number as printed ("main", "16", "3232238081") */
  table: string;
  raw: string;
}

export interface Neighbour {
  ip: string;
  dev?: string;
  mac?: string;
  /** PERMANENT, REACHABLE, STALE, FAILED, INCOMPLETE, NOARP … */
  state?: string;
  router?: boolean;
}

/** One rule of one chain of one table, as iptables-save prints it. */
export interface IptablesRule {
  table: string;
  chain: string;
  /** the rule's arguments after "-A CHAIN ", normalised to single spaces */
  spec: string;
  /** parsed common matches */
  source?: string;
  destination?: string;
  inIface?: string;
  outIface?: string;
  protocol?: string;
  target?: string;
  /** --to-destination / --to-source / --to / --to-ports value */
  toAddress?: string;
  comment?: string;
  negated?: { source?: boolean; destination?: boolean; inIface?: boolean; outIface?: boolean };
}

export interface IptablesChain {
  table: string;
  name: string;
  policy?: string;
}

export interface IptablesRuleset {
  chains: IptablesChain[];
  rules: IptablesRule[];
}

export interface OvsInterface {
  name: string;
  type?: string;
  ofport?: number;
  mac_in_use?: string;
  externalIds: Record<string, string>;
  options?: Record<string, string>;
  error?: string;
}

export interface OvsPort {
  name: string;
  tag?: number;
  trunks?: number[];
  interfaces: OvsInterface[];
}

export interface OvsBridge {
  name: string;
  datapathType?: string;
  failMode?: string;
  ports: OvsPort[];
}

export interface OvsConfig {
  bridges: OvsBridge[];
  ovsVersion?: string;
}

export interface OvsFlow {
  table: number;
  priority: number;
  cookie?: string;
  nPackets?: number;
  nBytes?: number;
  idleAge?: number;
  /** match fields: key → value; bare protocol keywords ("arp", "ip") map to "" */
  match: Record<string, string>;
  actions: string;
  raw: string;
}

export interface KeepalivedVip {
  address: string;
  prefixLen: number;
  dev?: string;
  scope?: string;
  noTrack?: boolean;
}

export interface KeepalivedRoute {
  dst: string;
  via?: string;
  dev?: string;
  raw: string;
}

export interface KeepalivedInstance {
  name: string;
  state?: string;
  interface?: string;
  virtualRouterId?: number;
  priority?: number;
  advertInt?: number;
  garpMasterDelay?: number;
  garpMasterRepeat?: number;
  garpMasterRefresh?: number;
  nopreempt: boolean;
  trackInterfaces: string[];
  virtualIpaddress: KeepalivedVip[];
  virtualIpaddressExcluded: KeepalivedVip[];
  virtualRoutes: KeepalivedRoute[];
}

export interface KeepalivedConfig {
  globalDefs: Record<string, string>;
  instances: KeepalivedInstance[];
}

/** What haprobe saw inside one network namespace ("" = the node's root namespace). */
export interface NamespaceSnapshot {
  name: string;
  devices: Device[];
  routes: Route[];
  rules: Rule[];
  neighbours: Neighbour[];
  iptables?: IptablesRuleset;
  /** "net.ipv4.ip_forward" → "1"; per-device sysctls as "net.ipv4.conf.fg-x.proxy_arp" */
  sysctls: Record<string, string>;
  /** set when the namespace disappeared while it was being read */
  vanished?: boolean;
}

export interface HaRouterState {
  routerId: string;
  /** content of ha_confs/<id>/state: primary | master | backup | fault | unknown */
  state?: string;
  config?: KeepalivedConfig;
  keepalivedRunning?: boolean;
  /** why keepalivedRunning is false: the collector's words per pid file ("pid 42 of …: no such process", issue 12) */
  keepalivedDetail?: string;
  /**
   * keepalived processes whose command line runs this router's keepalived.conf (/proc scan, issue 12);
   * undefined: the node's processes were not read
   */
  keepalivedProcesses?: { pid: number; ppid: number; state: string }[];
  /** `run --listen-vrrp`: what this replica heard on its ha- device (issue 12) */
  vrrpListen?: VrrpListen;
}

/** VRRP adverts heard by one replica on its ha- device during `run --listen-vrrp` (issue 12) */
export interface VrrpListen {
  device: string;
  namespace: string;
  /** how long it listened, ms (3 × advert_int) */
  windowMs: number;
  /** VRRP adverts received with the router's virtual_router_id */
  adverts: number;
  /** their source addresses (the primary's ha- address) */
  sources: string[];
  /** the capture did not run: tcpdump's or the transport's words (never read as "heard none") */
  error?: string;
}

export interface NodeSnapshot {
  node: string;
  roles: Role[];
  namespaces: NamespaceSnapshot[];
  /** the root namespace of the node */
  root?: NamespaceSnapshot;
  ovs?: OvsConfig;
  /** bridge name → flows */
  flows: Record<string, OvsFlow[]>;
  haRouters: HaRouterState[];
  versions: Record<string, string>;
  /** evidence id of each raw section: "net1:netns" → "ev-12"; a section is a key here exactly when it was read */
  evidence: Record<string, string>;
  /**
   * sections read only in part, by section key ("iptables:qrouter-…", "ovs-show") → why
   * ("elided output at line 12"): their absences are not evidence (issue 15)
   */
  partial?: Record<string, string>;
  /** nova-network hosts only (issue 9): dnsmasq, options files, listeners, nova.conf keys */
  nova?: NovaNodeState;
  /** ML2/OVN nodes only (issue 11): NB/SB tables on a central node, external_ids and BFD on a chassis */
  ovn?: OvnNodeState;
  /** neutron-multinic-aa (issue 9): haproxy's `show stat` on a balancer, instances' policy routing on a lab compute */
  multiNic?: MultiNicNodeState;
}

export interface MultiNicNodeState {
  /** rows of haproxy's `show stat` (section haproxy-stat), when the admin socket was read */
  haproxyStat?: HaproxyStatRow[];
  /** instance name → its rules and routes (sections vm-rule:<name>, vm-route:<name>) */
  instances: Record<string, { rules?: Rule[]; routes?: Route[] }>;
}

/** one row of haproxy's `show stat` (CSV): proxy (pxname), server (svname: FRONTEND, BACKEND or a server), status, check result */
export interface HaproxyStatRow {
  proxy: string;
  server: string;
  /** UP, DOWN, OPEN, no check, MAINT, "UP 1/2" while rising/falling … as haproxy prints it */
  status: string;
  /** check_status: L4OK, L4CON, L4TOUT … (empty without checks) */
  checkStatus: string;
  /** addr column (haproxy ≥ 1.9): "203.0.113.101:80"; empty when older */
  addr: string;
}
