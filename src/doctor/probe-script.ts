import { quoteWord } from '../transport/quote-shell';

/**
 * The doctor's probe: ONE read-only script per node on stdin of `sh -s` (as the snapshot), so a
 * preflight of a node is one round trip. Same PATH as the snapshot script (src/collect/script.ts):
 * it reports the tools `haprobe run` will really find. Nothing is started that outlives the script;
 * container runtimes are asked under `timeout` when installed (a hung docker daemon must not hang
 * the preflight).
 *
 * Output contract: sections framed by `@@HD>key` and `@@HD<key rc`. Keys: whoami, ip-json,
 * ip-version, which (lines "tool path"), iptables-version, ovs-show, tcpdump-version, arping,
 * keepalived-version, ha-confs-dir, ha-confs, ps:<runtime>, and per agent container found
 * `in:<runtime>:<container>:<what>` (what: keepalived, arping, iptables, mounts, ha-confs).
 * The only value from outside is the neutron state path, as one quoted word.
 */
export const PROBE_BEGIN = '@@HD>';
export const PROBE_END = '@@HD<';

/** container names of the L3 agent in kolla-ansible (docker) and TripleO (podman) */
export const L3_CONTAINERS = ['neutron_l3_agent', 'neutron-l3-agent'] as const;
/** other agent containers the table names */
export const OTHER_CONTAINERS = ['neutron_openvswitch_agent', 'openvswitch_vswitchd', 'neutron_ovs_agent', 'ovn_controller'] as const;

export interface ProbeOptions {
  /** neutron state_path as the host sees it (default /var/lib/neutron) */
  statePath?: string;
}

export function buildDoctorProbeScript(opts: ProbeOptions = {}): string {
  const sp = opts.statePath ?? '/var/lib/neutron';
  return [
    'export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `sec() { k=$1; shift; printf '\\n${PROBE_BEGIN}%s\\n' "$k"; "$@" 2>&1; printf '\\n${PROBE_END}%s %d\\n' "$k" $?; }`,
    "T=; timeout 5 true >/dev/null 2>&1 && T='timeout 15'",
    'sec whoami id -un',
    'sec ip-json ip -j link show lo',
    'sec ip-version ip -V',
    'sec which sh -c \'for c in ip iptables-save iptables ovs-vsctl ovs-ofctl tcpdump arping keepalived docker podman; do p=$(command -v "$c" 2>/dev/null) && echo "$c $p"; done; true\'',
    'sec iptables-version iptables -V',
    'command -v ovs-vsctl >/dev/null 2>&1 && sec ovs-show ovs-vsctl --timeout=5 show',
    'sec tcpdump-version tcpdump --version',
    // iputils prints "arping from iputils …" (or "arping utility, iputils-s…"); Thomas Habets' arping
    // does not know -V and prints its usage, which starts "ARPing 2.x, by Thomas Habets"
    'command -v arping >/dev/null 2>&1 && sec arping arping -V',
    'sec keepalived-version keepalived --version',
    `SP=${quoteWord(sp)}`,
    'sec ha-confs-dir test -d "$SP/ha_confs"',
    // -H: "file:count" also for a single router (grep omits the name for one file)
    'sec ha-confs grep -H -c "" -- "$SP"/ha_confs/*/state',
    'for rt in docker podman; do command -v $rt >/dev/null 2>&1 || continue',
    "  sec \"ps:$rt\" $T $rt ps --format '{{.Names}}'",
    `  for c in ${[...L3_CONTAINERS, ...OTHER_CONTAINERS].join(' ')}; do`,
    "    $T $rt ps --format '{{.Names}}' 2>/dev/null | grep -qx \"$c\" || continue",
    `    case $c in ${L3_CONTAINERS.join('|')}) ;; *) continue;; esac`,
    '    sec "in:$rt:$c:keepalived" $T $rt exec "$c" keepalived --version',
    '    sec "in:$rt:$c:arping" $T $rt exec "$c" arping -V',
    '    sec "in:$rt:$c:iptables" $T $rt exec "$c" iptables -V',
    "    sec \"in:$rt:$c:mounts\" $T $rt inspect -f '{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}' \"$c\"",
    '    sec "in:$rt:$c:ha-confs" $T $rt exec "$c" test -d /var/lib/neutron/ha_confs',
    '  done',
    'done',
    'exit 0',
  ].join('\n') + '\n';
}
