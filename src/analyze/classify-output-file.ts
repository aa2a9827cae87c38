import { OFFLINE_OUTPUTS, SECTION_ROWS, type ExtraKind, type FileName, type OutputKind } from '../collect/catalogue';

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
 * The names themselves are the `files` of the section catalogue's rows (collect/catalogue.ts) and of
 * its OFFLINE_OUTPUTS: one table says which file stands for which section.
 */
export type { ExtraKind };

export interface ClassifiedFile {
  kind: OutputKind | ExtraKind;
  namespace?: string;
  bridge?: string;
  router?: string;
  table?: string;
  preference: number;
}

type NamedFile = FileName & { kind: OutputKind | ExtraKind; bridge?: (m: RegExpExecArray) => string };

/** file names of one catalogue row or offline output, with its kind; a per-bridge one captures the bridge */
function namesOf(kind: OutputKind | ExtraKind, files: readonly FileName[] | undefined, perBridge: boolean): NamedFile[] {
  return (files ?? []).map((f) => ({ ...f, kind, ...(perBridge ? { bridge: (m: RegExpExecArray) => m[1] } : {}) }));
}

/** a command part (after `ip_netns_exec_<ns>_` for namespaced ones) → kind, preference */
const COMMANDS: NamedFile[] = SECTION_ROWS.filter((r) => r.namespaced && r.saved).flatMap((r) => namesOf(r.saved!, r.files, false));

/** commands of the root namespace only: node-wide sections, per-bridge ones, and what sos has that no section is */
const ROOT_ONLY: NamedFile[] = [
  ...SECTION_ROWS.filter((r) => !r.namespaced && r.saved).flatMap((r) => namesOf(r.saved!, r.files, r.scope === 'bridge')),
  ...OFFLINE_OUTPUTS.flatMap((o) => namesOf(o.kind, o.files, o.scope === 'bridge')),
];

/** the neutron state files sos copies, per HA router: the catalogue rows with `copied` */
const COPIED = SECTION_ROWS.filter((r) => r.copied !== undefined && r.saved !== undefined);
const HA_CONFS_FILE = new RegExp(`(?:^|/)var/lib/neutron/ha_confs/([^/]+)/(${COPIED.map((r) => r.copied!.replace(/\./g, '\\.')).join('|')})$`);

/** strip what a pasted file name may add: .txt / .out / .log; spaces and `/` as sos mangles them */
export function mangleCommandName(name: string): string {
  return name
    .replace(/\.(txt|out|log)$/i, '')
    .replace(/[^\w\-./]+/g, '_')
    .replace(/\//g, '.')
    .replace(/^[ ._-]+|[ ._-]+$/g, '');
}

export function classifyOutputFile(relPath: string): ClassifiedFile | undefined {
  const ha = HA_CONFS_FILE.exec(relPath);
  if (ha) return { kind: COPIED.find((r) => r.copied === ha[2])!.saved!, router: ha[1], preference: 0 };
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
