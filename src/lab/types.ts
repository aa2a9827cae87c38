import type { AgentMode, Facts, HaMode } from '../model/facts';
import type { Role } from '../model/types';
import type { LabReleaseId, ReleaseRules } from './releases';

export type FirewallDriver = 'openvswitch' | 'iptables_hybrid';

/**
 * What `lab up` flags change on top of the profile; kept in lab.json so every later command
 * (fip, fault, failover) rebuilds the same plan. Absent fields = the default lab.
 */
export interface LabVariant {
  /** neutron release the rendering follows (default: the lab's mixed era, RELEASE_RULES['pike+']) */
  release?: LabReleaseId;
  /** `[securitygroup] firewall_driver` of the OVS agents (default: table-24 flows on a tap, no driver named) */
  firewallDriver?: FirewallDriver;
  /** dual-stack tenant and external subnets */
  ipv6?: boolean;
  /** agent_mode of the L3 agents on computes (DVR profiles) */
  computeAgentMode?: 'dvr_no_external';
  /** a second HA router on the same HA network, a router without gateway, an admin-down port */
  extras?: boolean;
  /**
   * issue 10, the scale lab: light computes — sshd, namespaces, OVS with the compute's bridges
   * and ports, and ONE instance in the whole lab (on cmp1); allows --computes up to 200
   * (neutron-legacy and neutron-l3ha, whose routers live on the network nodes)
   */
  light?: boolean;
}

/** Everything `lab up` builds, computed up front by `buildPlan` (pure). */
export interface LabPlan {
  profile: string;
  /** seed of every uuid/MAC (the profile id) */
  seed: string;
  /** facts.json `release` (rules.id) */
  release: string;
  rules: ReleaseRules;
  variant: LabVariant;
  nodes: PlanNode[];
  extNet: PlanNetwork;
  tenantNet: PlanNetwork;
  haNet?: PlanNetwork;
  router: PlanRouter;
  instances: PlanInstance[];
  /** every FIP the lab knows (associated or not), one per instance */
  fipPool: PlanFip[];
  /** --extras: what else a real cloud has next to the main router */
  extras?: PlanExtras;
  /** neutron-multinic-aa: second router, NIC, FIP and the balancer (src/lab/multinic.ts) */
  multiNic?: PlanMultiNic;
}

/**
 * --extras (neutron-l3ha): a second HA router on the same HA network (VRID 2) that has no
 * gateway, on its own tenant network; and an instance port with admin_state_up=False, which the
 * OVS agent parks on VLAN 4095 (ground-truth §4; issue 15 ovs-dead-vlan)
 */
export interface PlanExtras {
  tenantNet: PlanNetwork;
  router: PlanHaRouterNoGw;
  adminDown: PlanInstance;
}

export interface PlanHaRouterNoGw {
  id: string;
  name: string;
  haVrId: number;
  hosts: string[];
  qr: PlanPort;
  ha: Record<string, PlanPort>;
}

/** neutron-multinic-aa: one of the instance's two paths, router to NIC to FIP (src/lab/multinic.ts plans them) */
export interface PlanMultiNicPath {
  /** router of this path (r1 = the main plan router, r2 = the second) */
  routerId: string;
  routerName: string;
  host: string;
  qr: PlanPort;
  qg: PlanPort;
  network: PlanNetwork;
  /** the instance's port on this router's subnet */
  port: PlanPort;
  /** the device inside the instance: eth0 / eth1 */
  nic: string;
  /** node-side veth end */
  tap: string;
  fip: { id: string; ip: string };
  table: number;
  rulePriority: number;
}

export interface PlanMultiNic {
  instance: string;
  host: string;
  /** [r1 path (net1), r2 path (net2)] */
  paths: [PlanMultiNicPath, PlanMultiNicPath];
  balancer: { node: string; frontend: string; port: number; servicePort: number };
}

export interface PlanNetwork {
  id: string;
  subnetId: string;
  name: string;
  cidr: string;
  prefixLen: number;
  gatewayIp: string;
  /** local VLAN on br-int (same on every node); external network is untagged on br-ex */
  vlan?: number;
  /** IPv6 subnet of a dual-stack network (--ipv6): cidr and gateway */
  cidr6?: string;
  gatewayIp6?: string;
}

export type NodeKind = 'network' | 'compute' | 'gateway';

export interface PlanNode {
  name: string;
  kind: NodeKind;
  roles: Role[];
  /** management address, /24 on hp-mgmt */
  mgmtIp: string;
  agentMode?: AgentMode;
  /** per-host DVR MAC (fa:16:3f…), DVR profiles only */
  dvrMac?: string;
}

export interface PlanPort {
  id: string;
  /** device name in the namespace and on the node (same name both ends) */
  device: string;
  deviceOwner: string;
  deviceId: string;
  networkId: string;
  mac: string;
  ip: string;
  prefixLen: number;
  /** global IPv6 address on a dual-stack subnet (/64), --ipv6 only */
  ip6?: string;
  /** binding host (undefined for distributed ports) */
  host?: string;
  /** admin_state_up=false: the OVS agent parks the port on VLAN 4095 */
  adminDown?: boolean;
}

export interface PlanRouter {
  id: string;
  name: string;
  mode: HaMode;
  /** nodes with qrouter-<id> */
  hosts: string[];
  /** nodes with snat-<id> (DVR) */
  snatHosts: string[];
  /** nodes whose keepalived runs for this router (qrouter for HA, snat for DVR-HA) */
  haHosts: string[];
  haVrId?: number;
  /** qr- port (one neutron port, plugged on every host that needs it) */
  qr: PlanPort;
  /** qg- gateway port */
  qg: PlanPort;
  /** sg- port (DVR) */
  sg?: PlanPort;
  /** ha- port per HA host */
  ha: Record<string, PlanPort>;
  /** fg- port per host with a fip namespace (DVR) */
  fg: Record<string, PlanPort>;
  /** rfp-/fpr- link-local /31 pair (DVR) */
  rfpIp?: string;
  fprIp?: string;
}

export interface PlanInstance {
  id: string;
  name: string;
  host: string;
  port: PlanPort;
  /** node-side device: tap<port[:11]> */
  tap: string;
}

export interface PlanFip {
  id: string;
  ip: string;
  instance: string;
}

/** lab.json: everything that was created, written incrementally during `up`. */
export interface LabState {
  version: 1;
  profile: string;
  computes: number;
  /** flags of `lab up` beyond the profile (absent in labs from before) */
  variant?: LabVariant;
  stateDir: string;
  phase: 'building' | 'up' | 'failed' | 'down';
  startedAt: string;
  /** host-side links (bridge hp-mgmt, veths hpm-*) */
  hostLinks: string[];
  /** host netns names (hp-*) */
  netns: string[];
  /** host directories the lab had to create (mount points), removed on down if empty */
  createdHostDirs: string[];
  nodes: Record<string, LabNodeState>;
  /** processes started by the lab (other than holders) */
  processes: LabProcess[];
  /** FIP → instance name */
  fips: Record<string, string>;
  faults: LabFaultRecord[];
  failovers?: FailoverRecord[];
}

export interface LabNodeState {
  name: string;
  kind: NodeKind;
  mgmtIp: string;
  dir: string;
  holderPid?: number;
  /** net namespace inode of hp-<node>, to sweep processes at down */
  netnsInode?: number;
}

export interface LabProcess {
  node: string;
  what: string;
  pid: number;
  pidFile?: string;
}

export interface LabFaultRecord {
  name: string;
  node?: string;
  subject: string;
  check: string;
  appliedAt: string;
  /** what heal needs to undo it */
  undo?: Record<string, string | number | boolean>;
}

export interface LabPaths {
  stateDir: string;
  labJson: string;
  inventory: string;
  facts: string;
  knownHosts: string;
  key: string;
  authorizedKeys: string;
  nodeDir(node: string): string;
}

export type { Facts };

/** one `lab failover` (kept in lab.json until `lab restore`) */
export interface FailoverRecord {
  routerId: string;
  how: 'kill-keepalived' | 'link-down';
  /** node that was primary and lost it */
  fromNode: string;
  /** node that became primary (undefined if none within the wait) */
  toNode?: string;
  /** epoch ms */
  startedAtMs: number;
  actedAtMs: number;
  newPrimaryAtMs?: number;
  /** pid killed (kill-keepalived) */
  killedPid?: number;
  restoredAtMs?: number;
}
