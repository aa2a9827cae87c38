import { quoteShell } from '../transport/quote-shell';
import { OVN_NB_TABLES } from '../parse/parse-ovn-nb';
import { OVN_SB_PORT_BINDING_COLUMNS, OVN_SB_TABLES } from '../parse/parse-ovn-sb';

/**
 * The ML2/OVN part of the snapshot script (issue 11), run only on OVN nodes; non-OVN nodes
 * produce no new section (every line is gated):
 *   ovn-chassis     node whose Open_vSwitch has external_ids:ovn-remote (a chassis): its
 *                   external_ids and the tunnel interfaces' bfd / bfd_status (one ovs-vsctl call)
 *   ovn-controller  same nodes: `version: …` and `running: yes|no` (pid file alive)
 *   ovn-nb, ovn-sb  node where the NB / SB ovsdb unix socket is local (a central node): the tables
 *                   the OVN checks read, `--format=json --data=json`, one JSON document per table
 * `--no-leader-only`: a clustered (RAFT) follower answers reads; the default would wait for the
 * leader. ovnmeta- namespaces and their addresses come from the namespace loop of script.ts.
 * Every word here is fixed or a quoted option (the run directories), never node data.
 */
export const OVN_RUN_DIRS = ['/run/ovn', '/var/run/ovn', '/var/run/openvswitch', '/usr/local/var/run/ovn', '/var/lib/openvswitch/ovn'];

const CONTROLLER_STATUS =
  'v=$(ovn-controller --version 2>/dev/null | head -n1); printf "version: %s\\n" "$v"; r=no; ' +
  'for d in "$@"; do f="$d/ovn-controller.pid"; [ -r "$f" ] || continue; p=$(cat -- "$f"); ' +
  'case $p in ""|*[!0-9]*) continue;; esac; kill -0 "$p" 2>/dev/null && r=yes; done; printf "running: %s\\n" "$r"';

function listArgs(tables: readonly string[], columns: Record<string, string[]> = {}): string {
  return tables.map((t) => (columns[t] ? `-- --columns=${columns[t].join(',')} list ${t}` : `-- list ${t}`)).join(' ');
}

export function ovnScriptLines(runDirs: readonly string[] = OVN_RUN_DIRS): string[] {
  const dirs = runDirs.map((d) => quoteShell(d)).join(' ');
  const json = '--no-leader-only --timeout=10 --format=json --data=json';
  return [
    'if [ -S /var/run/openvswitch/db.sock ] || [ -S /run/openvswitch/db.sock ]; then',
    '  OR_=$(ovs-vsctl --timeout=5 get Open_vSwitch . external_ids:ovn-remote 2>/dev/null)',
    '  if [ -n "$OR_" ]; then',
    '    sec ovn-chassis ovs-vsctl --timeout=10 --format=json --data=json -- --columns=external_ids list Open_vSwitch -- --columns=name,type,options,bfd,bfd_status list Interface',
    `    sec ovn-controller sh -c ${quoteShell(CONTROLLER_STATUS)} sh ${dirs}`,
    '  fi',
    'fi',
    `for d_ in ${dirs}; do [ -S "$d_/ovnnb_db.sock" ] && { sec ovn-nb ovn-nbctl --db="unix:$d_/ovnnb_db.sock" ${json} ${listArgs(OVN_NB_TABLES)}; break; }; done`,
    `for d_ in ${dirs}; do [ -S "$d_/ovnsb_db.sock" ] && { sec ovn-sb ovn-sbctl --db="unix:$d_/ovnsb_db.sock" ${json} ${listArgs(OVN_SB_TABLES, { Port_Binding: OVN_SB_PORT_BINDING_COLUMNS })}; break; }; done`,
  ];
}
