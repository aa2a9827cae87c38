import type { ParseResult } from '../parse/types';
import {
  parseIpNetns,
  parseIpAddr,
  parseIpAddrJson,
  parseIpRoute,
  parseIpRouteJson,
  parseIpRule,
  parseIpRuleJson,
  parseIpNeigh,
  parseIpNeighJson,
  parseIptablesSave,
  parseSysctl,
  parseOvsDbJson,
  parseOvsVsctlShow,
  parseOvsOfctlDumpFlows,
  parseKeepalivedConf,
  parseKeepalivedState,
  parseOvnNb,
  parseOvnSb,
  parseOvnChassis,
  parseOvnControllerStatus,
} from '../parse';
import { parseKeepalivedProcesses } from '../parse/parse-keepalived-procs';
import { parseDnsmasqProcesses, parseListeningSockets, parseNovaConfKeys, parseNovaOptsFiles } from '../parse/parse-nova';
import { parseHaproxyStat } from '../parse/parse-haproxy';
import { parseEbtables } from '../parse/parse-ebtables';
import { parseKeepalivedPidCheck, parseVersionLines } from '../parse/parse-script-status';
import { OVN_NB_TABLES } from '../parse/parse-ovn-nb';
import { OVN_SB_PORT_BINDING_COLUMNS, OVN_SB_TABLES } from '../parse/parse-ovn-sb';
import { quoteShell } from '../transport/quote-shell';
import { HAPROXY_ADMIN_SOCKET, NOVA_CONF_KEYS, NOVA_NETWORKS_PATH } from './fixed-paths';

/**
 * THE SECTION CATALOGUE (issue 14): one row per command haprobe collects on a node — its section
 * key, the shell text the snapshot script runs for it, the parser of its output, where the value
 * lands in the model, the evidence key the checks ask for, and the saved-output kind and sosreport /
 * pasted-output file names that stand for it offline. Read by:
 *   script.ts (the shell text), snapshot.ts (key → parser), snapshot-from-files.ts (saved kind →
 *   key), analyze/classify-output-file.ts (file names → kind), collected.ts / checks/lib/evidence.ts
 *   (evidence keys and their words).
 * The control flow of the script (loops over namespaces, bridges, routers; the gates on OVS and
 * ha_confs) stays in script.ts: a row says WHAT one section runs, not when.
 *
 * The nova-network, OVN and multi-NIC rows carry their shell text too; their script files
 * (nova-script.ts, ovn-script.ts, multinic-script.ts, `builtBy`) only add the gates and loops that
 * say where they run (a nova host, a chassis, a central node, each lab instance).
 */

type Parse<T> = (text: string) => ParseResult<T>;

/** `ip -j …` output when it starts like JSON, else the text form. */
function jsonOrText<T>(json: Parse<T>, text: Parse<T>): Parse<T> {
  return (t) => (/^\s*[[{]/.test(t) ? json(t) : text(t));
}

/**
 * What a saved command output is (snapshot-from-files.ts). The kinds the live script also collects
 * stand for a section of the catalogue (`saved` of its row); iptables -S / -L and `ip route show
 * table N` have their own parsers and land in the same model (OFFLINE_OUTPUTS).
 */
export type OutputKind =
  | 'netns'
  | 'ip-addr'
  | 'ip-route'
  | 'ip-rule'
  | 'ip-neigh'
  | 'iptables-save'
  | 'iptables-S'
  | 'iptables-L'
  | 'sysctl'
  | 'ovs-vsctl-show'
  | 'ovs-ofctl-dump-flows'
  | 'keepalived-conf'
  | 'keepalived-state';

/** outputs a sosreport has that are no section of the live script (`where` and OVS completion read them) */
export type ExtraKind = 'ovs-fdb' | 'bridge-fdb' | 'ovs-list-interface' | 'hostname';

/** how a section key is formed: `key` alone, or `key:<namespace|bridge|router|instance>` ("" = root namespace) */
export type SectionScope = 'node' | 'namespace' | 'bridge' | 'router' | 'instance';

/** a file name (sos-mangled command, see classify-output-file.ts) that holds this output; lower preference wins */
export interface FileName {
  re: RegExp;
  preference: number;
}

export interface SectionRow {
  /** the section key, or the part before `:` of a scoped one */
  key: string;
  scope: SectionScope;
  /** the command after `sec <key>` in script.ts (fixed words, quoted positional parameters); absent: built by `builtBy` */
  shell?: string;
  /** the script file that emits it (script.ts for every row with `shell`) */
  builtBy: 'script.ts' | 'nova-script.ts' | 'ovn-script.ts' | 'multinic-script.ts';
  /** the parser of its output (absent only for a section that `expandsTo` others) */
  parse?: Parse<unknown>;
  /** one command printing several sections' outputs, split by sections.ts expandSections */
  expandsTo?: readonly string[];
  /** where the value lands in NodeSnapshot */
  slot: string;
  /** the evidence key a check asks for (evidenceFor, wasCollected); `<x>` = the scope value */
  evidence: string;
  /** the word a skip names it by ("no address evidence for net1/qrouter-…") */
  words?: string;
  /** a gateway node is read root-only: no such section there */
  skippedOnGateway?: boolean;
  /** the saved-output kind that stands for it offline */
  saved?: OutputKind;
  /** sosreport / pasted file names of its command (root only unless `namespaced`) */
  files?: readonly FileName[];
  /** its file names also appear as `ip_netns_exec_<ns>_<name>` */
  namespaced?: boolean;
  /** a file sos copies (rather than a command output): var/lib/neutron/ha_confs/<router>/<copied> */
  copied?: string;
}

/** a /proc walk printing `@pid N` and the argv (one word a line) of every process whose argv[0] matches the case pattern */
function procArgvLoop(pattern: string): string {
  return `'for d in /proc/[0-9]*; do a=$( { tr "\\000" "\\n" < "$d/cmdline"; } 2>/dev/null) || continue; ` +
    `case $(printf "%s\\n" "$a" | head -n1) in ${pattern}) printf "@pid %s\\n%s\\n" "\${d#/proc/}" "$a";; esac; done; true'`;
}

/** ovn-controller's version and whether its pid file (in any of the run directories, "$@") names a live process */
const OVN_CONTROLLER_STATUS =
  'v=$(ovn-controller --version 2>/dev/null | head -n1); printf "version: %s\\n" "$v"; r=no; ' +
  'for d in "$@"; do f="$d/ovn-controller.pid"; [ -r "$f" ] || continue; p=$(cat -- "$f"); ' +
  'case $p in ""|*[!0-9]*) continue;; esac; kill -0 "$p" 2>/dev/null && r=yes; done; printf "running: %s\\n" "$r"';

/** `--no-leader-only`: a clustered (RAFT) follower answers reads; the default would wait for the leader */
const OVN_JSON = '--no-leader-only --timeout=10 --format=json --data=json';

/** `-- list T` per table, `-- --columns=… list T` where only some columns are read */
function listArgs(tables: readonly string[], columns: Record<string, string[]> = {}): string {
  return tables.map((t) => (columns[t] ? `-- --columns=${columns[t].join(',')} list ${t}` : `-- list ${t}`)).join(' ');
}

/** The catalogue, by row name. `satisfies` keeps each parser's own type for snapshot.ts. */
export const SECTION_CATALOGUE = {
  versions: {
    key: 'versions', scope: 'node', shell: 'sh -c "$VB"', builtBy: 'script.ts', parse: parseVersionLines,
    slot: 'NodeSnapshot.versions', evidence: 'versions',
  },
  netns: {
    key: 'netns', scope: 'node', shell: 'ip netns list', builtBy: 'script.ts', parse: parseIpNetns,
    slot: 'NodeSnapshot.namespaces (names)', evidence: 'netns', skippedOnGateway: true,
    saved: 'netns', files: [{ re: /^ip_netns(_list)?$/, preference: 0 }],
  },
  addr: {
    key: 'addr', scope: 'namespace', shell: 'ip $J -d addr show', builtBy: 'script.ts', parse: jsonOrText(parseIpAddrJson, parseIpAddr),
    slot: 'NamespaceSnapshot.devices', evidence: 'addr:<ns>', words: 'address', saved: 'ip-addr', namespaced: true,
    files: [{ re: /^ip_-d_addr(ess)?(_show)?$/, preference: 0 }, { re: /^ip_a(ddr(ess)?)?(_show|_list)?$/, preference: 1 }],
  },
  route: {
    key: 'route', scope: 'namespace', shell: 'ip $J route show table all', builtBy: 'script.ts', parse: jsonOrText(parseIpRouteJson, parseIpRoute),
    slot: 'NamespaceSnapshot.routes', evidence: 'route:<ns>', words: 'route', saved: 'ip-route', namespaced: true,
    files: [{ re: /^ip_(-4_)?r(oute)?_show_table_all$/, preference: 0 }, { re: /^ip_(-4_)?r(oute)?(_show|_list)?$/, preference: 1 }],
  },
  rule: {
    key: 'rule', scope: 'namespace', shell: 'ip $J rule show', builtBy: 'script.ts', parse: jsonOrText(parseIpRuleJson, parseIpRule),
    slot: 'NamespaceSnapshot.rules', evidence: 'rule:<ns>', words: 'rule', saved: 'ip-rule', namespaced: true,
    files: [{ re: /^ip_-4_rule(_list|_show)?$/, preference: 0 }, { re: /^ip_ru(le)?(_list|_show)?$/, preference: 1 }],
  },
  neigh: {
    key: 'neigh', scope: 'namespace', shell: 'ip $J neigh show', builtBy: 'script.ts', parse: jsonOrText(parseIpNeighJson, parseIpNeigh),
    slot: 'NamespaceSnapshot.neighbours', evidence: 'neigh:<ns>', words: 'neighbour', saved: 'ip-neigh', namespaced: true,
    files: [{ re: /^ip_-s_-s_neigh(bour)?_show$/, preference: 0 }, { re: /^ip_n(eigh(bour)?)?(_show|_list)?$/, preference: 1 }],
  },
  iptables: {
    key: 'iptables', scope: 'namespace', shell: 'iptables-save', builtBy: 'script.ts', parse: parseIptablesSave,
    slot: 'NamespaceSnapshot.iptables', evidence: 'iptables:<ns>', words: 'iptables', skippedOnGateway: true, saved: 'iptables-save', namespaced: true,
    files: [{ re: /^iptables-save$/, preference: 0 }, { re: /^iptables-legacy-save$/, preference: 1 }],
  },
  sysctl: {
    key: 'sysctl', scope: 'namespace', shell: 'sy', builtBy: 'script.ts', parse: parseSysctl,
    slot: 'NamespaceSnapshot.sysctls', evidence: 'sysctl:<ns>', words: 'sysctl', saved: 'sysctl', namespaced: true,
    files: [{ re: /^sysctl_-a$/, preference: 0 }],
  },
  ovsdb: {
    key: 'ovsdb', scope: 'node', builtBy: 'script.ts',
    shell: '$V --format=json --data=json' +
      ' -- --columns=_uuid,name,datapath_type,fail_mode,ports list Bridge' +
      ' -- --columns=_uuid,name,tag,trunks,interfaces list Port' +
      ' -- --columns=_uuid,name,type,ofport,mac_in_use,external_ids,options,error list Interface',
    expandsTo: ['ovsdb-bridge', 'ovsdb-port', 'ovsdb-interface'], skippedOnGateway: true,
    slot: 'NodeSnapshot.ovs (through ovsdb-bridge/-port/-interface)', evidence: 'ovs-vsctl',
  },
  /** the three tables of `ovsdb` parse together (parseOvsDbJson(bridge, port, interface)): the parser is on ovsdbTables */
  ovsdbBridge: { key: 'ovsdb-bridge', scope: 'node', builtBy: 'script.ts', slot: 'NodeSnapshot.ovs', evidence: 'ovsdb-bridge' },
  ovsdbPort: { key: 'ovsdb-port', scope: 'node', builtBy: 'script.ts', slot: 'NodeSnapshot.ovs', evidence: 'ovsdb-port' },
  ovsdbInterface: { key: 'ovsdb-interface', scope: 'node', builtBy: 'script.ts', slot: 'NodeSnapshot.ovs (external_ids, ofport, MACs)', evidence: 'ovs-vsctl' },
  ovsShow: {
    key: 'ovs-show', scope: 'node', shell: '$V show', builtBy: 'script.ts', parse: parseOvsVsctlShow,
    slot: 'NodeSnapshot.ovs (when the OVSDB call fails: old OVS)', evidence: 'ovs-vsctl', skippedOnGateway: true,
    saved: 'ovs-vsctl-show', files: [{ re: /^ovs-vsctl(_-t_\d+)?_show$/, preference: 0 }],
  },
  flows: {
    key: 'flows', scope: 'bridge', shell: 'ovs-ofctl dump-flows -- "$br" </dev/null', builtBy: 'script.ts', parse: parseOvsOfctlDumpFlows,
    slot: 'NodeSnapshot.flows[bridge]', evidence: 'flows:<bridge>', skippedOnGateway: true,
    saved: 'ovs-ofctl-dump-flows', files: [{ re: /^ovs-ofctl_dump-flows_(.+)$/, preference: 0 }],
  },
  keepalivedProcs: {
    key: 'keepalived-procs', scope: 'node', shell: 'kprocs', builtBy: 'script.ts', parse: parseKeepalivedProcesses,
    slot: 'HaRouterState.keepalivedProcesses', evidence: 'keepalived-procs', skippedOnGateway: true,
  },
  keepalivedConf: {
    key: 'keepalived-conf', scope: 'router', shell: 'cat -- "$d/keepalived.conf"', builtBy: 'script.ts', parse: parseKeepalivedConf,
    slot: 'HaRouterState.config', evidence: 'keepalived:<router>', skippedOnGateway: true, saved: 'keepalived-conf', copied: 'keepalived.conf',
  },
  keepalivedState: {
    key: 'keepalived-state', scope: 'router', shell: 'cat -- "$d/state"', builtBy: 'script.ts', parse: parseKeepalivedState,
    slot: 'HaRouterState.state', evidence: 'keepalived-state:<router>', skippedOnGateway: true, saved: 'keepalived-state', copied: 'state',
  },
  keepalivedPid: {
    key: 'keepalived-pid', scope: 'router', shell: 'pidcheck "$r" "$SP/ha_confs/$r.pid.keepalived" "$d/keepalived.pid"', builtBy: 'script.ts',
    parse: parseKeepalivedPidCheck, slot: 'HaRouterState.keepalivedRunning / keepalivedDetail', evidence: 'keepalived-pid:<router>', skippedOnGateway: true,
  },
  // issue 9: nova-network (nova-script.ts gates them on a nova host, nova-snapshot.ts reads them)
  novaDnsmasq: {
    key: 'nova-dnsmasq', scope: 'node', shell: `sh -c ${procArgvLoop('*dnsmasq')}`, builtBy: 'nova-script.ts', parse: parseDnsmasqProcesses,
    slot: 'NovaNodeState.dnsmasq', evidence: 'nova-dnsmasq',
  },
  novaOpts: {
    key: 'nova-opts', scope: 'node', builtBy: 'nova-script.ts', parse: parseNovaOptsFiles, slot: 'NovaNodeState.optsFiles', evidence: 'nova-opts',
    shell: `sh -c 'for f in ${NOVA_NETWORKS_PATH}/nova-*.opts; do [ -f "$f" ] && { printf "@file %s\\n" "$f"; cat -- "$f"; echo; }; done; true'`,
  },
  novaListen: { key: 'nova-listen', scope: 'node', shell: 'ss -Hltn', builtBy: 'nova-script.ts', parse: parseListeningSockets, slot: 'NovaNodeState.listeners', evidence: 'nova-listen' },
  novaHa: {
    key: 'nova-ha', scope: 'node', shell: `sh -c ${procArgvLoop('*keepalived|*corosync|*pacemakerd|*heartbeat')}`, builtBy: 'nova-script.ts', parse: parseDnsmasqProcesses,
    slot: 'NovaNodeState.clusterManager', evidence: 'nova-ha',
  },
  novaDnsmasqConf: {
    key: 'nova-dnsmasq-conf', scope: 'node', builtBy: 'nova-script.ts', parse: parseNovaOptsFiles, slot: 'NovaNodeState.dnsmasqConfFiles', evidence: 'nova-dnsmasq-conf',
    shell: "sh -c 'for d in /proc/[0-9]*; do a=$( { tr \"\\000\" \"\\n\" < \"$d/cmdline\"; } 2>/dev/null) || continue; " +
      'case $(printf "%s\\n" "$a" | head -n1) in *dnsmasq) printf "%s\\n" "$a" | sed -n "s/^--conf-file=//p";; esac; done | sort -u | ' +
      'while IFS= read -r f; do [ -n "$f" ] && [ -f "$f" ] && { printf "@file %s\\n" "$f"; grep -E "^[[:space:]]*dhcp-option" -- "$f"; echo; }; done; true\'',
  },
  novaEbtables: {
    key: 'nova-ebtables', scope: 'node', shell: "sh -c 'ebtables-save 2>/dev/null || ebtables -t filter -L'", builtBy: 'nova-script.ts', parse: parseEbtables,
    slot: 'NovaNodeState.ebtables', evidence: 'nova-ebtables',
  },
  novaConf: {
    key: 'nova-conf', scope: 'node', builtBy: 'nova-script.ts', parse: parseNovaConfKeys, slot: 'NovaNodeState.conf', evidence: 'nova-conf',
    shell: `sh -c '[ -f /etc/nova/nova.conf ] && grep -hE "^[[:space:]]*(${NOVA_CONF_KEYS.join('|')})[[:space:]]*=" /etc/nova/nova.conf; true'`,
  },
  // issue 11: ML2/OVN (ovn-script.ts gates them on a chassis / a central node, ovn-snapshot.ts reads them)
  ovnChassis: {
    key: 'ovn-chassis', scope: 'node', builtBy: 'ovn-script.ts', parse: parseOvnChassis, slot: 'OvnNodeState.local', evidence: 'ovn-chassis',
    shell: 'ovs-vsctl --timeout=10 --format=json --data=json -- --columns=external_ids list Open_vSwitch -- --columns=name,type,options,bfd,bfd_status list Interface',
  },
  /** the run directories follow as arguments (ovn-script.ts appends them, quoted) */
  ovnController: {
    key: 'ovn-controller', scope: 'node', shell: `sh -c ${quoteShell(OVN_CONTROLLER_STATUS)} sh`, builtBy: 'ovn-script.ts', parse: parseOvnControllerStatus,
    slot: 'OvnNodeState.version / controllerRunning', evidence: 'ovn-controller',
  },
  /** `$d_`: the run directory whose NB socket exists (ovn-script.ts loops over them) */
  ovnNb: {
    key: 'ovn-nb', scope: 'node', shell: `ovn-nbctl --db="unix:$d_/ovnnb_db.sock" ${OVN_JSON} ${listArgs(OVN_NB_TABLES)}`, builtBy: 'ovn-script.ts', parse: parseOvnNb,
    slot: 'OvnNodeState.nb', evidence: 'ovn-nb',
  },
  ovnSb: {
    key: 'ovn-sb', scope: 'node', shell: `ovn-sbctl --db="unix:$d_/ovnsb_db.sock" ${OVN_JSON} ${listArgs(OVN_SB_TABLES, { Port_Binding: OVN_SB_PORT_BINDING_COLUMNS })}`,
    builtBy: 'ovn-script.ts', parse: parseOvnSb, slot: 'OvnNodeState.sb', evidence: 'ovn-sb',
  },
  // issue 9: neutron-multinic-aa (multinic-script.ts gates haproxy-stat on its socket and loops over the lab's instances: `$f` their netns file)
  haproxyStat: {
    key: 'haproxy-stat', scope: 'node', shell: `sh -c 'echo "show stat" | socat stdio ${HAPROXY_ADMIN_SOCKET}'`, builtBy: 'multinic-script.ts', parse: parseHaproxyStat,
    slot: 'MultiNicState.haproxyStat', evidence: 'haproxy-stat',
  },
  vmRule: {
    key: 'vm-rule', scope: 'instance', shell: 'nsenter --net="$f" ip $J rule show </dev/null', builtBy: 'multinic-script.ts', parse: jsonOrText(parseIpRuleJson, parseIpRule),
    slot: 'MultiNicState.instances[vm].rules', evidence: 'vm-rule:<vm>',
  },
  vmRoute: {
    key: 'vm-route', scope: 'instance', shell: 'nsenter --net="$f" ip $J route show table all </dev/null', builtBy: 'multinic-script.ts', parse: jsonOrText(parseIpRouteJson, parseIpRoute),
    slot: 'MultiNicState.instances[vm].routes', evidence: 'vm-route:<vm>',
  },
} as const satisfies Record<string, SectionRow>;

export type SectionRowName = keyof typeof SECTION_CATALOGUE;

/** the OVSDB tables of `ovsdb`, in the order the one ovs-vsctl call lists them, and their joint parser */
export const OVSDB_TABLE_KEYS = SECTION_CATALOGUE.ovsdb.expandsTo;
export const parseOvsdbTables = parseOvsDbJson;

/** every row, in catalogue order */
export const SECTION_ROWS: readonly SectionRow[] = Object.values(SECTION_CATALOGUE);

/** the per-namespace rows, in the order nsdump reads them */
export const NAMESPACE_ROWS: readonly SectionRow[] = SECTION_ROWS.filter((r) => r.scope === 'namespace');

/** the section key of a row: `versions`, `addr:qrouter-1`, `addr:` (root namespace) */
export function sectionKeyOf(row: Pick<SectionRow, 'key' | 'scope'>, scopeValue = ''): string {
  return row.scope === 'node' ? row.key : `${row.key}:${scopeValue}`;
}

/** the row a section key belongs to (`addr:qrouter-1` → addr); undefined for a key no row names */
export function rowOfKey(key: string): SectionRow | undefined {
  const colon = key.indexOf(':');
  const head = colon < 0 ? key : key.slice(0, colon);
  return SECTION_ROWS.find((r) => r.key === head && (colon < 0) === (r.scope === 'node'));
}

/** the row a saved-output kind stands for */
export function rowOfSavedKind(kind: OutputKind): SectionRow | undefined {
  return SECTION_ROWS.find((r) => r.saved === kind);
}

/**
 * `sec <key> <shell>` for a row in script.ts: a scoped key takes its value from the shell variable
 * `scopeVar` and travels double-quoted, as one word (a namespace name is node data, issue 8).
 */
export function secCall(row: SectionRow, scopeVar?: string): string {
  if (row.shell === undefined) throw new Error(`section ${row.key} is built by ${row.builtBy}, not script.ts`);
  const key = row.scope === 'node' ? row.key : `"${row.key}:$${scopeVar}"`;
  return `sec ${key} ${row.shell}`;
}

/**
 * Outputs a sosreport or an operator has that no live section prints, and what each stands for:
 * the same model slots and evidence keys, read by their own parsers (snapshot-from-files.ts,
 * analyze/build-collections.ts, where/).
 */
export const OFFLINE_OUTPUTS: readonly { kind: OutputKind | ExtraKind; standsFor?: string; files?: readonly FileName[]; scope?: 'bridge'; reader: string }[] = [
  { kind: 'iptables-S', standsFor: 'iptables:<ns>', reader: 'parseIptablesS (replay manifests)' },
  { kind: 'iptables-L', standsFor: 'iptables:<ns>', reader: 'parseIptablesList (replay manifests)' },
  { kind: 'ip-route', standsFor: 'route:<ns>', reader: 'parseIpRoute of `ip route show table N` (a table, not table all)' },
  { kind: 'ovs-list-interface', standsFor: 'ovsdb-interface', files: [{ re: /^ovs-vsctl(_-t_\d+)?_list_interface$/i, preference: 0 }], reader: 'parseOvsListInterface: completes ovs-vsctl show' },
  { kind: 'ovs-fdb', files: [{ re: /^ovs-appctl_fdb\.show_(.+)$/, preference: 0 }], scope: 'bridge', reader: 'where: OVS MAC learning table per bridge' },
  { kind: 'bridge-fdb', files: [{ re: /^bridge_(-\w+_)*fdb_show$/, preference: 0 }], reader: 'where: bridge FDB' },
  { kind: 'hostname', files: [{ re: /^hostname$/, preference: 0 }], reader: 'analyze: the node name' },
];
