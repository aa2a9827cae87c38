/**
 * The nova-network part of the snapshot script (issue 9), kept apart so the main script stays
 * small: run only where nova lives (networks_path or nova.conf exists), four sections:
 *   nova-dnsmasq  every dnsmasq process: `@pid N` + argv one word a line (from /proc, no ps)
 *   nova-opts     every <networks_path>/nova-*.opts (the dhcp-optsfile: `3,<gateway>`)
 *   nova-listen   `ss -Hltn` (the metadata API on 8775)
 *   nova-conf     the data-plane keys of /etc/nova/nova.conf only (no passwords: grep by key)
 *   nova-ha       cluster manager processes (keepalived, corosync, pacemakerd, heartbeat), as nova-dnsmasq
 *   nova-dnsmasq-conf  the files a dnsmasq names with --conf-file=<dnsmasq_config_file>, their
 *                 `dhcp-option…` lines only (nova-hw-gateway: `dhcp-option=3,<router>`); the path is
 *                 node data and only ever travels quoted ("$f") inside the node's own shell
 *   nova-ebtables the bridge firewall: `ebtables-save`, or `ebtables -t filter -L` where there is no
 *                 ebtables-save (share_address: linux_net.isolate_dhcp_address's DROP rules); neither
 *                 = a failed section, read as "not collected"
 * The networks path is a fixed word, never node data.
 */
export const NOVA_NETWORKS_PATH = '/var/lib/nova/networks';

const NOVA_CONF_KEYS = [
  'network_manager', 'multi_host', 'public_interface', 'flat_interface', 'flat_network_bridge', 'vlan_interface',
  'metadata_host', 'metadata_port', 'send_arp_for_ha', 'send_arp_for_ha_count', 'share_dhcp_address',
  'routing_source_ip', 'my_ip', 'networks_path', 'dnsmasq_config_file', 'use_single_default_gateway',
];

export function novaScriptLines(): string[] {
  return [
    `if [ -d ${NOVA_NETWORKS_PATH} ] || [ -f /etc/nova/nova.conf ]; then`,
    `  sec nova-dnsmasq sh -c 'for d in /proc/[0-9]*; do a=$( { tr "\\000" "\\n" < "$d/cmdline"; } 2>/dev/null) || continue; ` +
      `case $(printf "%s\\n" "$a" | head -n1) in *dnsmasq) printf "@pid %s\\n%s\\n" "\${d#/proc/}" "$a";; esac; done; true'`,
    `  sec nova-opts sh -c 'for f in ${NOVA_NETWORKS_PATH}/nova-*.opts; do [ -f "$f" ] && { printf "@file %s\\n" "$f"; cat -- "$f"; echo; }; done; true'`,
    '  sec nova-listen ss -Hltn',
    `  sec nova-ha sh -c 'for d in /proc/[0-9]*; do a=$( { tr "\\000" "\\n" < "$d/cmdline"; } 2>/dev/null) || continue; ` +
      `case $(printf "%s\\n" "$a" | head -n1) in *keepalived|*corosync|*pacemakerd|*heartbeat) printf "@pid %s\\n%s\\n" "\${d#/proc/}" "$a";; esac; done; true'`,
    "  sec nova-dnsmasq-conf sh -c 'for d in /proc/[0-9]*; do a=$( { tr \"\\000\" \"\\n\" < \"$d/cmdline\"; } 2>/dev/null) || continue; " +
      'case $(printf "%s\\n" "$a" | head -n1) in *dnsmasq) printf "%s\\n" "$a" | sed -n "s/^--conf-file=//p";; esac; done | sort -u | ' +
      'while IFS= read -r f; do [ -n "$f" ] && [ -f "$f" ] && { printf "@file %s\\n" "$f"; grep -E "^[[:space:]]*dhcp-option" -- "$f"; echo; }; done; true\'',
    "  sec nova-ebtables sh -c 'ebtables-save 2>/dev/null || ebtables -t filter -L'",
    `  sec nova-conf sh -c '[ -f /etc/nova/nova.conf ] && grep -hE "^[[:space:]]*(${NOVA_CONF_KEYS.join('|')})[[:space:]]*=" /etc/nova/nova.conf; true'`,
    'fi',
  ];
}
