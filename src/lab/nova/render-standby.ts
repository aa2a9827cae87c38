import { quoteArgv } from '../../transport/quote-shell';
import { NOVA_CONF, type NovaHost, type NovaLabPlan } from './plan';
import { fipsOn, networkRoleLines, renderNovaIptables } from './render-network-role';

/**
 * The hot standby network host of nova-hot-standby (seed 000: NTT's ha-linux design, "a 4 second
 * failover to a hot backup of the network host"), with keepalived from Debian as the cluster
 * manager: one VRRP instance on public_interface, no virtual address of its own (the addresses
 * are nova's, and so are the G-ARPs: send_arp_for_ha), both members BACKUP + nopreempt so a
 * member that comes back stays standby. notify_master starts the network host role as
 * nova-network does when it starts (takeover.sh); notify_backup/fault/stop remove it
 * (release.sh), as the cluster manager's stop action. flat_interface is tracked: a host that
 * loses it gives the role away.
 */
export const HA_DIR = '/var/lib/nova/ha';
export const KEEPALIVED_CONF = '/etc/nova/keepalived-nova-network.conf';
/** keepalived's default pid files (Debian): the drill kills by the first */
export const KEEPALIVED_PID = '/run/keepalived.pid';
const VRID = 60;
const NP = NOVA_CONF.networksPath;

/**
 * VRRP priorities 250/200: a backup declares the master dead after 3 × advert_int + skew,
 * skew = (256 − priority)/256 s, so 3.2 s at 200 (3.6 s at the common 100): the rest of the
 * seed's 4 s is left to the takeover script and the G-ARP.
 */
export function standbyPriority(plan: NovaLabPlan, h: NovaHost): number {
  return plan.hosts.filter((x) => x.network)[0]!.name === h.name ? 250 : 200;
}

export function renderStandbyKeepalivedConf(plan: NovaLabPlan, h: NovaHost): string {
  return [
    'global_defs {',
    `    router_id nova-network-${h.name}`,
    '    script_user root',
    '}',
    'vrrp_instance nova_network {',
    '    state BACKUP',
    `    interface ${NOVA_CONF.publicInterface}`,
    `    virtual_router_id ${VRID}`,
    `    priority ${standbyPriority(plan, h)}`,
    '    advert_int 1',
    '    nopreempt',
    '    track_interface {',
    `        ${NOVA_CONF.flatInterface}`,
    '    }',
    `    notify_master "${HA_DIR}/takeover.sh"`,
    `    notify_backup "${HA_DIR}/release.sh"`,
    `    notify_fault "${HA_DIR}/release.sh"`,
    `    notify_stop "${HA_DIR}/release.sh"`,
    '}',
    '',
  ].join('\n');
}

/** the role leaves this host: dnsmasq and the metadata API stop, nova's addresses and chains go */
export function renderReleaseScript(plan: NovaLabPlan, h: NovaHost, fips: Record<string, string>): string {
  return [
    '#!/bin/sh',
    `for p in ${NP}/nova-${NOVA_CONF.bridge}.pid /var/lib/nova/metadata.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null; rm -f "$p"; done`,
    ...fipsOn(plan, h.name, fips).map((f) => `ip addr del ${f.ip}/32 dev ${NOVA_CONF.publicInterface} 2>/dev/null`),
    `ip addr del ${h.dhcpServer}/${plan.network.prefixLen} dev ${NOVA_CONF.bridge} 2>/dev/null`,
    'iptables -t nat -F; iptables -t nat -X; iptables -F; iptables -X',
    'exit 0',
    '',
  ].join('\n');
}

/** the role comes to this host: what nova-network builds when it starts (release first: idempotent) */
export function renderTakeoverScript(plan: NovaLabPlan, h: NovaHost, fips: Record<string, string>): string {
  return ['#!/bin/sh', `${HA_DIR}/release.sh`, 'set -e', ...networkRoleLines(plan, h, fips, `${HA_DIR}/nova-network.rules`), ''].join('\n');
}

/** files of a pair member (written at up; keepalived is started afterwards, active member first) */
export function renderStandbyFiles(plan: NovaLabPlan, h: NovaHost, fips: Record<string, string>): string[] {
  // fips are bound by whichever member holds the role: render them as if this host held it
  const asActive = { ...plan, hosts: plan.hosts.map((x) => (x.name === h.name ? x : { ...x, network: false })) };
  const rolePlan = { ...asActive, standby: true } as NovaLabPlan;
  return [
    `mkdir -p ${HA_DIR}`,
    `cat > ${HA_DIR}/nova-network.rules <<'HAPROBE_EOF'\n${renderNovaIptables(rolePlan, h, fips)}HAPROBE_EOF`,
    `cat > ${HA_DIR}/release.sh <<'HAPROBE_EOF'\n${renderReleaseScript(rolePlan, h, fips)}HAPROBE_EOF`,
    `cat > ${HA_DIR}/takeover.sh <<'HAPROBE_EOF'\n${renderTakeoverScript(rolePlan, h, fips)}HAPROBE_EOF`,
    `chmod 755 ${HA_DIR}/takeover.sh ${HA_DIR}/release.sh`,
    `cat > ${KEEPALIVED_CONF} <<'HAPROBE_EOF'\n${renderStandbyKeepalivedConf(plan, h)}HAPROBE_EOF`,
  ];
}

/** Debian's keepalived, daemonised (re-parented to the node's init) */
export function keepalivedStartLine(): string {
  return quoteArgv(['keepalived', '-f', KEEPALIVED_CONF, '-p', KEEPALIVED_PID, '-r', '/run/keepalived_vrrp.pid']);
}
