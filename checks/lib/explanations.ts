/**
 * What `haprobe explain CHECK` says beyond the registry's title, description and references:
 * what a check reads, what each kind of finding means, and how an operator fixes it.
 * Data only, keyed by check id (one table here, not a field on each check, so that branches
 * editing the checks themselves do not collide with it); the registry test wants one entry per
 * check, node-reachable included. `finding` paraphrases the check's own messages with
 * <placeholders> for what varies.
 */
import { NOVA_EXPLANATIONS } from './explanations-nova';
import { OVN_EXPLANATIONS } from './explanations-ovn';
import { MULTINIC_EXPLANATIONS } from './explanations-multinic';
import type { CheckExplanation } from './explanation-types';

/** the operator's usual remedy: an agent restart is a full sync that re-renders what it owns */
const resyncL3 = (where = 'that node'): string => `restart the L3 agent on ${where} (a full sync re-renders its routers), then re-run haprobe`;
const resyncOvs = (where = 'that node'): string => `restart neutron-openvswitch-agent on ${where} (a full sync re-installs its ports and flows), then re-run haprobe`;
const RESYNC_L3 = resyncL3();
const RESYNC_OVS = resyncOvs();

export const EXPLANATIONS: Readonly<Record<string, CheckExplanation>> = {
  'node-reachable': {
    reads: ['the SSH connection to each inventory node: connect, host key, authentication, `sudo -n`'],
    findings: [
      {
        verdict: 'fail',
        finding: '<node> unreachable: auth | hostkey | timeout | unreachable | sudo',
        means: 'nothing of that node was read, so no other check judges it; the reason names the step that failed.',
        fix: 'auth: the key or user of the inventory; hostkey: add the host key to known_hosts (ssh-keyscan, checked out of band); timeout/unreachable: address, port, jump host, firewall; sudo: a NOPASSWD sudoers entry for the collected commands (examples/sudoers.d/haprobe).',
      },
    ],
  },
  'namespace-placement': {
    reads: ['netns: the namespaces on each node (`ip netns list`)', 'facts: routers, their hosts and modes (legacy/HA/DVR), external networks'],
    findings: [
      { verdict: 'fail', finding: '<namespace> is missing on <node>', means: 'a router (or its snat-/fip- part) is scheduled to that node but the agent never built it there: traffic of that router does not pass on that node.', fix: `check the L3 agent log on the node for errors on that router; ${RESYNC_L3}.` },
      { verdict: 'fail', finding: 'stale <namespace> on <node>: that router must not be there', means: 'a namespace left behind after a reschedule or failover; a stale qrouter-/snat- can still answer ARP for the router\'s addresses.', fix: 'confirm with `openstack network agent list --router ROUTER` that the node does not host it, then let the agent remove it (restart the L3 agent) or run neutron-netns-cleanup.' },
      { verdict: 'warn', finding: '<namespace> on <node> belongs to no router in the facts', means: 'the namespace names a router or external network the facts do not know: deleted, or the facts are incomplete.', fix: 'check `openstack router show ID`; if the router is gone, remove the namespace with neutron-netns-cleanup.' },
      { verdict: 'fail', finding: 'legacy router <r> has a qrouter namespace on <n> nodes', means: 'a legacy router must live on one node; two copies both answer for the gateway (split brain without keepalived).', fix: 'remove the copy on the node the router is not scheduled to (`openstack network agent list --router ROUTER`).' },
      { verdict: 'fail', finding: 'HA router <r>: <namespace> on <node> is a backup but no node is primary', means: 'every replica is backup: nobody forwards for the router.', fix: 'see l3ha-single-primary.' },
    ],
  },
  'device-mac': {
    reads: ['addr:<namespace>: devices and MACs of qr-/qg-/ha-/sg-/fg- in router namespaces', 'ovs-vsctl: external_ids attached-mac and iface-id', 'facts: ports (id, MAC)'],
    findings: [
      { verdict: 'fail', finding: '<device> on <node> has MAC <x>, its neutron port has <y>', means: 'the device answers ARP with a MAC neutron does not know: upstream and instances learn the wrong MAC.', fix: `${RESYNC_L3}; if the device survives, delete it (\`ip netns exec NS ip link del DEV\`) and resync.` },
      { verdict: 'fail', finding: '<device> on <node> has MAC <x> but OVS attached-mac is <y>', means: 'OVS and the kernel disagree about the port, so flows keyed on the MAC (anti-spoofing, firewall) do not match its traffic.', fix: RESYNC_L3 + '.' },
      { verdict: 'fail', finding: '<device> is plugged in OVS with iface-id <id>, which names <other device>', means: 'the device is wired to another neutron port: a leftover of a deleted and re-created port.', fix: 'delete the stale device and resync the L3 agent.' },
      { verdict: 'fail', finding: '<device> in <namespace> has MAC <x> on <node> but other nodes differ', means: 'the replicas of one neutron port (HA, DVR qr-) must share its MAC; after a failover the upstream keeps the old one.', fix: resyncL3('the node that differs') + '.' },
      { verdict: 'warn', finding: '<device> in <namespace> matches no neutron port', means: 'the device name is (prefix + port id)[:14] of no port in the facts: stale or facts incomplete.', fix: 'check `openstack port list --device-id ROUTER`; remove the device if its port is gone.' },
    ],
  },
  'fip-placement': {
    reads: ['addr:<qrouter-/snat-/fip- namespace>', 'route:<fip- namespace>, rule:<qrouter->, route:<qrouter-> (DVR table 16)', 'iptables:<namespace> (to tell a stale /32 from a floating IP)', 'facts: floating IPs, their routers and instance hosts'],
    findings: [
      { verdict: 'fail', finding: 'floating IP <fip> is not configured on qg- in <namespace> on <node>', means: 'the primary (or only) router namespace does not hold the floating IP: inbound traffic to it is lost.', fix: `${RESYNC_L3}; check the L3 agent log for the floating IP.` },
      { verdict: 'fail', finding: 'floating IP <fip> is configured in <namespace> on <node>, which must not hold it', means: 'a backup or stale namespace holds the address too: two MACs answer for it.', fix: 'remove the address (`ip netns exec NS ip addr del FIP/32 dev DEV`) after checking which replica is primary; then resync the L3 agent.' },
      { verdict: 'fail', finding: 'DVR: no route for floating IP <fip> via fpr-, no policy rule "from <fixed> lookup 16", no default route in table 16', means: 'the distributed floating IP path on the instance\'s compute node is incomplete: traffic from or to the instance goes nowhere or via SNAT.', fix: resyncL3('the compute node (agent_mode dvr)') + '.' },
      { verdict: 'fail', finding: '<address>/32 on qg-/rfp- has no DNAT rule: stale floating IP address', means: 'an address left after the floating IP was disassociated (bug 1675187); it still attracts traffic.', fix: 'delete the address in that namespace and resync the L3 agent.' },
      { verdict: 'warn', finding: 'a /32 on rfp- with the release unknown, or NAT read in part', means: 'not decidable from what was read: the rfp- /32 is the template before Newton and stale after it.', fix: 'give the release (facts `release`, or the check param `release` in the profile); collect the full nat table.' },
      { verdict: 'skip', finding: 'floating IP <fip> not judged: <section> not collected', means: 'the section it needs was not read on that node.', fix: 'collect that section (live run with sudo, or a publisher that includes it).' },
    ],
  },
  'nat-rules': {
    reads: ['iptables:<qrouter-/snat- namespace>: `iptables-save` nat table', 'addr:<namespace>', 'facts: floating IPs, router gateways'],
    findings: [
      { verdict: 'fail', finding: '<DNAT|SNAT|OUTPUT DNAT> for <fip> missing in <namespace> on <node>', means: 'the floating IP or the router\'s SNAT is not translated: inbound or outbound traffic of the instance breaks.', fix: `${RESYNC_L3}; with containerised agents, check that the agent and the host use the same iptables backend (legacy vs nf_tables).` },
      { verdict: 'fail', finding: 'DNAT for <fip> in DVR <namespace> is not bound to -i rfp- (bug 1462154)', means: 'the DVR DNAT rule matches traffic from every interface, the pre-Newton template.', fix: 'upgrade or resync the L3 agent; give the release (facts or profile param) when the cloud is older than Newton.' },
      { verdict: 'fail', finding: 'NAT rules for <ip> in <namespace>, which is not an associated floating IP (stale) / must not serve it', means: 'NAT rules left after a disassociation or a move translate traffic for an address this namespace does not own.', fix: resyncL3() + ' (the agent rewrites its nat chains).' },
      { verdict: 'warn', finding: 'no iptables-save output for <namespace>, or nat rules seen in part', means: 'not judged: the nat table was not read, or read in part.', fix: 'collect `iptables-save -t nat` in that namespace (sudo).' },
      { verdict: 'skip', finding: 'host iptables-save shows no nat rules and neutron runs in containers', means: 'the agent\'s iptables backend may differ from the host\'s; not judged.', fix: 'run haprobe with the container\'s iptables (kolla: the neutron_l3_agent container).' },
    ],
  },
  'l3ha-single-primary': {
    reads: ['keepalived:<router>: ha_confs/<router>/state and keepalived.conf of each replica (the primary VIP)', 'addr:<qrouter-/snat- namespace>: VIPs on ha-/qr-/qg-/sg-', 'facts: routers and the agents\' ha_state (optional)'],
    findings: [
      { verdict: 'fail', finding: 'split brain: HA router <r> is primary on <a> and <b>', means: 'two replicas hold the VIPs: the upstream flips between their MACs and connections break (lp#1837635, lp#1731595).', fix: 'the VRRP adverts between the replicas do not arrive: check the ha- ports (ovs-dead-vlan, ovs-ports), the HA network, and the tenant-network MTU/firewall between the nodes; then restart keepalived of one replica (`openstack router set --disable/--enable ROUTER`).' },
      { verdict: 'fail', finding: 'HA router <r> has no primary on <n> replica(s)', means: 'nobody forwards for the router (lp#1874211).', fix: 'check that keepalived runs in each replica (`ps`, the L3 agent log); `openstack router set --disable` then `--enable` re-spawns it.' },
      { verdict: 'fail', finding: 'HA router <r>: backup <node> holds VIP addresses', means: 'a backup kept addresses after a failover: two MACs answer for them.', fix: 'restart the L3 agent on that node, or disable/enable the router.' },
      { verdict: 'warn', finding: 'facts say active on <x>, the data plane says <y>', means: 'the API\'s ha_state is stale (the agent did not report the transition), the data plane is fine.', fix: 'restart neutron-keepalived-state-change / the L3 agent on the node; `strictFactsHaState` makes this a fail, `ignoreFactsHaState` skips it right after a drill.' },
      { verdict: 'warn', finding: 'no primary among the replicas read, not judged', means: 'some replicas were not read (unreachable or section missing).', fix: 'make every replica reachable and readable (see the node-reachable rows).' },
      { verdict: 'fail', finding: 'HA router <r> is not redundant: keepalived is not running on <role> <node> (<why>)', means: 'the replica\'s keepalived (parent or VRRP child) is gone, its pid file names another program or another router\'s keepalived, or it is a zombie / stopped: traffic flows through the primary, but its failure would be an outage (issue 12; docs/ha-redundancy.md).', fix: 'read the L3 agent log on the node; `openstack router set --disable` then `--enable` re-spawns keepalived (the agent\'s ProcessMonitor does not respawn a stopped one: its router id is still in the command line).' },
      { verdict: 'warn', finding: 'the pid file names no live keepalived but a keepalived runs its keepalived.conf', means: 'with a parent/child pair running: a stale pid file, or a keepalived in another pid namespace (containers). With one lone process: half of a keepalived — an orphaned VRRP child whose parent died (VRRP still runs, nothing supervises or reloads it) or a parent without its child.', fix: 'compare `cat ha_confs/<r>.pid.keepalived` with `ps -ef | grep <r>`; kill a lone process of the router, then restart the L3 agent (or disable/enable the router) so it owns a whole keepalived again.' },
      { verdict: 'fail', finding: 'HA router <r> is not redundant: backup <node> heard no VRRP advert from primary <p> (run --listen-vrrp)', means: 'the HA network path from the primary to that backup is cut: it will take over (split brain risk).', fix: 'check the ha- ports (ovs-dead-vlan, ovs-ports), the HA network\'s VLAN/tunnel between the nodes, MTU and any firewall dropping IP protocol 112.' },
      { verdict: 'fail', finding: 'primaries <a> and <b> do not hear each other (run --listen-vrrp)', means: 'the cause of a split brain: VRRP does not cross the HA network between them.', fix: 'as for split brain: restore the HA network path, then restart keepalived of one replica.' },
      { verdict: 'warn', finding: 'could not listen for VRRP on <node> <ha->', means: 'the --listen-vrrp capture did not run there (no tcpdump, device gone): not read as "heard none".', fix: 'install tcpdump on the node, or run without --listen-vrrp.' },
    ],
  },
  'l3ha-vrid-unique': {
    reads: ['keepalived:<router>: virtual_router_id in keepalived.conf of every replica', 'facts: routers\' ha_vr_id, HA ports (their HA network)'],
    findings: [
      { verdict: 'fail', finding: 'virtual_router_id <v> is used by routers <r1>, <r2> on HA network <net>', means: 'two routers on one VRRP id and one HA network: their adverts collide and only one of them is active (lp#1823314).', fix: 'give one of them a new id: `openstack router set --disable R`, `--no-ha`, then `--ha`, `--enable` (or re-create it); Train and later allocate ids safely.' },
      { verdict: 'fail', finding: 'HA router <r> has different virtual_router_id on its replicas / differs from the facts ha_vr_id', means: 'the replicas never hear each other: each becomes primary.', fix: resyncL3('the replica that differs') + ' (the agent re-renders keepalived.conf from the DB).' },
      { verdict: 'warn', finding: 'virtual_router_id <v> is used by several routers (HA network unknown without facts)', means: 'a collision only if the routers share an HA network (one per project).', fix: 'pass facts (haprobe run --facts) to decide.' },
    ],
  },
  'keepalived-config': {
    reads: ['keepalived:<router>: ha_confs/<router>/keepalived.conf of every replica', 'addr:<qrouter- namespace> (the addresses that must be excluded VIPs)', 'profile params: priority, advertInt, garpMasterDelay, release'],
    findings: [
      { verdict: 'fail', finding: 'keepalived.conf of router <r> on <node>: <line> is <x>, expected <y>', means: 'the config is not the one neutron renders (state BACKUP, nopreempt, priority 50, advert_int, garp_master_delay 60 on Mitaka+, track_interface ha-, VIPs): a hand edit or an agent with other options; failover or G-ARP timing differs from the design.', fix: 'compare ha_vrrp_advert_int / ha_vrrp_auth_* in l3_agent.ini with the profile params; the agent re-renders keepalived.conf on a router update or restart.' },
      { verdict: 'fail', finding: 'keepalived.conf of router <r> on <node> lacks excluded VIPs other replicas have', means: 'after a failover to that replica some router addresses are not brought up.', fix: RESYNC_L3 + '.' },
      { verdict: 'warn', finding: 'keepalived.conf of router <r> was not read on <node>, or the primary VIP is the Juno template', means: 'not judged, or release-dependent.', fix: 'collect ha_confs (sudo); give the release (facts or profile param `release`).' },
    ],
  },
  'dvr-snat-placement': {
    reads: ['netns: snat-<router> on each node', 'addr:snat-<router>: qg- with the gateway IP, one sg- per internal subnet', 'facts: routers, snat hosts, router ports'],
    findings: [
      { verdict: 'fail', finding: 'snat-<r> on <node>, which is not a snat host of router <r> / missing on snat host <node>', means: 'centralized SNAT is where neutron does not expect it: outbound traffic without a floating IP breaks or goes two ways.', fix: 'reschedule: `openstack network agent remove router --l3 AGENT ROUTER` and `add router` to a dvr_snat agent; remove the stale namespace.' },
      { verdict: 'fail', finding: 'snat-<r> on <node> has no qg- / lacks sg- for a subnet / qg- without the gateway IP', means: 'the SNAT namespace is incomplete: instances of that subnet have no outbound path.', fix: resyncL3('the snat node') + '.' },
      { verdict: 'fail', finding: 'DVR-HA router <r>: no snat host / several snat hosts hold the VIPs', means: 'as l3ha-single-primary, for the snat- namespace (lp#1794305, lp#1816698).', fix: 'see l3ha-single-primary.' },
    ],
  },
  'dvr-fip-namespace': {
    reads: ['netns: fip-<external network> on each node', 'addr:fip-<net>, addr:qrouter-<r>: fg-, fpr-/rfp- pairs and their 169.254.x /31', 'sysctl:fip-<net>: proxy_arp of fg-', 'facts: agent gateway ports'],
    findings: [
      { verdict: 'fail', finding: 'fip-<net> on <node> has <n> fg- devices', means: 'one external network needs exactly one fg- per node; two answer ARP with different MACs (lp#1597561).', fix: 'delete the fg- whose port is gone (`openstack port list --device-owner network:floatingip_agent_gateway`), then resync the L3 agent.' },
      { verdict: 'fail', finding: 'router <r> on <node> lacks its fpr-/rfp- veth end / the pair shares no /31', means: 'the link between the router and the fip- namespace is broken: floating IPs on that node do not route (lp#1776984, lp#1566383).', fix: resyncL3('the compute node') + '.' },
      { verdict: 'fail', finding: 'proxy_arp is 0 on fg- in fip-<net>', means: 'nobody answers ARP for the floating IPs on that node.', fix: '`ip netns exec fip-NET sysctl -w net.ipv4.conf.FG.proxy_arp=1`, and resync the L3 agent so it stays.' },
      { verdict: 'fail', finding: 'fg- has no IPv4 address / lacks its agent gateway address', means: 'the fip- namespace cannot reach the external network.', fix: RESYNC_L3 + '.' },
      { verdict: 'warn', finding: 'fpr- belongs to no local DVR router (stale veth)', means: 'a leftover of a router that left the node.', fix: 'delete the veth after checking the router is not hosted there.' },
      { verdict: 'fail', finding: 'DVR link-local pool <cidr> on <node> is exhausted: <n> of <pool> /31 pairs in use', means: 'every /31 of the rfp-/fpr- pool of that L3 agent is taken (256 in 169.254.30.0/23 before the Newton fix, 8192 in 169.254.64.0/18): the next router with a gateway on this host fails with "Cannot allocate item of type LinkLocalAddressPair" (lp#1562110). The warn at 90 % says the same ahead of time.', fix: 'move routers off the host (or upgrade to a neutron with the /18 pool, lp#1562110), and remove stale lines of $state_path/fip-linklocal-networks for routers that left it.' },
    ],
  },
  // issue 12, §7 row 13
  'l3ha-backup-ipv6': {
    reads: ['addr:<HA router namespaces>: IPv6 addresses of qg-/qr- (qg-/sg- in the snat- namespace of DVR SNAT HA)', 'sysctl:<HA router namespaces>: net.ipv6.conf.<qg-/qr->.disable_ipv6 and addr_gen_mode (not read for sg-: judged on its addresses)', 'keepalived-state: which replica is backup'],
    findings: [
      { verdict: 'fail', finding: '<qg-/qr-/sg-> of backup <node> (HA router <r>) has IPv6 <addr>', means: 'the backup\'s kernel made an IPv6 address on the shared-MAC device: it sent DAD and MLD reports from the gateway MAC and answers MLD queries, so the upstream switch (or br-tun) learns the MAC on the backup and floating IPs lose traffic (lp#1859832).', fix: 'on the backup: `ip netns exec NS sysctl -w net.ipv6.conf.DEV.addr_gen_mode=1` and `ip -6 addr flush dev DEV scope link` (neutron itself does this in Zed+, lp#1952907); upgrade neutron, or disable IPv6 in HA namespaces where it is not used.' },
      { verdict: 'warn', finding: '<qg-/qr-> of backup <node> has IPv6 on with addr_gen_mode=<n>', means: 'no address yet, but the next link up (reboot, agent restart) makes one and the backup announces the gateway MAC (lp#1859832); a pre-Zed neutron leaves HA qrouter namespaces so (judged in L3 HA qrouters only: every release builds DVR SNAT HA\'s snat- namespace with addr_gen_mode 0 and flushes the backup\'s addresses instead).', fix: 'set `net.ipv6.conf.all.addr_gen_mode=1` in the HA namespaces (the Zed fix 5288593faf, lp#1952907) or upgrade.' },
    ],
  },
  // issue 12, §7 row 14
  'ovs-tunnel-stale-mac': {
    reads: ['flows:br-tun: table 20 (UCAST_TO_TUN, learned from table 10 or set by l2population)', 'ovs-vsctl: the tunnel interfaces of br-tun (options remote_ip, local_ip)', 'keepalived-state and addr:<HA namespaces>: the primary and its qr-/sg- MACs'],
    findings: [
      { verdict: 'fail', finding: 'br-tun of <node> sends <qr-> <mac> of HA router <r> to <vxlan-…> (remote_ip <ip>, <old node>), but the primary is <node> (<ip>)', means: 'after a failover br-tun still forwards the router\'s shared MAC into the tunnel towards the old primary: traffic to the router is black-holed until the learned entry\'s hard_timeout (300 s) or until a frame from the new primary comes out of its tunnel (lp#2123911; 2026.1 learns from G-ARP/NA/RA, f29de21350).', fix: 'send traffic from the new primary through the tunnel (e.g. ping from the router namespace to an instance on that node), or delete the entry: `ovs-ofctl del-flows br-tun "table=20,dl_dst=MAC"`; with l2population, check the HA port binding\'s active host in the API.' },
      { verdict: 'skip', finding: 'the primary has no tunnel port / not exactly one primary', means: 'nothing to judge: a node without tunnels has no br-tun learning, and with two or no primaries l3ha-single-primary reports the router. No br-tun entry for the router\'s MACs at all (learned entries age out after 300 s without traffic) is a pass: br-tun floods them to every tunnel, the primary\'s too.', fix: 'run again right after a failover (or `drill failover`), while traffic flows.' },
    ],
  },
  'ovs-dead-vlan': {
    reads: ['ovs-vsctl: the tag of each port', 'facts: ports (admin_state_up, binding)'],
    findings: [
      { verdict: 'fail', finding: 'OVS port <p> on <bridge> of <node> is on the dead VLAN 4095 (router port, or bound and admin-up)', means: 'the OVS agent isolated a port that must carry traffic: an ha- port there breaks VRRP (split brain), a qr-/qg- port cuts the router (lp#1778643, lp#1827754).', fix: 'check `openstack port show PORT` (binding:vif_type binding_failed?, admin_state_up) and the OVS agent log; ' + RESYNC_OVS + '.' },
      { verdict: 'warn', finding: 'port on the dead VLAN and nothing says why', means: 'without facts haprobe cannot tell a deliberate isolation from a fault.', fix: 'pass facts, or check the port in the API.' },
      { verdict: 'note', finding: 'port on the dead VLAN, facts say admin-down or unbound', means: 'deliberate: the agent does this for ports that must not pass traffic.', fix: 'nothing, unless the port should be up.' },
    ],
  },
  'ovs-ports': {
    reads: ['ovs-vsctl: bridges, interfaces, external_ids iface-id and attached-mac', 'addr:<router namespaces>: router devices', 'facts: ports (id, MAC, host)'],
    findings: [
      { verdict: 'fail', finding: '<device or port> on <node> is not plugged in OVS', means: 'the kernel device exists but is not on br-int/br-ex: it passes no traffic.', fix: 'router devices: ' + RESYNC_L3 + '; instance ports: ' + RESYNC_OVS + '.' },
      { verdict: 'fail', finding: '<device> is plugged in <bridge>, not br-int/br-ex', means: 'wrong bridge: the port is outside the tenant network.', fix: 'check ovs_integration_bridge / external bridge settings of the agents; move the port by a resync.' },
      { verdict: 'fail', finding: '<interface> has iface-id <x> / no iface-id / attached-mac <x>, the port has <y>', means: 'the OVS agent cannot bind the interface to its neutron port, so it gets no flows (often the dead VLAN).', fix: 'delete the interface (`ovs-vsctl del-port`) and let the agent re-plug it.' },
      { verdict: 'skip', finding: 'iface-id and attached-mac not judged: only `ovs-vsctl show` was read', means: 'the external_ids were not collected.', fix: 'collect the Interface table (`ovs-vsctl --format=json list Interface`, as a live run does).' },
    ],
  },
  'ovs-antispoof': {
    reads: ['ovs-vsctl: ofports of instance and router ports', 'flows:<br-int>: `ovs-ofctl dump-flows` tables 0, 24, 71', 'facts: ports, fixed IPs, allowed address pairs, port security, firewall_driver'],
    findings: [
      { verdict: 'fail', finding: 'ARP anti-spoofing flow missing for <port> (table 0 → 24, or arp_spa in 24/71)', means: 'an instance can answer ARP for addresses it does not own (ARP spoofing), or a legitimate allowed address pair is dropped.', fix: RESYNC_OVS + '; check prevent_arp_spoofing / firewall_driver in the agent config.' },
      { verdict: 'fail', finding: 'router/network port <p> has ARP anti-spoofing flows', means: 'G-ARPs for the router VIPs would be dropped after a failover.', fix: RESYNC_OVS + '.' },
      { verdict: 'warn', finding: '<port> has port security disabled but still has anti-spoofing flows / flows not collected', means: 'a leftover of a port-security change, or not judged.', fix: RESYNC_OVS + '.' },
    ],
  },
  prerequisites: {
    reads: ['sysctl:<qrouter-/snat-/fip- namespace>: ip_forward, arp_ignore, arp_announce, ip_nonlocal_bind, proxy_arp', 'versions: keepalived, arping, iptables; the neutron containers', 'the release: facts `release` or the profile param `release`'],
    findings: [
      { verdict: 'fail', finding: '<sysctl> is <x> in <namespace> on <node>', means: 'the router namespace is not set up as the agent sets it: without ip_forward no routing; wrong arp_ignore/arp_announce answer ARP for the wrong interface (lp#1692007).', fix: 'the agent sets them when it creates the namespace: remove the namespace and resync the L3 agent (or `sysctl -w` inside it for an immediate fix).' },
      { verdict: 'fail', finding: 'keepalived <v> on <node> sends no G-ARP on reload (lp#1639315)', means: 'a floating IP associated on a running primary is not announced: the upstream keeps the old MAC.', fix: 'upgrade keepalived to 1.2.20 or later.' },
      { verdict: 'fail', finding: 'arping on <node> is the Debian "arping" package', means: 'it sends "who-has X tell <own ip>", not a G-ARP: failovers are not announced.', fix: 'install iputils-arping (Debian/Ubuntu: `apt install iputils-arping`, which replaces arping).' },
      { verdict: 'warn', finding: 'keepalived/arping version not collected or not understood; release-dependent G-ARP senders', means: 'not judged.', fix: 'collect versions (live run); give the release (facts or profile param `release`).' },
    ],
  },
  'api-dataplane-agreement': {
    reads: ['facts (from `run --cloud` or a facts file): routers\' haState per host (the API\'s l3-agent-list-hosting-router ha_state), floating IPs and their ports\' binding:host_id, L3 agents alive', 'keepalived:<router> (state file) and addr:<qrouter-/snat- namespace> (primary VIP) of every replica', 'route:fip-<net> of every node (DVR floating IP routes to fpr-)', 'ovs-vsctl: external_ids:iface-id of every node (where an instance port is plugged)'],
    findings: [
      { verdict: 'fail', finding: 'the API reports HA router <r> active on <a> and <b>, the nodes hold one primary: the API\'s ha_state is stale', means: 'neutron\'s view is wrong while the data plane is sane (lp#1731595: report_state failures; lp#1837635 / lp#1945512: short flips): automation waiting for exactly one active agent, and operators reading `openstack network agent list --router R --long`, act on a wrong picture.', fix: 'restart the L3 agent of the host the API wrongly calls active (it re-reports its state); if it recurs, check its RabbitMQ connection and report_interval.' },
      { verdict: 'warn', finding: 'HA router <r>: the API reports active/standby on <node>, the node is backup/primary', means: 'the agent reports a transition seconds after keepalived makes it: normal right after a failover, stale if it persists.', fix: 're-run after a minute; if it persists, restart the L3 agent on that node. Profile param `strict: true` makes this a fail.' },
      { verdict: 'warn', finding: 'the API reports HA router <r> active on <node>, whose L3 agent it reports dead', means: 'the ha_state is the dead agent\'s last report, not the present (routers left on a dead agent, lp#2050236 class).', fix: 'bring the agent back, or remove the router from it: `openstack network agent remove router --l3 AGENT R`.' },
      { verdict: 'fail', finding: 'floating IP <fip>: the API binds its port to <host>, but <other> routes it / has the port plugged in OVS', means: 'a stale binding (e.g. after a failed migration) or a stale data plane: neutron sends the floating IP\'s flows, DVR routes and G-ARPs (neutron dvr_fip_ns.py, dvr_local_router.py) to the wrong host.', fix: 'find where the instance really runs (`openstack server show`); fix the binding (`openstack port set --host`, admin) or finish/revert the migration; then resync the L3 agents of both hosts.' },
      { verdict: 'skip', finding: 'not compared: <host>\'s role / routes / OVS external ids were not collected, or it was not read', means: 'one side of the comparison is missing.', fix: 'collect that node (sudo; `--node`), then re-run.' },
    ],
  },
  'upstream-neighbour': {
    reads: ['neigh:<namespace> of the gateway node (`ip neigh`): the upstream router\'s ARP table', 'facts or snapshot: which MAC owns each floating IP (qg- or, DVR, the host\'s fg-)'],
    findings: [
      { verdict: 'fail', finding: 'upstream <gw> still points floating IP <fip> at <mac>, not its owner', means: 'the G-ARP that should have moved the floating IP after a failover or association never arrived, or was not a G-ARP (lp#1690165, lp#1639315, lp#1715734): traffic goes to the old node until the entry expires.', fix: 'announce it now: `ip netns exec qrouter-R arping -U -I qg-X -c 3 FIP` (iputils); then find why it was not sent: prerequisites (keepalived, arping), keepalived-config (garp_master_delay), ovs-antispoof on router ports.' },
      { verdict: 'warn', finding: 'upstream <gw> has no usable neighbour entry for floating IP <fip>', means: 'the upstream has not resolved it yet (or the entry is FAILED/INCOMPLETE): the G-ARP effect is not proven.', fix: 'send traffic to the floating IP and re-run; check that the gateway node is the upstream router.' },
    ],
  },
  ...NOVA_EXPLANATIONS, // issue 9
  ...OVN_EXPLANATIONS, // issue 11
  ...MULTINIC_EXPLANATIONS, // issue 9, neutron-multinic-aa
};
