import type { CheckExplanation } from './explanation-types';

/** `haprobe explain` entries of the ML2/OVN checks (issue 11), merged into EXPLANATIONS */
export const OVN_EXPLANATIONS: Readonly<Record<string, CheckExplanation>> = {
  'ovn-gateway-chassis': {
    reads: ['ovn-nb: Logical_Router_Port, Gateway_Chassis, HA_Chassis_Group, HA_Chassis (central node)', 'ovn-sb: Chassis (registered chassis, ovn-cms-options)'],
    findings: [
      { verdict: 'fail', finding: '<lrp> lists <n> gateway chassis, more than MAX_GW_CHASSIS 5', means: 'neutron schedules at most 5; more was added by hand or by a broken rescheduling, and BFD meshes grow with it.', fix: '`ovn-nbctl lrp-del-gateway-chassis <lrp> <chassis>` for the extra ones, or let neutron reschedule (restart neutron-server: its maintenance task re-runs the scheduler).' },
      { verdict: 'fail', finding: '<lrp>: gateway chassis <a> and <b> share priority <p>', means: 'the active gateway among equals is decided by ovn-controller\'s ordering: after a failover and recovery it can change without anything failing.', fix: '`ovn-nbctl lrp-set-gateway-chassis <lrp> <chassis> <prio>` to give distinct priorities (neutron: len(list) down to 1).' },
      { verdict: 'fail', finding: '<lrp> has an empty HA_Chassis_Group / Gateway_Chassis', means: 'no chassis may host the router gateway: SNAT and centralized floating IPs are down.', fix: 'mark gateway chassis (`ovs-vsctl set open . external-ids:ovn-cms-options=enable-chassis-as-gw`) and let neutron reschedule.' },
      { verdict: 'warn', finding: '<lrp>: gateway chassis <c> not registered / not marked enable-chassis-as-gw', means: 'a dead or non-gateway entry in the HA list: failover may pick a node without the provider bridge, or skip a slot.', fix: 'remove the stale chassis (`ovn-sbctl chassis-del`) or mark it as gateway; neutron reschedules on the next router update.' },
    ],
  },
  'ovn-cr-lrp-claim': {
    reads: ['ovn-sb: Port_Binding (type chassisredirect: chassis, additional_chassis, ha_chassis_group), HA_Chassis', 'ovn-chassis: bfd_status of every chassis\' tunnels (who is alive)'],
    findings: [
      { verdict: 'fail', finding: 'no chassis claims cr-lrp-<port>', means: 'the router has no active gateway: SNAT and centralized floating IPs are down.', fix: 'check ovn-controller on the gateway chassis and their BFD sessions (`ovs-appctl bfd/show`); an isolated chassis never claims (ha-chassis.c).' },
      { verdict: 'fail', finding: 'cr-lrp-<port> is claimed by <c> while <higher> (higher priority) is alive over BFD', means: 'the gateway is not where OVN\'s own rule puts it: a lost claim race or a stale binding; G-ARPs may be missing after the move (OVN FDP-1418).', fix: 'restart ovn-controller on the claiming chassis, then re-run haprobe and `haprobe garp verify` for the router IP.' },
      { verdict: 'fail', finding: 'cr-lrp-<port> is claimed by <c> and also <d>', means: 'two chassis answer for the router (RH bz 2062580 style MAC flapping on the provider network).', fix: 'find why both think they are active (BFD between them down?); restart ovn-controller on the lower-priority one.' },
      { verdict: 'warn', finding: 'claimed by <c>, not by <higher>: not judged, no BFD status toward <higher> was read', means: 'haprobe cannot tell whether the higher-priority gateway is down.', fix: 'include the gateway chassis in the inventory so their tunnels\' bfd_status is read.' },
    ],
  },
  'ovn-nat-rows': {
    reads: ['ovn-nb: Logical_Router (nat), NAT, Logical_Router_Port (networks), Logical_Switch_Port (addresses, up)'],
    findings: [
      { verdict: 'fail', finding: '<router> has <n> snat rows for <subnet> / SNATs some subnets but not <subnet>', means: 'duplicate rows are left over from a failed update; a missing one means instances on that subnet have no outbound NAT.', fix: 'remove the duplicate (`ovn-nbctl lr-nat-del`); run `neutron-ovn-db-sync-util --ovn-neutron_sync_mode repair`.' },
      { verdict: 'fail', finding: 'floating IP <fip> has <n> dnat_and_snat rows', means: 'two translations for one FIP: traffic goes to either fixed IP.', fix: 'delete the stale row (`ovn-nbctl lr-nat-del <router> dnat_and_snat <fip>` then re-associate), or the db-sync repair mode.' },
      { verdict: 'fail', finding: 'floating IP <fip>: external_mac without logical_port', means: 'a NAT row no neutron writes: OVN ignores the MAC, so the FIP is neither distributed nor served as neutron set it up (a hand edit or a broken sync).', fix: 'disassociate and re-associate the FIP, or run `neutron-ovn-db-sync-util --ovn-neutron_sync_mode repair`.' },
      { verdict: 'fail', finding: 'floating IP <fip> is centralized although its port is up and FIPs are distributed', means: 'the FIP goes through the gateway chassis instead of the instance\'s compute (LP 2161095): capacity and failover differ from what the operator set.', fix: 'update the port (e.g. toggle admin state) so neutron rewrites the NAT row with external_mac; upgrade neutron for the fix.' },
      { verdict: 'fail', finding: 'floating IP <fip>: external_mac <mac> is not the MAC neutron recorded for it (neutron:fip_external_mac)', means: 'the compute announces and answers for the FIP with another MAC than the one neutron set up: the upstream and the flows disagree.', fix: 're-associate the floating IP (neutron rewrites the NAT row).' },
    ],
  },
  'ovn-garp-options': {
    reads: ['ovn-nb: Logical_Switch_Port options of the external (type router) ports, Logical_Switch ports (localnet)'],
    findings: [
      { verdict: 'fail', finding: '<lsp> has no nat-addresses=router', means: 'ovn-controller sends no G-ARP for the router gateway IP and floating IPs when the gateway moves: the upstream keeps the old MAC until its ARP entry expires.', fix: '`ovn-nbctl lsp-set-options <lsp> router-port=<lrp> nat-addresses=router exclude-lb-vips-from-garp=true`, or update the router so neutron rewrites it.' },
      { verdict: 'warn', finding: '<lsp> lacks exclude-lb-vips-from-garp=true', means: 'every router with a load balancer G-ARPs its VIP: several MACs announce one IP (LP 1964901, RH bz 2054394 / 2053013).', fix: 'neutron ≥ Zed sets it with OVN ≥ 22.03; upgrade or set it on the LSP.' },
      { verdict: 'warn', finding: '<switch> has no localnet port', means: 'G-ARPs leave only through localnet ports: the provider network never hears them.', fix: 'check the provider network\'s segment (`provnet-…` LSP) and ovn-bridge-mappings.' },
    ],
  },
  'ovn-bfd': {
    reads: ['ovn-chassis: `ovs-vsctl list Interface` name, options:remote_ip, bfd, bfd_status of each chassis', 'ovn-sb: Chassis and Encap (who owns each tunnel\'s remote_ip)', 'ovn-nb: gateway lists (which chassis are gateways)'],
    findings: [
      { verdict: 'fail', finding: 'BFD <a> → <b> is down', means: '<b> looks dead to <a>: it is skipped in every HA decision <a> makes (a working gateway loses its router, or a compute sends to a dead one).', fix: 'check the tunnel path (MTU, firewall on UDP 6081/3784) and `ovs-appctl bfd/show` on both ends.' },
      { verdict: 'fail', finding: 'no BFD from gateway <a> to gateway <b>', means: 'gateways do not watch each other: a failed gateway is not replaced.', fix: 'restart ovn-controller on <a>; check both are in the same gateway lists.' },
      { verdict: 'warn', finding: 'BFD enabled toward <b> but no bfd_status', means: 'ovs-vswitchd has not reported the session (not running, or too old).', fix: 'check ovs-vswitchd on the node.' },
      { verdict: 'warn', finding: 'BFD enabled between non-gateway chassis', means: 'extra sessions OVN only creates for HA chassis groups (external ports): check what references them.', fix: 'usually none needed; review HA_Chassis_Group of external ports.' },
    ],
  },
  'ovn-metadata-namespace': {
    reads: ['netns and addr:ovnmeta-<net> of every chassis', 'ovn-sb: Port_Binding (VIF ports, their chassis and datapath; localport = metadata port)', 'ovn-chassis: external_ids:system-id (which chassis a node is)'],
    findings: [
      { verdict: 'fail', finding: '<node> hosts instances of network <net> but has no ovnmeta-<net>', means: 'those instances get no metadata (no SSH key, no user data) at their next boot.', fix: 'restart the OVN metadata agent (neutron-ovn-metadata-agent) on the node; check its log for errors on that network.' },
      { verdict: 'fail', finding: 'ovnmeta-<net> on <node> has no 169.254.169.254', means: 'the namespace exists but haproxy has no address to answer on.', fix: 'restart the metadata agent on the node (it re-provisions the datapath).' },
      { verdict: 'warn', finding: 'ovnmeta-<net> on <node>, which hosts no instance of network <net>', means: 'left over by the agent (LP 2037102: stale namespaces broke its restart).', fix: '`ip netns delete ovnmeta-<net>` once no haproxy runs in it, or restart the agent (it cleans up on sync).' },
    ],
  },
};
