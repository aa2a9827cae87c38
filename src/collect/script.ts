import { quoteShell } from '../transport/quote-shell';
import { novaScriptLines } from './nova-script';

/**
 * The batched snapshot script: ONE shell script per node, sent on standard input of a single
 * exec, so collection costs one round trip per node however many namespaces it has.
 *
 * Output contract: every section is framed by marker lines
 *   @@HP>key            (begin)
 *   …command output (stdout and stderr)…
 *   @@HP<key rc         (end, with the command's exit status)
 * Keys: versions, netns, addr:<ns>, route:<ns>, rule:<ns>, neigh:<ns>, iptables:<ns>,
 * sysctl:<ns> ("" = root namespace), ovs-show, ovsdb-bridge, ovsdb-port, ovsdb-interface,
 * flows:<bridge>, keepalived-conf:<router>, keepalived-state:<router>, keepalived-pid:<router>.
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
}

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

export function buildSnapshotScript(opts: ScriptOptions = {}): string {
  const statePath = opts.statePath ?? '/var/lib/neutron';
  const sysctlFiles = SYSCTL_KEYS.map((k) => `/proc/sys/${k}`).join(' ');
  const lines = [
    'export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `sec() { k=$1; shift; printf '\\n${SECTION_BEGIN}%s\\n' "$k"; "$@" 2>&1; printf '\\n${SECTION_END}%s %d\\n' "$k" $?; }`,
    // one sysctl dump per namespace: fixed keys plus per-device proxy_arp/proxy_delay
    `SY='for f in ${sysctlFiles} /proc/sys/net/ipv4/conf/*/proxy_arp /proc/sys/net/ipv4/neigh/fg-*/proxy_delay; do ` +
      `[ -r "$f" ] && printf "%s = %s\\n" "$(echo "\${f#/proc/sys/}" | tr / .)" "$(cat "$f")"; done; true'`,
    opts.textOnly ? 'J=' : 'J=; ip -j link show lo >/dev/null 2>&1 && J=-j',
    // a namespace name is node data (it may be `*` or `$(…)`): it only ever travels as one quoted
    // positional parameter, never through a variable expanded unquoted (issue 8)
    'inns() { if [ -n "$1" ]; then N_=$1; shift; ip netns exec "$N_" "$@"; else shift; "$@"; fi; }',
    'nsdump() { n=$1',
    '  sec "addr:$n" inns "$n" ip $J -d addr show',
    '  sec "route:$n" inns "$n" ip $J route show table all',
    '  sec "rule:$n" inns "$n" ip $J rule show',
    '  sec "neigh:$n" inns "$n" ip $J neigh show',
    ...(opts.rootOnly ? [] : ['  sec "iptables:$n" inns "$n" iptables-save']),
    '  sec "sysctl:$n" inns "$n" sh -c "$SY"',
    '}',
    'sec versions sh -c \'' +
      'printf "keepalived: %s\\n" "$(keepalived --version 2>&1 | head -n1)"; ' +
      'printf "arping: %s\\n" "$(arping -V 2>&1 | head -n1)"; ' +
      'printf "iproute2: %s\\n" "$(ip -V 2>&1 | head -n1)"; ' +
      'printf "iptables: %s\\n" "$(iptables --version 2>&1 | head -n1)"; ' +
      'printf "ovs: %s\\n" "$(ovs-vsctl --version 2>/dev/null | head -n1)"; ' +
      'printf "tcpdump: %s\\n" "$(tcpdump --version 2>&1 | head -n1)"; ' +
      'printf "kernel: %s\\n" "$(uname -r)"; ' +
      // containerised agents (kolla, TripleO) run keepalived/arping/iptables in containers: name them
      'printf "containers: %s\\n" "$( { docker ps --format "{{.Names}}" 2>/dev/null; podman ps --format "{{.Names}}" 2>/dev/null; } | grep -iE "neutron|keepalived|ovn" | tr "\\n" " ")"; ' +
      'printf "hostname: %s\\n" "$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)"\'',
    'nsdump ""',
  ];
  if (!opts.rootOnly) {
    lines.push(
      'sec netns ip netns list',
      // a namespace can vanish between listing and reading: its sections then fail with rc != 0
      // read line by line, not `for ns in $(…)`: that would split and glob-expand the names
      'ip netns list 2>/dev/null | cut -d" " -f1 | while IFS= read -r ns; do [ -n "$ns" ] && nsdump "$ns" </dev/null; done',
      'if [ -S /var/run/openvswitch/db.sock ] || [ -S /run/openvswitch/db.sock ]; then',
      '  V="ovs-vsctl --timeout=10"',
      '  sec ovs-show $V show',
      '  sec ovsdb-bridge $V --format=json --data=json --columns=_uuid,name,datapath_type,fail_mode,ports list Bridge',
      '  sec ovsdb-port $V --format=json --data=json --columns=_uuid,name,tag,trunks,interfaces list Port',
      '  sec ovsdb-interface $V --format=json --data=json --columns=_uuid,name,type,ofport,mac_in_use,external_ids,options,error list Interface',
      '  $V list-br | while IFS= read -r br; do [ -n "$br" ] && sec "flows:$br" ovs-ofctl dump-flows -- "$br" </dev/null; done',
      'fi',
      `SP=${quoteShell(statePath)}`,
      // keepalived pid files: neutron's <ha_confs>/<router>.pid.keepalived, or one inside the router dir
      // (a pid file holding `-1` would make `kill -0` answer for every process: plain pids only)
      'pidcheck() { for f in "$@"; do [ -r "$f" ] && p=$(cat -- "$f") || continue; case $p in ""|*[!0-9]*) continue;; esac; kill -0 "$p" 2>/dev/null && { echo "running $p"; return 0; }; done; return 1; }',
      'for d in "$SP"/ha_confs/*/; do [ -d "$d" ] || continue; r=$(basename -- "$d")',
      '  sec "keepalived-conf:$r" cat -- "$d/keepalived.conf"',
      '  sec "keepalived-state:$r" cat -- "$d/state"',
      '  sec "keepalived-pid:$r" pidcheck "$SP/ha_confs/$r.pid.keepalived" "$d/keepalived.pid"',
      'done',
      ...novaScriptLines(), // issue 9: nova-network hosts only (nova-script.ts)
    );
  }
  lines.push('exit 0');
  return lines.join('\n') + '\n';
}
