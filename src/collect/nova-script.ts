import { secCall, SECTION_CATALOGUE as C } from './catalogue';
import { NOVA_NETWORKS_PATH } from './fixed-paths';

/**
 * The nova-network part of the snapshot script (issue 9), kept apart so the main script stays
 * small: run only where nova lives (networks_path or nova.conf exists); each section's shell text
 * is its catalogue row's:
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

export function novaScriptLines(): string[] {
  return [
    `if [ -d ${NOVA_NETWORKS_PATH} ] || [ -f /etc/nova/nova.conf ]; then`,
    ...[C.novaDnsmasq, C.novaOpts, C.novaListen, C.novaHa, C.novaDnsmasqConf, C.novaEbtables, C.novaConf].map((row) => `  ${secCall(row)}`),
    'fi',
  ];
}
