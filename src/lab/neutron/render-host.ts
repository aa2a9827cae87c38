import { quoteArgv } from '../../transport/quote-shell';
import { NFABRIC_NS, NHOLDER_MARK, NLAB_NET, NMGMT_BRIDGE, mgmtLinkOf, nodeNetnsOf } from './names';
import type { NeutronTopology, NeutronNode } from './topology';

/**
 * Host-side and node-infrastructure scripts of the real engine (pure text). The host gets one
 * address (198.18.8.1 on hq-mgmt, where the control plane listens); the external range and the
 * tunnel underlay exist only inside hq-* namespaces (issue 16: never on a host interface).
 * Every veth gets tx checksum offload off on both ends: TCP through OVS's userspace datapath is
 * dropped otherwise (issue 16).
 */
const NO_V6 = 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1';

export function renderNeutronHostSetup(topo: NeutronTopology): string {
  const F = NFABRIC_NS;
  const out = [
    'set -e',
    `ip link add ${NMGMT_BRIDGE} type bridge stp_state 0 forward_delay 0`,
    `ip addr add ${NLAB_NET.mgmtHost}/${NLAB_NET.mgmtPrefix} dev ${NMGMT_BRIDGE}`,
    `ip link set ${NMGMT_BRIDGE} up`,
    `ip netns add ${F}`,
    `ip netns exec ${F} ${NO_V6}`,
    `ip -n ${F} link set lo up`,
    `ip -n ${F} link add ext type bridge stp_state 0 forward_delay 0 mcast_snooping 0`,
    `ip -n ${F} link add data type bridge stp_state 0 forward_delay 0 mcast_snooping 0`,
    `ip -n ${F} link set ext up`,
    `ip -n ${F} link set data up`,
  ];
  for (const n of topo.nodes) {
    const ns = nodeNetnsOf(n.name);
    const m = mgmtLinkOf(n.name);
    out.push(
      `ip netns add ${ns}`,
      `ip link add ${m} type veth peer name mgmt0 netns ${ns}`,
      `ip link set ${m} master ${NMGMT_BRIDGE} up`,
      `ethtool -K ${m} tx off >/dev/null`,
      `ip netns exec ${ns} ethtool -K mgmt0 tx off >/dev/null`,
    );
    // the OVN central node (issue 11) has only its management link
    const links = n.kind === 'central' ? [] : n.kind === 'gateway' ? [['ex', 'ext0', 'ext']] : [['ex', 'ex-up', 'ext'], ['dt', 'dt-up', 'data']];
    for (const [pfx, inner, bridge] of links) {
      out.push(
        `ip link add ${pfx}-${n.name} netns ${F} type veth peer name ${inner} netns ${ns}`,
        `ip -n ${F} link set ${pfx}-${n.name} master ${bridge} up`,
        `ip netns exec ${F} ethtool -K ${pfx}-${n.name} tx off >/dev/null`,
        `ip netns exec ${ns} ethtool -K ${inner} tx off >/dev/null`,
      );
    }
  }
  return out.join('\n') + '\n';
}

/** init of a node (PID 1 of its PID namespace): reaps orphans, exits on TERM */
const HOLDER_INIT = `trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done`;

/**
 * The node's holder: inside hq-<node>, private mount/UTS/PID namespaces; the node dir's
 * subdirectories are bound on the paths neutron uses (/var/lib/neutron, /etc/neutron,
 * /var/log/neutron, /run/openvswitch), so its agents, its keepalived and haprobe over SSH see
 * the node's own files at the usual places.
 */
export function neutronHolderArgv(node: string, dir: string): string[] {
  const inner = [
    'mount -t tmpfs tmpfs /run',
    'mkdir -p /run/netns /run/openvswitch /run/sshd /run/haprobe-vms /run/lock',
    'mount --bind "$1/ovs-run" /run/openvswitch',
    'mount --bind "$1/neutron" /var/lib/neutron',
    'mount --bind "$1/etc" /etc/neutron',
    'mount --bind "$1/log" /var/log/neutron',
    quoteArgv(['hostname', node]),
    `exec bash -c ${quoteArgv([HOLDER_INIT, `${NHOLDER_MARK}-${node}`])}`,
  ].join(' && ');
  return ['ip', 'netns', 'exec', nodeNetnsOf(node), 'unshare', '--mount', '--propagation', 'private', '--uts', '--pid', '--fork',
    '--kill-child', '--mount-proc', 'sh', '-c', inner, 'sh', dir];
}

export function neutronSshdCommand(node: NeutronNode, dir: string, authorizedKeys: string): string {
  return quoteArgv([
    '/usr/sbin/sshd', '-e', '-h', `${dir}/ssh_host_ed25519_key`,
    '-o', `ListenAddress=${node.mgmtIp}`, '-o', `PidFile=${dir}/sshd.pid`, '-o', `AuthorizedKeysFile=${authorizedKeys}`,
    '-o', 'UsePAM=no', '-o', 'StrictModes=no', '-o', 'PermitRootLogin=prohibit-password', '-o', 'PasswordAuthentication=no',
    '-E', `${dir}/log/sshd.log`,
  ]);
}

/**
 * Inside the holder: addresses, OVS (netdev datapath everywhere: no kernel module) with br-ex on
 * the external link and br-phy on the underlay link carrying local_ip (userspace VXLAN needs the
 * tunnel endpoint on a netdev bridge, issue 16); br-int and br-tun are the OVS agent's to make.
 */
export function renderNeutronNodeInfra(node: NeutronNode, dir: string, authorizedKeys: string): string {
  const out = ['set -e', 'ip link set lo up', `ip addr add ${node.mgmtIp}/${NLAB_NET.mgmtPrefix} dev mgmt0`, 'ip link set mgmt0 up'];
  if (node.kind === 'gateway') {
    out.push(
      NO_V6,
      `ip addr add ${NLAB_NET.extGw}/24 dev ext0`, 'ip link set ext0 up',
      'sysctl -qw net.ipv4.conf.all.arp_accept=1 net.ipv4.conf.ext0.arp_accept=1',
    );
  } else {
    const sock = '/run/openvswitch/db.sock';
    out.push(
      quoteArgv(['ovsdb-tool', 'create', `${dir}/ovs/conf.db`, '/usr/share/openvswitch/vswitch.ovsschema']),
      quoteArgv(['ovsdb-server', `--remote=punix:${sock}`, '--pidfile=/run/openvswitch/ovsdb-server.pid', '--detach', `--log-file=${dir}/log/ovsdb-server.log`, `${dir}/ovs/conf.db`]),
      'ovs-vsctl --no-wait init',
      `ovs-vsctl --no-wait set Open_vSwitch . external_ids:hostname=${node.name}`,
      `${quoteArgv(['ovs-vswitchd', `unix:${sock}`, '--pidfile=/run/openvswitch/ovs-vswitchd.pid', '--detach', `--log-file=${dir}/log/ovs-vswitchd.log`])} 2>/dev/null`,
      'ovs-vsctl -- add-br br-ex -- set bridge br-ex datapath_type=netdev -- add-port br-ex ex-up' +
        ' -- add-br br-phy -- set bridge br-phy datapath_type=netdev -- add-port br-phy dt-up',
      'ip link set ex-up up', 'ip link set dt-up up', 'ip link set br-phy up',
      `ip addr add ${node.tunnelIp}/24 dev br-phy`,
    );
  }
  out.push(neutronSshdCommand(node, dir, authorizedKeys));
  return out.join('\n') + '\n';
}
