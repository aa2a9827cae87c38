import { quoteShell } from '../transport/quote-shell';
import { novaScriptLines } from './nova-script';
import { ovnScriptLines } from './ovn-script';
import { multiNicScriptLines } from './multinic-script';
import { NAMESPACE_ROWS, SECTION_CATALOGUE as C, secCall } from './catalogue';

/**
 * The batched snapshot script: ONE shell script per node, sent on standard input of a single
 * exec, so collection costs one round trip per node however many namespaces it has.
 *
 * What each section runs, parses into and stands for offline is one row of catalogue.ts; this file
 * is the control flow around those rows (loops, gates, fallbacks).
 * Output contract: every section is framed by marker lines
 *   @@HP>key            (begin)
 *   …command output (stdout and stderr)…
 *   @@HP<key rc         (end, with the command's exit status)
 * Keys: versions, netns, addr:<ns>, route:<ns>, rule:<ns>, neigh:<ns>, iptables:<ns>,
 * sysctl:<ns> ("" = root namespace), ovs-show, ovsdb-bridge, ovsdb-port, ovsdb-interface,
 * flows:<bridge>, keepalived-conf:<router>, keepalived-state:<router>, keepalived-pid:<router>,
 * keepalived-procs (every keepalived process: /proc stat and argv).
 * ip -j is used where iproute2 supports it; the parser detects JSON vs text per section.
 */
export const SECTION_BEGIN = '@@HP>';
export const SECTION_END = '@@HP<';

export interface ScriptOptions {
  /** neutron state_path; ha_confs lives below it (default /var/lib/neutron) */
  statePath?: string;
  /** skip OVS, namespaces and keepalived (role gateway: only the root namespace) */
  rootOnly?: boolean;
  /** never use `ip -j` (what happens by itself on iproute2 too old for JSON) */
  textOnly?: boolean;
  /** where the OVN NB/SB sockets and ovn-controller's pid file are looked for (default OVN_RUN_DIRS) */
  ovnRunDirs?: string[];
}

/**
 * issue 12, §7 row 13 (lp#1859832): IPv6 on the shared-MAC devices of a router namespace; a backup's
 * qg-/qr- with IPv6 live and addr_gen_mode≠1 sends DAD/MLD from the gateway MAC (l3ha-backup-ipv6)
 */
const IPV6_DEVICE_SYSCTLS = ['qg-*', 'qr-*']
  .flatMap((d) => ['disable_ipv6', 'addr_gen_mode'].map((k) => `/proc/sys/net/ipv6/conf/${d}/${k}`))
  .join(' ');

const SYSCTL_KEYS = [
  'net/ipv4/ip_forward',
  'net/ipv4/ip_nonlocal_bind',
  'net/ipv4/conf/all/arp_ignore',
  'net/ipv4/conf/all/arp_announce',
  'net/ipv4/conf/all/arp_accept',
  'net/ipv4/conf/all/send_redirects',
  'net/ipv6/conf/all/forwarding',
  'net/netfilter/nf_conntrack_tcp_be_liberal',
];

/**
 * Shell functions every namespace's dump uses; defined in the outer shell and again in each
 * `ip netns exec … sh -c` (a new shell). Version 2 (issue 10), parsed exactly as the frozen v1
 * (test/collect/frozen/script-v1.ts; lab differential test script-v2.lab.test.ts):
 * - sec returns its command's status (the fallbacks below need it);
 * - sy: the sysctls of the namespace in ONE grep (v1 forked cat, echo and tr per file), turned into
 *   `key = value` lines by sed (slashes of the path become dots, as `sysctl -a` prints them);
 * - nsdump: every read of a namespace, run INSIDE it: one `ip netns exec` per namespace instead of
 *   one per command (each remounts /sys and forks twice).
 */
function buildDefinitions(opts: ScriptOptions): string {
  const sysctlFiles = SYSCTL_KEYS.map((k) => `/proc/sys/${k}`).join(' ');
  return [
    `sec() { k=$1; shift; printf '\\n${SECTION_BEGIN}%s\\n' "$k"; "$@" 2>&1; r_=$?; printf '\\n${SECTION_END}%s %d\\n' "$k" $r_; return $r_; }`,
    `sy() { grep -H '' ${sysctlFiles} /proc/sys/net/ipv4/conf/*/proxy_arp /proc/sys/net/ipv4/neigh/fg-*/proxy_delay ${IPV6_DEVICE_SYSCTLS} 2>/dev/null | ` +
      `sed -e 's|^/proc/sys/||' -e ':a' -e 's|^\\([^:]*\\)/|\\1.|' -e 'ta' -e 's|:| = |'; true; }`,
    'nsdump() { n=$1',
    // the per-namespace rows of the catalogue, in its order; a gateway node (rootOnly) skips iptables
    ...NAMESPACE_ROWS.filter((row) => !(opts.rootOnly && row.skippedOnGateway)).map((row) => `  ${secCall(row, 'n')}`),
    '  true',
    '}',
  ].join('\n');
}

/**
 * The whole `sh -s` script. Versions are read with one fork per tool (first line kept by the shell,
 * not by `head`); kernel and hostname come from /proc. OVSDB tables come from ONE ovs-vsctl call
 * (section `ovsdb`, one JSON document per table, split into ovsdb-bridge/-port/-interface by
 * expandSections); `ovs-vsctl show` is read only when that call fails (old OVS), as v1's fallback.
 */
export function buildSnapshotScript(opts: ScriptOptions = {}): string {
  const statePath = opts.statePath ?? '/var/lib/neutron';
  const defs = buildDefinitions(opts);
  const first = (label: string, cmd: string): string => `v_=$(${cmd}); printf "${label}: %s\\n" "\${v_%%"$NL"*}"; `;
  const versionsBody =
    first('keepalived', 'keepalived --version 2>&1') +
    first('arping', 'arping -V 2>&1') +
    first('iproute2', 'ip -V 2>&1') +
    first('iptables', 'iptables --version 2>&1') +
    first('ovs', 'ovs-vsctl --version 2>/dev/null') +
    first('tcpdump', 'tcpdump --version 2>&1') +
    'read -r v_ </proc/sys/kernel/osrelease; printf "kernel: %s\\n" "$v_"; ' +
    // containerised agents (kolla, TripleO) run keepalived/arping/iptables in containers: name them
    'printf "containers: %s\\n" "$( { docker ps --format "{{.Names}}" 2>/dev/null; podman ps --format "{{.Names}}" 2>/dev/null; } | grep -iE "neutron|keepalived|ovn" | tr "\\n" " ")"; ' +
    'read -r v_ </proc/sys/kernel/hostname; printf "hostname: %s\\n" "$v_"';
  const lines = [
    'export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `D=${quoteShell(defs)}`,
    'eval "$D"',
    opts.textOnly ? 'J=' : 'J=; ip -j link show lo >/dev/null 2>&1 && J=-j',
    // NL (a newline) comes from the environment: a newline in VB would shift the line number of
    // "sh: 1: x: not found", which the versions section reports as it is
    "NL='\n'; export J NL",
    // in its own `sh -c` as in v1: a missing tool's "sh: 1: x: not found" must read the same
    `VB=${quoteShell(versionsBody)}`,
    secCall(C.versions),
    'nsdump ""',
  ];
  if (!opts.rootOnly) {
    lines.push(
      secCall(C.netns),
      // a namespace can vanish between listing and reading: then `ip netns exec` cannot enter it and
      // its addr section is the failed `ip netns exec` itself (the same error text v1 had, issue 8)
      // a namespace name is node data (it may be `*` or `$(…)`): it only ever travels as one quoted
      // positional parameter, never through a variable expanded unquoted (issue 8)
      // read line by line, not `for ns in $(…)`: that would split and glob-expand the names
      'ip netns list 2>/dev/null | cut -d" " -f1 | while IFS= read -r ns; do [ -n "$ns" ] || continue',
      '  ip netns exec "$ns" sh -c "$D"\'',
      `nsdump "$1"' sh "$ns" </dev/null 2>/dev/null || sec "${C.addr.key}:$ns" ip netns exec "$ns" true </dev/null`,
      'done',
      'if [ -S /var/run/openvswitch/db.sock ] || [ -S /run/openvswitch/db.sock ]; then',
      '  V="ovs-vsctl --timeout=10"',
      `  ${secCall(C.ovsdb)} || ${secCall(C.ovsShow)}`,
      `  $V list-br | while IFS= read -r br; do [ -n "$br" ] && ${secCall(C.flows, 'br')}; done`,
      'fi',
      `SP=${quoteShell(statePath)}`,
      // keepalived pid files: neutron's <ha_confs>/<router>.pid.keepalived, or one inside the router dir
      // (a pid file holding `-1` would make `kill -0` answer for every process: plain pids only).
      // issue 12: a live pid counts only when it is not a zombie or stopped (Z/T/X: no adverts) and its
      // command line is THIS router's keepalived (`-f <ha_confs>/<router>/keepalived.conf`, what
      // neutron's ProcessManager.active tests: the router id in /proc/<pid>/cmdline) — a pid file left
      // by a killed keepalived can name a reused pid, even another router's keepalived. The VRRP child
      // (`-r <pid file>-vrrp`) is judged the same way when its pid file exists: a parent without a
      // live VRRP child sends no adverts.
      'kalive() { kill -0 "$1" 2>/dev/null || { echo "no such process"; return 1; }; ' +
        's=$(sed -n "s/^State:[[:space:]]*\\([A-Za-z]\\).*/\\1/p" /proc/$1/status 2>/dev/null); case $s in Z|T|t|X) echo "$(cat /proc/$1/comm 2>/dev/null) in state $s"; return 1;; esac; ' +
        'c=$(tr "\\0" " " < /proc/$1/cmdline 2>/dev/null); case $c in *keepalived*"/$2/keepalived.conf"*) return 0;; *keepalived*) echo "is a keepalived of another configuration: $c"; return 1;; esac; ' +
        'echo "is $(cat /proc/$1/comm 2>/dev/null), not keepalived"; return 1; }',
      'pidcheck() { rk_=$1; shift; for f in "$@"; do [ -r "$f" ] && p=$(cat -- "$f") || continue; case $p in ""|*[!0-9]*) continue;; esac; ' +
        'w=$(kalive "$p" "$rk_") || { echo "pid $p of $f: $w"; continue; }; ' +
        'if [ -r "$f-vrrp" ] && v=$(cat -- "$f-vrrp") && case $v in ""|*[!0-9]*) false;; *) true;; esac; then ' +
        'w=$(kalive "$v" "$rk_") || { echo "vrrp child pid $v of $f-vrrp: $w"; continue; }; echo "vrrp $v"; fi; ' +
        'echo "running $p"; return 0; done; return 1; }',
      // every keepalived process of the node, once: `@stat <.../stat>` then its argv, one word a line
      // (only when an ha_confs directory has a router; builtins only for processes that are not keepalived)
      'kprocs() { for d in /proc/[0-9]*; do { read -r n_ <"$d/comm"; } 2>/dev/null || continue; case $n_ in keepalived*) ;; *) continue;; esac; ' +
        '{ read -r t_ <"$d/stat"; } 2>/dev/null || continue; printf "@stat %s\\n" "$t_"; tr "\\000" "\\n" <"$d/cmdline" 2>/dev/null; echo; done; true; }',
      `for d in "$SP"/ha_confs/*/; do [ -d "$d" ] && { ${secCall(C.keepalivedProcs)}; break; }; done`,
      'for d in "$SP"/ha_confs/*/; do [ -d "$d" ] || continue; r=${d%/}; r=${r##*/}',
      `  ${secCall(C.keepalivedConf, 'r')}`,
      `  ${secCall(C.keepalivedState, 'r')}`,
      `  ${secCall(C.keepalivedPid, 'r')}`,
      'done',
      ...novaScriptLines(), // issue 9: nova-network hosts only (nova-script.ts)
      ...ovnScriptLines(opts.ovnRunDirs), // issue 11: ML2/OVN chassis and central nodes only (ovn-script.ts)
    );
  }
  // issue 9 neutron-multinic-aa: the balancer (a gateway node, read root-only) and the lab's instances
  lines.push(...multiNicScriptLines());
  lines.push('exit 0');
  return lines.join('\n') + '\n';
}
