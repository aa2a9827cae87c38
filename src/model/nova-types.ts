/**
 * What the collector reads on a nova-network host beyond addresses and iptables (issue 9):
 * the dnsmasq processes nova started, the options files they read, the listening TCP sockets
 * (metadata API on 8775) and the nova.conf keys that decide the data plane. Each field is
 * undefined when its section was not read (a non-nova node, published outputs): absent is
 * then unknown, never "missing".
 */
export interface DnsmasqProcess {
  /** the node's pid */
  pid: number;
  argv: string[];
}

export interface NovaOptsFile {
  path: string;
  /** non-empty lines, trimmed */
  lines: string[];
}

export interface ListeningSocket {
  /** "0.0.0.0", "203.0.113.11", "::", "*" */
  address: string;
  port: number;
}

/** one ebtables rule: its table and chain, and the rule text after `-A <chain>` as printed */
export interface EbtablesRule {
  table: string;
  chain: string;
  spec: string;
}

/** a bridge-firewall listing (`ebtables-save`, or `ebtables -t filter -L` where there is no ebtables-save) */
export interface EbtablesRuleset {
  /** chain → policy (`ACCEPT`, `DROP`, `RETURN`; undefined for a user chain listed without one) per table */
  chains: { table: string; chain: string; policy?: string }[];
  rules: EbtablesRule[];
}

export interface NovaNodeState {
  dnsmasq?: DnsmasqProcess[];
  optsFiles?: NovaOptsFile[];
  /** the --conf-file of each dnsmasq (dnsmasq_config_file), its `dhcp-option…` lines only (nova-hw-gateway) */
  dnsmasqConfFiles?: NovaOptsFile[];
  listeners?: ListeningSocket[];
  /** cluster manager processes (keepalived, corosync, pacemakerd, heartbeat): a hot standby's readiness */
  clusterManager?: DnsmasqProcess[];
  /** the bridge firewall (share_address: linux_net.isolate_dhcp_address's rules live here) */
  ebtables?: EbtablesRuleset;
  /** nova.conf key → value (only the data-plane keys the collector greps) */
  conf?: Record<string, string>;
}
