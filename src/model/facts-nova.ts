/**
 * nova-network facts (issue 9): what nova.conf and the nova DB (networks, fixed_ips,
 * floating_ips tables) say. An operator exports it with `nova-manage network list`,
 * `nova-manage floating list`, `nova list --fields …` and the nova.conf of each nova-network
 * host (docs/nova-network.md). Ground truth: ground-truth §5, nova/network/linux_net.py
 * (Juno, tag 2014.2), nova/network/manager.py.
 */

/** one row of the networks table */
export interface FactsNovaNetwork {
  /** networks.label ("private") */
  label: string;
  cidr: string;
  /** networks.bridge: flat_network_bridge ("br100") or br<vlan> */
  bridge: string;
  /** networks.bridge_interface: flat_interface / vlan_interface, enslaved in the bridge */
  bridgeInterface?: string;
  /** networks.gateway; with multi_host the instances get their host's dhcp_server instead */
  gateway?: string;
  /** networks.dhcp_server of a single-host network (defaults to the gateway) */
  dhcpServer?: string;
  /** networks.multi_host */
  multiHost: boolean;
  /** networks.host: the network host of a single-host network */
  host?: string;
  /** networks.share_address (or share_dhcp_address=True): one dhcp_server on every host, ebtables isolate it */
  shareAddress?: boolean;
  vlan?: number;
  /**
   * nova-hw-gateway: the hardware router the instances get as gateway instead of the network
   * host, handed out by `dhcp-option=3,<router>` in dnsmasq_config_file (seed 000 "To configure
   * for hardware gateway"; seed 003 "Option 3: HW Gateway"). Not available with VlanManager.
   */
  hardwareGateway?: string;
}

/** multi_host: the fixed IP reserved for one host's dnsmasq on one network (_get_dhcp_ip) */
export interface FactsNovaDhcpServer {
  host: string;
  /** network label */
  network: string;
  address: string;
}

/** one associated fixed_ips row */
export interface FactsNovaFixedIp {
  address: string;
  /** network label */
  network: string;
  /** instance uuid */
  instance: string;
  instanceName?: string;
  /** the instance's compute host */
  host: string;
  /** virtual_interfaces.address */
  mac?: string;
}

/** one associated floating_ips row */
export interface FactsNovaFloatingIp {
  address: string;
  fixedIp: string;
  /** floating_ips.host: the network host, or the instance's host with multi_host */
  host: string;
  /** floating_ips.interface (public_interface when it was associated) */
  interface?: string;
}

/**
 * A hot standby pair of network hosts (seed 000: "The folks at NTT labs came up with a ha-linux
 * configuration that allows for a 4 second failover to a hot backup of the network host"):
 * one host holds the network host role (dhcp_server on the bridge, dnsmasq, NAT, floating IPs,
 * metadata forward), the other runs the cluster manager and takes the role over when the first
 * fails. `networks[].host` and `floatingIps[].host` name either member (the DB keeps one host
 * name); the checks judge the member that holds the role.
 */
export interface FactsNovaStandby {
  /** the two (or more) network hosts of the pair */
  hosts: string[];
  /** the cluster manager that moves the role */
  manager: 'keepalived' | 'pacemaker' | 'heartbeat';
}

export interface FactsNova {
  /** network_manager: nova.network.manager.FlatDHCPManager → flatdhcp */
  networkManager: 'flat' | 'flatdhcp' | 'vlan';
  /** public_interface (default eth0): where floating IPs are bound as /32 */
  publicInterface?: string;
  /** metadata_host (default $my_ip of each host) and metadata_port (default 8775) */
  metadataHost?: string;
  metadataPort?: number;
  /** dnsmasq_config_file (nova.conf): passed to every dnsmasq as --conf-file (nova-hw-gateway: holds dhcp-option=3,<router>) */
  dnsmasqConfigFile?: string;
  /**
   * nova-hw-gateway: the inventory node that is the hardware router, when it is a Linux box
   * haprobe can read (its metadata forward is then judged); absent = a router haprobe cannot read
   */
  hardwareGatewayNode?: string;
  /** send_arp_for_ha (default False) and send_arp_for_ha_count (default 3) */
  sendArpForHa?: boolean;
  sendArpForHaCount?: number;
  /** my_ip per host (default of metadata_host and routing_source_ip) */
  myIps?: Record<string, string>;
  /** hosts running nova-network (services table, binary nova-network) */
  networkHosts: string[];
  networks: FactsNovaNetwork[];
  dhcpServers?: FactsNovaDhcpServer[];
  fixedIps?: FactsNovaFixedIp[];
  floatingIps?: FactsNovaFloatingIp[];
  /** a hot standby network host (nova-hot-standby) */
  standby?: FactsNovaStandby;
}
