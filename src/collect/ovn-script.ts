import { quoteShell } from '../transport/quote-shell';
import { secCall, SECTION_CATALOGUE as C } from './catalogue';
import { OVN_RUN_DIRS } from './fixed-paths';

/**
 * The ML2/OVN part of the snapshot script (issue 11), run only on OVN nodes; non-OVN nodes
 * produce no new section (every line is gated). Each section's shell text is its catalogue row's:
 *   ovn-chassis     node whose Open_vSwitch has external_ids:ovn-remote (a chassis): its
 *                   external_ids and the tunnel interfaces' bfd / bfd_status (one ovs-vsctl call)
 *   ovn-controller  same nodes: `version: …` and `running: yes|no` (pid file alive)
 *   ovn-nb, ovn-sb  node where the NB / SB ovsdb unix socket is local (a central node): the tables
 *                   the OVN checks read, `--format=json --data=json`, one JSON document per table
 * ovnmeta- namespaces and their addresses come from the namespace loop of script.ts.
 * Every word here is fixed or a quoted option (the run directories), never node data.
 */

export function ovnScriptLines(runDirs: readonly string[] = OVN_RUN_DIRS): string[] {
  const dirs = runDirs.map((d) => quoteShell(d)).join(' ');
  return [
    'if [ -S /var/run/openvswitch/db.sock ] || [ -S /run/openvswitch/db.sock ]; then',
    '  OR_=$(ovs-vsctl --timeout=5 get Open_vSwitch . external_ids:ovn-remote 2>/dev/null)',
    '  if [ -n "$OR_" ]; then',
    `    ${secCall(C.ovnChassis)}`,
    `    ${secCall(C.ovnController)} ${dirs}`,
    '  fi',
    'fi',
    `for d_ in ${dirs}; do [ -S "$d_/ovnnb_db.sock" ] && { ${secCall(C.ovnNb)}; break; }; done`,
    `for d_ in ${dirs}; do [ -S "$d_/ovnsb_db.sock" ] && { ${secCall(C.ovnSb)}; break; }; done`,
  ];
}
