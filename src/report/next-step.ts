import type { Subject } from '../engine/types';
import { quoteArgv, quoteWord } from '../transport/quote-shell';
import { routerOf } from './format-subject';

/**
 * The command an operator runs next to look closer at one non-pass row (issue 13, "Output a
 * person reads"): read-only, on the node the row names, showing the very thing the check judged.
 * Shown, never run. Values from the run (namespace, device, router names as nodes reported them)
 * enter only through quoteArgv/quoteWord, so a copy-paste runs exactly what is shown; the remote
 * command is one quoted word for ssh, and `sudo` because haprobe reads as root.
 */
export interface NextStepInput {
  checkId: string;
  subject: Subject;
  /** the node's address from the run's node list (what ssh must reach), when the row names a node */
  address?: string;
  /** neutron state_path on the nodes; ha_confs lives below it */
  statePath?: string;
}

const STATE_PATH = '/var/lib/neutron';

/** `ssh ADDRESS 'sudo ARGV…'`, or undefined when the row names no node */
function onNode(input: NextStepInput, argv: string[]): string | undefined {
  if (!input.subject.node) return undefined;
  return `ssh ${quoteWord(input.address ?? input.subject.node)} ${quoteWord(quoteArgv(['sudo', ...argv]))}`;
}

/** `ip netns exec NS ARGV…` when the row names a namespace, else ARGV in the root namespace */
function inNamespace(subject: Subject, argv: string[]): string[] {
  return subject.namespace ? ['ip', 'netns', 'exec', subject.namespace, ...argv] : argv;
}

type StepBuilder = (input: NextStepInput) => string | undefined;

const haConf = (input: NextStepInput, file: string): string | undefined => {
  const router = routerOf(input.subject);
  return router ? onNode(input, ['cat', `${input.statePath ?? STATE_PATH}/ha_confs/${router}/${file}`]) : undefined;
};
const agentsOfRouter = (input: NextStepInput): string | undefined => {
  const router = routerOf(input.subject);
  return router ? quoteArgv(['openstack', 'network', 'agent', 'list', '--router', router, '--long']) : undefined;
};
const addresses = (input: NextStepInput): string | undefined =>
  onNode(input, inNamespace(input.subject, input.subject.device ? ['ip', '-d', 'addr', 'show', 'dev', input.subject.device] : ['ip', '-br', 'addr']));

/** one builder per check id; a check without one gets only `haprobe explain` */
const STEPS: Readonly<Record<string, StepBuilder>> = {
  'node-reachable': (i) => (i.subject.node ? `ssh -v ${quoteWord(i.address ?? i.subject.node)} sudo -n true` : undefined),
  'namespace-placement': (i) => onNode(i, ['ip', 'netns', 'list']) ?? agentsOfRouter(i),
  'device-mac': (i) =>
    i.subject.device ? onNode(i, ['ovs-vsctl', '--columns=name,mac_in_use,external_ids', 'list', 'Interface', i.subject.device]) : addresses(i),
  'fip-placement': (i) => addresses(i) ?? agentsOfRouter(i),
  'nat-rules': (i) => onNode(i, inNamespace(i.subject, ['iptables-save', '-t', 'nat'])),
  'l3ha-single-primary': (i) => (i.subject.node ? haConf(i, 'state') : agentsOfRouter(i)),
  'l3ha-vrid-unique': (i) => (i.subject.node ? haConf(i, 'keepalived.conf') : agentsOfRouter(i)),
  'keepalived-config': (i) => haConf(i, 'keepalived.conf') ?? agentsOfRouter(i),
  'dvr-snat-placement': (i) => addresses(i) ?? agentsOfRouter(i),
  'dvr-fip-namespace': (i) => addresses(i),
  'ovs-dead-vlan': (i) => (i.subject.device ? onNode(i, ['ovs-vsctl', '--columns=name,tag,external_ids', 'list', 'Port', i.subject.device]) : undefined),
  'ovs-ports': (i) => (i.subject.device ? onNode(i, ['ovs-vsctl', '--columns=name,external_ids', 'list', 'Interface', i.subject.device]) : onNode(i, ['ovs-vsctl', 'show'])),
  'ovs-antispoof': (i) => onNode(i, ['ovs-ofctl', 'dump-flows', 'br-int', 'arp']),
  // issue 12, §7 rows 13/14
  'l3ha-backup-ipv6': (i) => (i.subject.device ? onNode(i, inNamespace(i.subject, ['ip', '-6', 'addr', 'show', 'dev', i.subject.device])) : undefined),
  'ovs-tunnel-stale-mac': (i) => (i.subject.node ? onNode(i, ['ovs-ofctl', 'dump-flows', 'br-tun', 'table=20']) : agentsOfRouter(i)),
  prerequisites: (i) =>
    i.subject.namespace
      ? onNode(i, inNamespace(i.subject, ['sysctl', 'net.ipv4.ip_forward', 'net.ipv4.conf.all.arp_ignore', 'net.ipv4.conf.all.arp_announce']))
      : onNode(i, ['keepalived', '--version']),
  'upstream-neighbour': (i) =>
    i.subject.floatingIp ? onNode(i, ['ip', 'neigh', 'show', 'to', i.subject.floatingIp]) ?? quoteArgv(['haprobe', 'garp', 'verify', '--fip', i.subject.floatingIp]) : undefined,
  // --cloud: the API side of the disagreement (the node side is in the row's evidence)
  'api-dataplane-agreement': (i) =>
    agentsOfRouter(i) ?? (i.subject.floatingIp ? quoteArgv(['openstack', 'floating', 'ip', 'show', i.subject.floatingIp]) : undefined),
  // nova-network (issue 9): the bridge's addresses in order (dhcp_server first), the bound FIP, the nat table, nova.conf
  'nova-dhcp-server': (i) => addresses(i),
  'nova-floating-ip': (i) => (i.subject.floatingIp ? onNode(i, ['ip', '-o', 'addr', 'show', 'to', i.subject.floatingIp]) : undefined),
  'nova-metadata': (i) => onNode(i, ['iptables-save', '-t', 'nat']),
  // the remedy is a design decision (multi_host, a standby host, or a waiver): `haprobe explain` says it, no command does
  'nova-network-spof': () => undefined,
  'nova-send-arp-for-ha': (i) => onNode(i, ['grep', '-E', '^[[:space:]]*send_arp_for_ha', '/etc/nova/nova.conf']),
  // ML2/OVN (issue 11): the NB/SB rows are read on a central node; the subject names the router/port, not a node
  'ovn-gateway-chassis': (i) => (i.subject.port ? quoteArgv(['ovn-nbctl', 'lrp-get-gateway-chassis', i.subject.port]) : undefined),
  'ovn-cr-lrp-claim': (i) => (i.subject.port ? quoteArgv(['ovn-sbctl', 'find', 'Port_Binding', `logical_port=${i.subject.port}`]) : undefined),
  'ovn-nat-rows': (i) => (i.subject.router ? quoteArgv(['ovn-nbctl', 'lr-nat-list', i.subject.router]) : undefined),
  'ovn-garp-options': (i) => (i.subject.port ? quoteArgv(['ovn-nbctl', 'get', 'Logical_Switch_Port', i.subject.port, 'options']) : undefined),
  'ovn-bfd': (i) => onNode(i, ['ovs-appctl', 'bfd/show', ...(i.subject.device ? [i.subject.device] : [])]),
  // a missing namespace cannot be entered: the list shows what is there (and a stale one)
  'ovn-metadata-namespace': (i) => onNode(i, ['ip', 'netns', 'list']),

  // the pair member's bridge addresses (who holds the dhcp_server) and its cluster manager
  'nova-hot-standby': (i) => (i.subject.device ? addresses(i) : onNode(i, ['pgrep', '-a', '-f', 'keepalived|corosync|pacemakerd|heartbeat'])),
  // the network host's dnsmasq command line (its --conf-file), or the router's nat table (metadata forward)
  'nova-hw-gateway': (i) => (i.subject.device ? onNode(i, ['pgrep', '-a', 'dnsmasq']) : onNode(i, ['iptables-save', '-t', 'nat'])),
  // multi-NIC: the gateway host's bridges (whose dhcp_server is there), or the FIP's /32 on the network's host
  // VlanManager: the vlan device and the bridge, with -d for the 802.1Q id and the master
  'nova-vlan-bridge': (i) => addresses(i),
  // share_address: the bridge firewall where isolate_dhcp_address's rules live (or the bridge's addresses)
  'nova-dhcp-isolation': (i) => onNode(i, ['ebtables-save']),
  'nova-multinic-paths': (i) => (i.subject.floatingIp ? onNode(i, ['ip', '-4', 'addr', 'show', 'dev', 'eth0']) : addresses(i)),
  // neutron-multinic-aa (issue 9): where the routers are, one path's NAT, the guest's rules, the balancer's view
  'multinic-anti-affinity': (i) => onNode(i, ['ip', 'netns', 'list']),
  'multinic-paths': (i) => (i.subject.router ? onNode(i, ['ip', 'netns', 'exec', `qrouter-${i.subject.router}`, 'iptables-save', '-t', 'nat']) : undefined),
  'multinic-policy-routing': () => quoteArgv(['ip', 'rule', 'show']),
  'multinic-balancer': (i) => onNode(i, ['sh', '-c', 'echo "show stat" | socat stdio /run/haproxy/admin.sock']),
};

/** the command to look closer at this row, or undefined when there is none better than `haprobe explain` */
export function nextStepOf(input: NextStepInput): string | undefined {
  try {
    return STEPS[input.checkId]?.(input);
  } catch {
    // quoteArgv refuses an empty argv only; a step that cannot be built is no step
    return undefined;
  }
}

/** `haprobe explain CHECK · docs/checks.md#CHECK`: where every check's findings are explained */
export function explainPointer(checkId: string): string {
  return `haprobe explain ${quoteWord(checkId)} · docs/checks.md#${checkId}`;
}

/** check ids that have a next-step builder (for the registry test) */
export const NEXT_STEP_CHECKS: readonly string[] = Object.keys(STEPS);
