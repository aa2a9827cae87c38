import { quoteArgv } from '../transport/quote-shell';
import { LAB_NET } from './plan';
import type { LabPaths, LabPlan, PlanNode } from './types';

/**
 * Host-side and node-infrastructure scripts (pure text). The host gets exactly one
 * address (198.18.0.1 on hp-mgmt); everything else lives in hp-* namespaces.
 */
export const MGMT_BRIDGE = 'hp-mgmt';
export const FABRIC_NS = 'hp-fabric';

export function nodeNetns(node: string): string {
  return `hp-${node}`;
}
export function mgmtHostLink(node: string): string {
  return `hpm-${node}`;
}

const NO_V6 = 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1';

/** hp-mgmt bridge, hp-fabric with the ext/data bridges, one hp-<node> netns per node with its links */
export function renderHostSetup(plan: Pick<LabPlan, 'nodes'>): string {
  const out = [
    'set -e',
    `ip link add ${MGMT_BRIDGE} type bridge stp_state 0 forward_delay 0`,
    `ip addr add ${LAB_NET.mgmtHost}/${LAB_NET.mgmtPrefix} dev ${MGMT_BRIDGE}`,
    `ip link set ${MGMT_BRIDGE} up`,
    `ip netns add ${FABRIC_NS}`,
    `ip netns exec ${FABRIC_NS} ${NO_V6}`,
    `ip -n ${FABRIC_NS} link set lo up`,
    // Linux bridges without vlan_filtering forward 802.1Q-tagged frames as they are
    `ip -n ${FABRIC_NS} link add ext type bridge stp_state 0 forward_delay 0 mcast_snooping 0`,
    `ip -n ${FABRIC_NS} link add data type bridge stp_state 0 forward_delay 0 mcast_snooping 0`,
    `ip -n ${FABRIC_NS} link set ext up`,
    `ip -n ${FABRIC_NS} link set data up`,
  ];
  for (const n of plan.nodes) {
    const ns = nodeNetns(n.name);
    out.push(
      `ip netns add ${ns}`,
      `ip netns exec ${ns} ${NO_V6}`,
      `ip link add ${mgmtHostLink(n.name)} type veth peer name mgmt0 netns ${ns}`,
      `ip link set ${mgmtHostLink(n.name)} master ${MGMT_BRIDGE} up`,
    );
    if (n.kind === 'gateway') {
      out.push(`ip link add ex-${n.name} netns ${FABRIC_NS} type veth peer name ext0 netns ${ns}`, `ip -n ${FABRIC_NS} link set ex-${n.name} master ext up`);
    } else {
      out.push(
        `ip link add ex-${n.name} netns ${FABRIC_NS} type veth peer name ex-up netns ${ns}`,
        `ip -n ${FABRIC_NS} link set ex-${n.name} master ext up`,
        `ip link add dt-${n.name} netns ${FABRIC_NS} type veth peer name dt-up netns ${ns}`,
        `ip -n ${FABRIC_NS} link set dt-${n.name} master data up`,
      );
    }
  }
  return out.join('\n') + '\n';
}

/** argv[0]-free marker in the cmdline of every holder (its init), how `up` and `down` recognise one */
export const HOLDER_MARK = 'haprobe-lab-init';

/**
 * The node's init, PID 1 of its PID namespace: reaps every orphan (daemons detach and are
 * re-parented here, so a killed keepalived disappears instead of lingering as a zombie that
 * `kill -0` still finds), exits on SIGTERM (the kernel then kills the whole namespace).
 * bash's SIGCHLD handling waits for any child, not only its own jobs.
 */
export const HOLDER_INIT = `trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done`;

/**
 * argv of the holder: inside hp-<node>, new mount (private /run, /proc of its own), UTS
 * (hostname = node name) and PID namespaces, alive until killed. `unshare --fork` stays as the
 * parent; the pid `up` records is its child, the init (`nsenter -t` targets it).
 */
export function holderArgv(node: string, dir: string): string[] {
  const inner = [
    // private /run: the node's own /run/netns registry, sshd privsep dir, instance netns
    'mount -t tmpfs tmpfs /run',
    'mkdir -p /run/netns /run/openvswitch /run/sshd /run/haprobe-vms',
    // the node dir (under the --state-dir flag) is $1, never pasted into the script (issue 8)
    'mount --bind "$1/ovs-run" /run/openvswitch',
    'mount --bind "$1/neutron" /var/lib/neutron',
    quoteArgv(['hostname', node]),
    `exec bash -c ${quoteArgv([HOLDER_INIT, `${HOLDER_MARK}-${node}`])}`,
  ].join(' && ');
  return ['ip', 'netns', 'exec', nodeNetns(node), 'unshare', '--mount', '--propagation', 'private', '--uts', '--pid', '--fork',
    '--kill-child', '--mount-proc', 'sh', '-c', inner, 'sh', dir];
}

export function sshdCommand(node: PlanNode, paths: LabPaths): string {
  const dir = paths.nodeDir(node.name);
  // paths under the --state-dir flag: quoted argv words (issue 8)
  return quoteArgv([
    '/usr/sbin/sshd', '-e',
    '-h', `${dir}/ssh_host_ed25519_key`,
    '-o', `ListenAddress=${node.mgmtIp}`,
    '-o', `PidFile=${dir}/sshd.pid`,
    '-o', `AuthorizedKeysFile=${paths.authorizedKeys}`,
    // issue 10: the node's own HOME (its lab dir, no dotfiles): the lab measures haprobe, not
    // this host's ~/.bashrc (pyenv init cost 0.2–0.5 s per SSH exec, sourced by bash -c under sshd).
    // sshd splits SetEnv on blanks and quotes: only a plain path (else the host's HOME stays)
    ...(/^[\w./-]+$/.test(dir) ? ['-o', `SetEnv=HOME=${dir}`] : []),
    '-o', 'UsePAM=no', '-o', 'StrictModes=no', '-o', 'PermitRootLogin=prohibit-password', '-o', 'PasswordAuthentication=no',
    '-E', `${dir}/log/sshd.log`,
  ]);
}

/** inside the holder: a fresh OVSDB, ovsdb-server and ovs-vswitchd of the node (pid files under its /run/openvswitch, which lab down finds) */
export function ovsStartLines(node: string, dir: string): string[] {
  const sock = '/run/openvswitch/db.sock';
  return [
    quoteArgv(['ovsdb-tool', 'create', `${dir}/ovs/conf.db`, '/usr/share/openvswitch/vswitch.ovsschema']),
    quoteArgv(['ovsdb-server', `--remote=punix:${sock}`, '--pidfile=/run/openvswitch/ovsdb-server.pid', '--detach', `--log-file=${dir}/log/ovsdb-server.log`, `${dir}/ovs/conf.db`]),
    'ovs-vsctl --no-wait init',
    `ovs-vsctl --no-wait set Open_vSwitch . external_ids:hostname=${node}`,
    `${quoteArgv(['ovs-vswitchd', `unix:${sock}`, '--pidfile=/run/openvswitch/ovs-vswitchd.pid', '--detach', `--log-file=${dir}/log/ovs-vswitchd.log`])} 2>/dev/null`,
  ];
}

/** inside the holder: addresses, OVS (netdev datapath) with br-int/br-ex/br-tun, sshd */
export function renderNodeInfra(node: PlanNode, plan: LabPlan, paths: LabPaths): string {
  const dir = paths.nodeDir(node.name);
  const out = ['set -e', 'ip link set lo up', `ip addr add ${node.mgmtIp}/${LAB_NET.mgmtPrefix} dev mgmt0`, 'ip link set mgmt0 up'];
  if (node.kind === 'gateway') {
    out.push(
      `ip addr add ${plan.extNet.gatewayIp}/${plan.extNet.prefixLen} dev ext0`,
      'ip link set ext0 up',
      // like a real upstream router: G-ARPs create/refresh neighbour entries
      'sysctl -qw net.ipv4.conf.all.arp_accept=1 net.ipv4.conf.ext0.arp_accept=1',
    );
    if (plan.extNet.gatewayIp6) {
      // dual stack: the upstream routes the tenant prefix to the router's IPv6 gateway address
      out.push(
        'sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.ext0.disable_ipv6=0 net.ipv6.conf.ext0.accept_dad=0',
        `ip -6 addr add ${plan.extNet.gatewayIp6}/64 dev ext0 nodad`,
        `ip -6 route add ${plan.tenantNet.cidr6} via ${plan.router.qg.ip6}`,
      );
    }
  } else {
    out.push(
      ...ovsStartLines(node.name, dir),
      [
        'ovs-vsctl',
        '-- add-br br-int -- set bridge br-int datapath_type=netdev',
        '-- add-br br-ex -- set bridge br-ex datapath_type=netdev',
        '-- add-br br-tun -- set bridge br-tun datapath_type=netdev',
        '-- add-port br-int patch-tun -- set Interface patch-tun type=patch options:peer=patch-int',
        '-- add-port br-tun patch-int -- set Interface patch-int type=patch options:peer=patch-tun',
        '-- add-port br-ex ex-up -- add-port br-tun dt-up',
      ].join(' '),
      // Zed as really built: neutron never sets its bridges' own ports up (br-ex DOWN, so
      // `tcpdump -i br-ex` fails and captures fall back to a port of br-ex, docs/real-engine.md row 5);
      // the netdev datapath forwards between the other ports all the same
      plan.rules.real?.brExDown ? 'for d in ex-up dt-up; do ip link set $d up; done' : 'for d in br-int br-ex br-tun ex-up dt-up; do ip link set $d up; done',
    );
  }
  out.push(sshdCommand(node, paths));
  return out.join('\n') + '\n';
}
