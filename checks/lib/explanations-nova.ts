import type { CheckExplanation } from './explanation-types';

/** `haprobe explain` entries of the nova-network checks (issue 9), merged into EXPLANATIONS */
export const NOVA_EXPLANATIONS: Readonly<Record<string, CheckExplanation>> = {
  'nova-dhcp-server': {
    reads: ['addr: (root) of each nova-network host: the bridge\'s addresses in printed order', 'nova-dnsmasq: argv of every dnsmasq (/proc)', 'nova-opts: <networks_path>/nova-<bridge>.opts', 'facts: nova.networks, nova.dhcpServers, nova.fixedIps'],
    findings: [
      { verdict: 'fail', finding: 'no dnsmasq for <bridge> on <host>', means: 'instances served by that host get no DHCP answers (renewals fail, new instances get no address or gateway).', fix: 'restart nova-network on that host (restart_dhcp re-spawns dnsmasq), then re-run haprobe.' },
      { verdict: 'fail', finding: '<dhcp_server> is on <bridge> of <host> but not first / missing', means: 'dnsmasq binds the first address of the bridge (linux_net.initialize_gateway_device): DHCP and the gateway answer from the wrong address.', fix: 'restart nova-network on the host (it re-addresses the bridge, dhcp_server first); remove addresses added by hand.' },
      { verdict: 'fail', finding: '<opts file> on <host> hands out gateway <x>', means: 'instances get the wrong default gateway (multi_host: another host\'s, so their traffic crosses the fabric to a host that does not NAT for them).', fix: 'restart nova-network on the host (get_dhcp_opts rewrites the file), or fix networks.gateway / the dnsmasq_config_file.' },
      { verdict: 'fail', finding: '<host> runs instances of multi_host network <net> but has no dhcp_server of its own', means: 'nova-network is not running on that compute: its instances have no DHCP, gateway, NAT or metadata.', fix: 'start nova-network (and nova-api-metadata) on that compute.' },
      { verdict: 'skip', finding: 'dnsmasq processes of <host> not collected', means: 'the nova sections were not read (no /var/lib/nova/networks or nova.conf, or published outputs).', fix: 'run the collector on the host itself with the networks path in place.' },
    ],
  },
  'nova-floating-ip': {
    reads: ['addr: (root) of every node: where each floating IP is bound', 'iptables: (root) nat table of floating_ips.host', 'facts: nova.floatingIps, nova.publicInterface'],
    findings: [
      { verdict: 'fail', finding: 'floating IP <fip> is not bound on <host>', means: 'nobody answers ARP for it: the floating IP is dead from outside.', fix: 'restart nova-network on the host (init_host re-binds every floating IP), or re-associate the floating IP.' },
      { verdict: 'fail', finding: 'floating IP <fip> is also bound on <other>', means: 'two hosts answer ARP for it (a stale binding after a migration or takeover): the upstream flips between them.', fix: '`ip addr del <fip>/32 dev <public_interface>` on the stale host and remove its nova-network-* rules for that FIP (restart nova-network there).' },
      { verdict: 'fail', finding: '<PREROUTING/OUTPUT DNAT | float-snat | POSTROUTING ctstate DNAT SNAT> for floating IP <fip> missing on <host>', means: 'inbound traffic is not translated, or the instance leaves with the host address instead of its floating IP.', fix: 'restart nova-network on the host (floating_forward_rules are re-applied), then re-run haprobe.' },
    ],
  },
  'nova-metadata': {
    reads: ['iptables: (root) nat table of each nova-network host', 'nova-listen: `ss -Hltn`', 'facts: nova.metadataHost, nova.metadataPort, nova.myIps'],
    findings: [
      { verdict: 'fail', finding: 'no metadata forward on <host>', means: 'instances served by that host cannot reach 169.254.169.254 (no keys, no user data at boot).', fix: 'restart nova-network (metadata_forward), check metadata_host/metadata_port in nova.conf.' },
      { verdict: 'fail', finding: 'nothing listens on <metadata_host>:<port> on <host>', means: 'the DNAT leads nowhere: nova-api-metadata (or nova-api with metadata in enabled_apis) is down on that host.', fix: 'start nova-api-metadata on the host (multi_host: on every compute, per the nova-network HA section of the OpenStack admin guide).' },
    ],
  },
  'nova-network-spof': {
    reads: ['facts: nova.networks (multiHost, host), nova.fixedIps, nova.floatingIps'],
    findings: [
      { verdict: 'fail', finding: 'network host <host> is a single point of failure for … (multi_host=False)', means: 'if that host goes down every instance of the network loses its gateway, NAT, floating IPs, DHCP and metadata (OpenStack admin guide, nova-network HA options).', fix: 'move to multi_host=True, add a hot standby network host with send_arp_for_ha=True, or accept it knowingly with a waiver (examples/nova/flatdhcp-waivers.yaml).' },
    ],
  },
  'nova-send-arp-for-ha': {
    reads: ['nova-conf: send_arp_for_ha in each nova-network host\'s nova.conf', 'facts: nova.sendArpForHa, nova.sendArpForHaCount'],
    findings: [
      { verdict: 'warn', finding: 'send_arp_for_ha=False: <host> sends no G-ARP when a floating IP is bound there', means: 'after a migration or takeover the upstream keeps the old MAC until its ARP entry expires (LP 782364).', fix: 'set send_arp_for_ha=True (and send_arp_for_ha_count=3) on every nova-network host.' },
      { verdict: 'warn', finding: 'send_arp_for_ha_count=<n>', means: 'a single lost frame leaves the upstream stale (LP 1043796 raised it to 3).', fix: 'send_arp_for_ha_count=3.' },
      { verdict: 'fail', finding: 'nova.conf on <host> has send_arp_for_ha=<x>, the cloud intends <y>', means: 'that host announces (or not) differently from the rest; left at the default it sends nothing.', fix: 'align nova.conf on that host and restart nova-network.' },
    ],
  },
  'nova-hot-standby': {
    reads: ['facts: nova.standby (hosts, manager), nova.networks (bridge, dhcpServer, bridgeInterface)', 'addr: the bridges of each pair member', 'nova-ha: cluster manager processes', 'nova-conf: send_arp_for_ha on the standby'],
    findings: [
      { verdict: 'fail', finding: 'no member of the hot standby pair … holds the network host role', means: 'neither host has the dhcp_server on the bridge: the instances have no gateway, DHCP, NAT or floating IPs.', fix: 'look at the cluster manager on both hosts (keepalived: `journalctl -u keepalived`, pacemaker: `crm_mon -1`); start the role on one host.' },
      { verdict: 'fail', finding: '<a> and <b> both hold the network host role (split brain)', means: 'both hosts answer ARP for the gateway and the floating IPs; the upstream and the instances pick one at random.', fix: 'stop the role on one host (its release/stop action), then find why the cluster manager lost the peer (VRRP/corosync link).' },
      { verdict: 'fail', finding: '<manager> is not running on the standby <host>', means: 'the standby will never take over: the pair is a single network host again (nova-network HA options, OpenStack admin guide).', fix: 'start the cluster manager on the standby and check it sees the active host as master.' },
      { verdict: 'fail', finding: '<manager> is not running on the active network host <host>', means: 'the standby stops hearing it and takes the role over while this host still holds it.', fix: 'start the cluster manager (nopreempt keeps the role where it is) or stop the role here first.' },
      { verdict: 'fail', finding: 'bridge <br> missing on the standby / <if> is not in <br>', means: 'a takeover would put the dhcp_server on nothing, or on a bridge the instances do not reach.', fix: 'create the bridge and enslave flat_interface on the standby (what nova-network ensure_bridge does at start).' },
      { verdict: 'fail', finding: 'nova.conf on the standby <host> has send_arp_for_ha=…', means: 'its takeover binds the floating IPs without G-ARP: the upstream keeps the dead host\'s MAC until its ARP entry expires (LP 782364).', fix: 'send_arp_for_ha=True on every member of the pair.' },
    ],
  },
  'nova-hw-gateway': {
    reads: ['nova-dnsmasq: argv of every dnsmasq (its --conf-file, --dhcp-optsfile, --listen-address)', 'nova-dnsmasq-conf: the dhcp-option lines of the file named by --conf-file (dnsmasq_config_file)', 'nova-opts: <networks_path>/nova-<bridge>.opts', 'iptables: (root) filter FORWARD of the network host, nat PREROUTING of the router', 'addr: (root) of the router', 'facts: nova.networks[].hardwareGateway, nova.hardwareGatewayNode, nova.networkManager, nova.metadataHost, nova.metadataPort'],
    findings: [
      { verdict: 'fail', finding: 'dnsmasq of <bridge> on <host> hands out <x> (<where from>), not the hardware gateway <router>', means: 'the instances get another gateway from DHCP; when it is the network host they route through it again, the single point of failure the hardware gateway was meant to remove (OpenStack admin guide, nova-network HA options).', fix: 'Juno and later: set the network\'s gateway to the router (`nova-manage network create … --gateway <router> --dhcp_server <network host address>`): nova writes `3,<gateway>` into the opts file, which wins over dnsmasq_config_file; before Juno: `dhcp-option=3,<router>` in dnsmasq_config_file and restart nova-network (dnsmasq reads --conf-file only at start).' },
      { verdict: 'warn', finding: '<host> still forwards for <bridge>', means: 'the network host would route the fixed range if DHCP handed it out again: a lost option goes unnoticed until the network host fails.', fix: 'drop forwarding for the bridge on the network host (FORWARD -i/-o <bridge> -j DROP) once the router routes the fixed range; or waive the warning knowingly.' },
      { verdict: 'fail', finding: 'no metadata forward on the hardware gateway <router>', means: 'instances cannot reach 169.254.169.254 (no keys, no user data): with a hardware gateway the DNAT must be on the router, not the network host (openstack-manuals, Option 3: HW Gateway).', fix: 'on the router: DNAT tcp 169.254.169.254:80 to metadata_host:8775 (and SNAT it when the metadata host has a leg on the fixed network, or its replies bypass the router).' },
      { verdict: 'fail', finding: '<router> (the hardware gateway) does not hold <address>', means: 'the gateway the instances get answers nowhere: they lose everything off the fixed network.', fix: 'bind the address on the router\'s leg on the flat network, or correct nova.networks[].hardwareGateway.' },
      { verdict: 'fail', finding: 'network <label> declares hardware gateway <router> under VlanManager', means: 'the option is one gateway for all instances, VLAN mode needs one per network (the admin guide\'s warning); `haprobe run -p nova-hw-gateway` refuses such facts with a usage error.', fix: 'use the hardware gateway with FlatDHCPManager only.' },
      { verdict: 'skip', finding: 'the hardware gateway <router> is not a node haprobe reads', means: 'a router haprobe has no SSH to (a hardware box): its metadata forward is not judged.', fix: 'check it by hand, or add the router to the inventory and name it in facts nova.hardwareGatewayNode when it is a Linux box.' },
    ],
  },
  'nova-multinic-paths': {
    reads: ['facts: nova.fixedIps (instances with NICs on two or more networks), nova.networks (bridge, dhcpServer, host), nova.floatingIps', 'addr: (root) the bridges of every node (who carries each network\'s dhcp_server) and public_interface of the network host', 'iptables: (root) nat PREROUTING of the network host'],
    findings: [
      { verdict: 'fail', finding: 'networks <a> and <b> of <instance> both have their gateway on <host>', means: 'the second NIC buys nothing: one network host failure cuts both paths (OpenStack admin guide, nova-network HA options, multi-NIC: "Each of these networks could have its own network host acting as the gateway").', fix: 'give the second network its own nova-network host (networks.host; `nova-manage network modify --host`) and restart nova-network on both.' },
      { verdict: 'fail', finding: 'floating IP <fip> of <fixed> (<network>) is associated on <host>, not on <network host>', means: 'the FIP of one path depends on the other path\'s host.', fix: 'disassociate and re-associate the FIP so nova binds it on its network\'s host.' },
      { verdict: 'fail', finding: 'floating IP <fip> (<instance> on <network>) is not bound on <host>', means: 'the /32 on public_interface or its PREROUTING DNAT is missing: that path answers nothing from outside, and when the other host fails the instance is gone.', fix: 'restart nova-network on the host (it re-binds its floating IPs) or re-associate the FIP.' },
      { verdict: 'warn', finding: '<instance> has no floating IP for <fixed> on <network>', means: 'from outside the instance is reachable only through its other network (OpenStack admin guide, nova-network HA options, multi-NIC: "One would have to set up a floating IP associated with each of the IPs").', fix: 'associate a floating IP with that fixed IP, or waive the warning if the NIC is internal only.' },
      { verdict: 'skip', finding: '<instance> has NICs on multi_host networks', means: 'with multi_host every network\'s gateway is the instance\'s own compute; there is no second network host to fail over to.', fix: 'none: judge multi_host with nova-dhcp-server.' },
    ],
  },
  'nova-dhcp-isolation': {
    reads: ['facts: nova.networks (multiHost, shareAddress, bridge, bridgeInterface, vlan), nova.dhcpServers', 'nova-ebtables: `ebtables-save` (or `ebtables -t filter -L`) of each multi_host host', 'nova-conf: share_dhcp_address, flat_interface', 'addr: (root) the bridge of each host (another host\'s dhcp_server on it)'],
    findings: [
      { verdict: 'fail', finding: 'share_address: <host> carries the shared dhcp_server <addr> without the ebtables isolation (<which rules>)', means: 'every host carries the same dhcp_server; without linux_net.isolate_dhcp_address\'s DROP rules this host answers ARP for it and its dnsmasq answers DHCP for instances of other hosts: they get the wrong host as gateway (its NAT, its FIPs).', fix: 'restart nova-network on the host (plug() re-inserts the four ebtables rules), and check that ebtables works there (module / nft bridge family).' },
      { verdict: 'fail', finding: '<host> and <other> have the same dhcp_server <addr> on multi_host network <net> without share_address', means: 'two hosts answer ARP for one address over the flat network, and nothing isolates it.', fix: 'give each host its own dhcp_server fixed IP (nova reserves one per host: _get_dhcp_ip), or set share_address on the network (nova-manage network create --share_address) so nova isolates it.' },
      { verdict: 'fail', finding: '<bridge> of <host> also carries <addr> (dhcp_server of <other>)', means: 'an address moved or left by hand: two hosts answer ARP for one dhcp_server.', fix: '`ip addr del <addr>/<prefix> dev <bridge>` on the host that does not own it.' },
      { verdict: 'skip', finding: 'the bridge firewall of <host> was not read', means: 'no ebtables-save or ebtables on the node (or no permission): the isolation cannot be judged.', fix: 'install ebtables (or iptables\' ebtables-nft) on the host, as nova-network needs it for share_address anyway.' },
    ],
  },
  'nova-vlan-bridge': {
    reads: ['facts: nova.networkManager (vlan), nova.networks (vlan, bridge, bridgeInterface, dhcpServer, host), nova.fixedIps (computes with instances per network)', 'addr: (root, `ip -d`) the vlan<N> device (kind vlan, 802.1Q id, parent, master) and br<N> with its addresses', 'ovs-vsctl: when vlan<N> is an OVS internal port (the lab\'s stand-in for a kernel without 8021q), its Port.tag and the other ports of its bridge'],
    findings: [
      { verdict: 'fail', finding: 'network <label> (vlan <N>) on <host>: no vlan<N> / vlan<N> is in <other>, not br<N> / carries vlan id <M> / sits on <if>, not vlan_interface / no bridge br<N> / dhcp_server <ip> not on br<N>', means: 'the host does not put that network on its own 802.1Q segment: its instances (or its DHCP and gateway) are cut off, or on another tenant\'s L2.', fix: 'restart nova-network / nova-compute on the host (ensure_vlan_bridge recreates vlan<N> in br<N>), or remove the stray device by hand.' },
      { verdict: 'fail', finding: 'networks <a>, <b> share vlan <N>', means: 'two tenants on one L2 segment (and one bridge name).', fix: 'give each network its own vlan (`nova-manage network create --vlan`).' },
      { verdict: 'skip', finding: 'network <label> has no vlan in the facts', means: 'the vlan device cannot be named.', fix: 'add networks[].vlan (networks.vlan in the nova DB).' },
    ],
  },
};
