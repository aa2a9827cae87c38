/**
 * Fixed words of the nova-network, OVN and multi-NIC sections' shell text (section catalogue rows)
 * and of the script parts that gate them. Never node data: node data (a conf-file path, an instance
 * name) only travels quoted inside the node's own shell.
 */

/** nova-network's networks_path default (the dhcp-optsfile lives below it) */
export const NOVA_NETWORKS_PATH = '/var/lib/nova/networks';

/** the data-plane keys read from /etc/nova/nova.conf (grep by key: no password ever leaves the node) */
export const NOVA_CONF_KEYS = [
  'network_manager', 'multi_host', 'public_interface', 'flat_interface', 'flat_network_bridge', 'vlan_interface',
  'metadata_host', 'metadata_port', 'send_arp_for_ha', 'send_arp_for_ha_count', 'share_dhcp_address',
  'routing_source_ip', 'my_ip', 'networks_path', 'dnsmasq_config_file', 'use_single_default_gateway',
];

/** haproxy's admin socket, Debian's haproxy.cfg default path */
export const HAPROXY_ADMIN_SOCKET = '/run/haproxy/admin.sock';

/** where the lab keeps its instances' network namespaces (a real cloud's VMs cannot be entered) */
export const LAB_VM_NETNS_DIR = '/run/haprobe-vms';

/** where the OVN NB/SB sockets and ovn-controller's pid file are looked for */
export const OVN_RUN_DIRS = ['/run/ovn', '/var/run/ovn', '/var/run/openvswitch', '/usr/local/var/run/ovn', '/var/lib/openvswitch/ovn'];
