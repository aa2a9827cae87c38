import type { OutputKind } from '../collect/snapshot-from-files';

/**
 * What one saved file is, from its name: sosreport's command files (sos mangles a command into a
 * file name: `/` → `.`, every run of characters other than `\w - . /` → `_`; sos/report/plugins/
 * __init__.py `_mangle_command`), the neutron state it copies (`var/lib/neutron/ha_confs/<router>/
 * keepalived.conf|state`), and a folder of pasted outputs named by their command the same way
 * (`ip netns exec qrouter-1 ip route` saved as `ip_netns_exec_qrouter-1_ip_route`, with or without
 * a .txt/.out/.log suffix). Pure.
 *
 * Which sos writes which file (sos 4.x; older names in brackets):
 *   networking:   ip_netns · ip_-d_address [ip_address] · ip_route_show_table_all · ip_-4_rule_list
 *                 [ip_rule] · ip_-s_-s_neigh_show [ip_neigh_show] · bridge_-s_-s_-d_-t_fdb_show ·
 *                 per namespace (optionally under namespaces/<ns>/): ip_netns_exec_<ns>_ip_-d_address_show
 *                 [_ip_address_show] · _ip_route_show_table_all · _ip_-4_rule_list · _ip_-s_-s_neigh_show
 *                 · _iptables-save · _sysctl_-a
 *   firewall_tables / networking: iptables-save
 *   openvswitch:  ovs-vsctl_-t_5_show · ovs-vsctl_-t_5_list_interface · ovs-ofctl_dump-flows_<bridge>
 *                 · ovs-appctl_fdb.show_<bridge>
 *   openstack_neutron: var/lib/neutron/ha_confs/<router>/{keepalived.conf,state}
 * `preference`: lower wins when two files give the same output (sos collects `ip -d address` and
 * `ip -o addr`; only one is read).
 */
export type ExtraKind = 'ovs-fdb' | 'bridge-fdb' | 'ovs-list-interface' | 'hostname';

export interface ClassifiedFile {
  kind: OutputKind | ExtraKind;
  namespace?: string;
  bridge?: string;
  router?: string;
  table?: string;
  preference: number;
}

/** a command part (after `ip_netns_exec_<ns>_` for namespaced ones) → kind, preference */
const COMMANDS: { re: RegExp; kind: OutputKind | ExtraKind; preference: number }[] = [
  { re: /^ip_-d_addr(ess)?(_show)?$/, kind: 'ip-addr', preference: 0 },
  { re: /^ip_a(ddr(ess)?)?(_show|_list)?$/, kind: 'ip-addr', preference: 1 },
  { re: /^ip_(-4_)?r(oute)?_show_table_all$/, kind: 'ip-route', preference: 0 },
  { re: /^ip_(-4_)?r(oute)?(_show|_list)?$/, kind: 'ip-route', preference: 1 },
  { re: /^ip_-4_rule(_list|_show)?$/, kind: 'ip-rule', preference: 0 },
  { re: /^ip_ru(le)?(_list|_show)?$/, kind: 'ip-rule', preference: 1 },
  { re: /^ip_-s_-s_neigh(bour)?_show$/, kind: 'ip-neigh', preference: 0 },
  { re: /^ip_n(eigh(bour)?)?(_show|_list)?$/, kind: 'ip-neigh', preference: 1 },
  { re: /^iptables-save$/, kind: 'iptables-save', preference: 0 },
  { re: /^iptables-legacy-save$/, kind: 'iptables-save', preference: 1 },
  { re: /^sysctl_-a$/, kind: 'sysctl', preference: 0 },
];

const ROOT_ONLY: { re: RegExp; kind: OutputKind | ExtraKind; preference: number; bridge?: (m: RegExpExecArray) => string }[] = [
  { re: /^ip_netns(_list)?$/, kind: 'netns', preference: 0 },
  { re: /^ovs-vsctl(_-t_\d+)?_show$/, kind: 'ovs-vsctl-show', preference: 0 },
  { re: /^ovs-vsctl(_-t_\d+)?_list_interface$/i, kind: 'ovs-list-interface', preference: 0 },
  { re: /^ovs-ofctl_dump-flows_(.+)$/, kind: 'ovs-ofctl-dump-flows', preference: 0, bridge: (m) => m[1] },
  { re: /^ovs-appctl_fdb\.show_(.+)$/, kind: 'ovs-fdb', preference: 0, bridge: (m) => m[1] },
  { re: /^bridge_(-\w+_)*fdb_show$/, kind: 'bridge-fdb', preference: 0 },
  { re: /^hostname$/, kind: 'hostname', preference: 0 },
];

/** strip what a pasted file name may add: .txt / .out / .log; spaces and `/` as sos mangles them */
export function mangleCommandName(name: string): string {
  return name
    .replace(/\.(txt|out|log)$/i, '')
    .replace(/[^\w\-./]+/g, '_')
    .replace(/\//g, '.')
    .replace(/^[ ._-]+|[ ._-]+$/g, '');
}

export function classifyOutputFile(relPath: string): ClassifiedFile | undefined {
  const ha = /(?:^|\/)var\/lib\/neutron\/ha_confs\/([^/]+)\/(keepalived\.conf|state)$/.exec(relPath);
  if (ha) return { kind: ha[2] === 'state' ? 'keepalived-state' : 'keepalived-conf', router: ha[1], preference: 0 };
  if (/(?:^|\/)etc\/hostname$/.test(relPath)) return { kind: 'hostname', preference: 1 };
  const base = relPath.split('/').pop() ?? '';
  if (relPath.includes('/') && !/sos_commands\//.test(relPath) && base !== 'hostname') {
    // inside a sosreport only sos_commands/ holds command outputs (etc/, proc/ are copied files)
    if (/(^|\/)(etc|proc|sys|var|usr|run)\//.test(relPath)) return undefined;
  }
  const name = mangleCommandName(base);
  if (/\.\d+$/.test(name)) return undefined; // sos's name-collision copies (".1")
  const ns = /^ip_netns_exec_(.+?)_((?:ip|iptables|iptables-legacy|sysctl)(?:_|-save$|$).*)$/.exec(name);
  if (ns) {
    const hit = COMMANDS.find((c) => c.re.test(ns[2]));
    return hit ? { kind: hit.kind, namespace: ns[1], preference: hit.preference } : undefined;
  }
  for (const c of ROOT_ONLY) {
    const m = c.re.exec(name);
    if (m) return { kind: c.kind, preference: c.preference, ...(c.bridge ? { bridge: c.bridge(m) } : {}) };
  }
  const hit = COMMANDS.find((c) => c.re.test(name));
  return hit ? { kind: hit.kind, namespace: '', preference: hit.preference } : undefined;
}
