import { associatedFips, centralizedFips, linkLocalOf } from './plan';
import { primaryVip, renderKeepalivedConf } from './render-keepalived';
import { iptablesEraOf, renderNsIptables } from './render-iptables';
import { deviceName } from './ids';
import type { LabPlan, PlanInstance, PlanNode, PlanPort } from './types';

/**
 * Shell scripts run inside a node (`nsenter -t <holder> -m -n -- bash -s`): they build
 * what the neutron L3/OVS agents and nova would build on that node. Pure text, so
 * the plan → commands mapping is testable without root.
 */

export const HA_CONFS = '/var/lib/neutron/ha_confs';

export function qrouterNs(routerId: string): string {
  return `qrouter-${routerId}`;
}
export function snatNs(routerId: string): string {
  return `snat-${routerId}`;
}
export function fipNs(extNetId: string): string {
  return `fip-${extNetId}`;
}
export function rfpDevice(routerId: string): string {
  return `rfp-${routerId}`.slice(0, 14);
}
export function fprDevice(routerId: string): string {
  return `fpr-${routerId}`.slice(0, 14);
}

/** integer value of an IPv4 address: neutron's table/priority index (_get_snat_idx) */
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

/** FIP_RT_TBL and the first FIP rule priority (dvr_fip_ns.py) */
export const FIP_RT_TBL = 16;
export const FIP_PR_START = 32768;

/** Bash helpers every dataplane script starts with. */
export const SCRIPT_PRELUDE = String.raw`set -e
mkns() {
  ip netns add "$1"
  ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$1" link set lo up
}
# dual stack (--ipv6): IPv6 on; HA namespaces generate no link-local address by themselves
# (addr_gen_mode=1, neutron Zed+, bug 1952907; earlier agents deleted it): keepalived adds it on the primary
mkns6() {
  ip netns add "$1"
  ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0 \
    net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  if [ "$2" = ha ]; then ip netns exec "$1" sysctl -qw net.ipv6.conf.all.addr_gen_mode=1 net.ipv6.conf.default.addr_gen_mode=1; fi
  ip -n "$1" link set lo up
}
nssysctl() { ns="$1"; shift; for kv in "$@"; do ip netns exec "$ns" sysctl -qw "$kv" 2>/dev/null || true; done; }
# plug NS DEV MAC BRIDGE TAG PORT_ID: veth named DEV on both ends; the namespace end
# carries the neutron port MAC, the node end is an OVS port with the agent's external_ids
plug() {
  ip link add "$2" type veth peer name "$2" netns "$1"
  ip -n "$1" link set "$2" address "$3"
  ip link set "$2" up
  ip -n "$1" link set "$2" up
  if [ -n "$5" ]; then tag="tag=$5"; else tag=""; fi
  ovs-vsctl --may-exist add-port "$4" "$2" $tag -- set Interface "$2" external_ids:iface-id="$6" \
    external_ids:iface-status=active external_ids:attached-mac="$3"
}
`;

export const ROUTER_SYSCTLS = [
  'net.netfilter.nf_conntrack_tcp_be_liberal=1',
  'net.ipv4.ip_forward=1',
  'net.ipv4.conf.all.arp_ignore=1',
  'net.ipv4.conf.all.arp_announce=2',
  'net.ipv6.conf.all.forwarding=1',
];

/**
 * create a router namespace: IPv4 only, or dual stack with --ipv6. Zed as really built keeps IPv6
 * on in every router namespace (neutron never turns it off), and an HA qrouter sets
 * `net.ipv6.conf.all.addr_gen_mode=1` (HaRouterNamespace.create, bug 1952907): its qr-/qg-/ha- get
 * no link-local address from the kernel, keepalived adds the qr-/qg- ones as VIPs on the primary.
 */
export function mknsLine(plan: LabPlan, ns: string, ha: boolean): string {
  return plan.variant.ipv6 || plan.rules.real ? `mkns6 ${ns}${ha ? ' ha' : ''}` : `mkns ${ns}`;
}

/** global IPv6 addresses of non-HA router ports (+ the IPv6 default route when qg- is among them) */
function v6Addresses(plan: LabPlan, ns: string, ports: PlanPort[]): string[] {
  const out: string[] = [];
  for (const p of ports) {
    if (!p.ip6) continue;
    out.push(`ip -n ${ns} -6 addr add ${p.ip6}/64 dev ${p.device} nodad`);
    if (p === plan.router.qg && plan.extNet.gatewayIp6) out.push(`ip -n ${ns} -6 route add default via ${plan.extNet.gatewayIp6} dev ${p.device}`);
  }
  return out;
}

export function plugLine(ns: string, p: PlanPort, bridge: 'br-int' | 'br-ex', vlan?: number): string {
  return `plug ${ns} ${p.device} ${p.mac} ${bridge} "${vlan ?? ''}" ${p.id}`;
}

function restoreIptables(ns: string, text: string): string {
  return `ip netns exec ${ns} iptables-restore <<'HAPROBE_EOF'\n${text}HAPROBE_EOF`;
}

/** keepalived.conf for the router's HA namespace on `host` (qrouter for HA, snat for DVR-HA), per release */
export function keepalivedConfFor(plan: LabPlan, host: string, fips: Record<string, string>): string {
  const r = plan.router;
  const ha = r.ha[host];
  const excluded: { cidr: string; dev: string; scope?: 'link' }[] = [];
  const inner = r.mode === 'ha' ? r.qr : r.sg!;
  excluded.push({ cidr: `${inner.ip}/${inner.prefixLen}`, dev: inner.device });
  const juno = plan.rules.keepalivedTemplate === 'juno';
  // Juno: the gateway address is the primary VIP (virtual_ipaddress), not an excluded one
  if (!juno) excluded.push({ cidr: `${r.qg.ip}/${r.qg.prefixLen}`, dev: r.qg.device });
  if (r.mode === 'ha') for (const f of associatedFips(plan, fips)) excluded.push({ cidr: `${f.ip}/32`, dev: r.qg.device });
  // DVR-HA: centralized FIPs are VIPs of the snat namespace (add_centralized_floatingip → _add_vip)
  else for (const f of centralizedFips(plan, fips)) excluded.push({ cidr: `${f.ip}/32`, dev: r.qg.device });
  // dual stack: global IPv6 addresses and the ports' link-local addresses are VIPs too, so a
  // backup carries none of them (ground-truth §2b, §2e reference rendering)
  // Zed as really built: the link-local addresses are VIPs even on IPv4-only subnets
  // (_disable_ipv6_addressing_on_interface runs for every qr-/qg-/sg-, docs/real-engine.md row 9)
  for (const p of [inner, r.qg]) {
    if (p.ip6) excluded.push({ cidr: `${p.ip6}/64`, dev: p.device });
    if (p.ip6 || plan.rules.real) excluded.push({ cidr: `${linkLocalOf(p.mac)}/64`, dev: p.device, scope: 'link' });
  }
  return renderKeepalivedConf({
    vrid: r.haVrId!,
    haDevice: ha.device,
    era: plan.rules,
    primary: juno ? { cidr: `${r.qg.ip}/${r.qg.prefixLen}`, dev: r.qg.device } : undefined,
    notifyDir: juno ? `${HA_CONFS}/${r.id}` : undefined,
    excluded,
    defaultGw: { via: plan.extNet.gatewayIp, dev: r.qg.device, via6: plan.extNet.gatewayIp6 },
  });
}

/** the address whose presence means "primary" (what the state-change daemon watches): dev + cidr */
export function primaryVipOf(plan: LabPlan, host: string): { dev: string; cidr: string } {
  const r = plan.router;
  if (plan.rules.keepalivedTemplate === 'juno') return { dev: r.qg.device, cidr: `${r.qg.ip}/${r.qg.prefixLen}` };
  return { dev: r.ha[host].device, cidr: primaryVip(r.haVrId!) };
}

/** the namespace keepalived runs in for this router */
export function haNamespace(plan: LabPlan): string {
  return plan.router.mode === 'dvr-ha' ? snatNs(plan.router.id) : qrouterNs(plan.router.id);
}

/** Pike+ agent arping (§0.7): 3 rounds 2 s apart of -U then -A; `garp DEV IP` inside the namespace */
const GARP_FN = `garp() { for i in 1 2 3; do [ $i = 1 ] || sleep 2; for a in -U -A; do /usr/bin/arping $a -I "$1" -c 1 -w 2 "$2" >/dev/null 2>&1; done; done; }`;

/** one keepalived-managed router instance on a node: router id, namespace, the address meaning "primary" */
export interface HaUnit {
  routerId: string;
  ns: string;
  dev: string;
  cidr: string;
}

/** start keepalived (neutron's command line) and the state-change monitor in the HA namespace */
export function renderKeepalivedStart(plan: LabPlan, host: string): string {
  return renderHaStart(plan, { routerId: plan.router.id, ns: haNamespace(plan), ...primaryVipOf(plan, host) });
}

export function renderHaStart(plan: LabPlan, u: HaUnit): string {
  const dir = `${HA_CONFS}/${u.routerId}`;
  const word = plan.rules.primaryWord;
  // stand-in for neutron-keepalived-state-change: watch `ip -o monitor address`, write
  // <primary word>/backup to the state file (ground-truth §2e'); Ocata–Victoria it also
  // arpings every address added on a non-ha- device (§2e'')
  const onAdd = plan.rules.stateChangeArping
    ? [
        '  case "$line" in Deleted*) continue ;; esac',
        '  set -- $line; d=$2; fam=$3; a=${4%%/*}',
        '  case "$d" in ha-*) ;; *) [ "$fam" = inet ] && (garp "$d" "$a" &) ;; esac',
      ]
    : [];
  const monitor = [
    `S=${dir}/state`,
    ...(plan.rules.stateChangeArping ? [GARP_FN] : []),
    `check() { if ip -o addr show dev ${u.dev} | grep -q "inet ${u.cidr} "; then n=${word}; else n=backup; fi;` +
      ` if [ "$n" != "$(cat $S 2>/dev/null)" ]; then echo $n > $S; fi; }`,
    'check',
    'ip -o monitor address | while read -r line; do',
    '  check',
    ...onAdd,
    'done',
  ].join('\n');
  const out = [
    `cat > ${HA_CONFS}/${u.routerId}.state-change.sh <<'HAPROBE_EOF'\n${monitor}\nHAPROBE_EOF`,
    `setsid ip netns exec ${u.ns} sh ${HA_CONFS}/${u.routerId}.state-change.sh </dev/null >/dev/null 2>&1 &`,
    `echo $! > ${HA_CONFS}/${u.routerId}.pid.state-change`,
  ];
  if (plan.rules.keepalivedTemplate === 'juno') {
    // Juno's notify scripts (keepalived runs them on transitions) write the same state file
    for (const [what, w] of [['master', 'master'], ['backup', 'backup'], ['fault', 'fault']]) {
      out.push(`printf '#!/bin/sh\\necho -n ${w} > ${dir}/state\\n' > ${dir}/notify_${what}.sh`, `chmod +x ${dir}/notify_${what}.sh`);
    }
  }
  out.push(renderKeepalivedCommandFor(u.routerId, u.ns));
  if (plan.rules.real?.respawnKeepalived) {
    // stand-in for the L3 agent's ProcessMonitor (check_child_processes_action = respawn, every
    // check_child_processes_interval = 60 s): a killed keepalived comes back within a minute, as on
    // the real engine (~20 s there, docs/real-engine.md row 10)
    const pidFile = `${HA_CONFS}/${u.routerId}.pid.keepalived`;
    const monitor = [
      'while sleep 60; do',
      `  pid=$(cat ${pidFile} 2>/dev/null || true)`,
      `  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then rm -f ${pidFile} ${pidFile}-vrrp; ${renderKeepalivedCommandFor(u.routerId, u.ns)}; fi`,
      'done',
    ].join('\n');
    out.push(
      `cat > ${HA_CONFS}/${u.routerId}.process-monitor.sh <<'HAPROBE_EOF'\n${monitor}\nHAPROBE_EOF`,
      `setsid sh ${HA_CONFS}/${u.routerId}.process-monitor.sh </dev/null >/dev/null 2>&1 &`,
      `echo $! > ${HA_CONFS}/${u.routerId}.pid.process-monitor`,
    );
  }
  return out.join('\n');
}

/** neutron's keepalived command line (ground-truth §2e/2f "Process lines"), run in the HA namespace */
export function renderKeepalivedCommand(plan: LabPlan): string {
  return renderKeepalivedCommandFor(plan.router.id, haNamespace(plan));
}

export function renderKeepalivedCommandFor(routerId: string, ns: string): string {
  return `ip netns exec ${ns} keepalived -P -f ${HA_CONFS}/${routerId}/keepalived.conf -p ${HA_CONFS}/${routerId}.pid.keepalived -r ${HA_CONFS}/${routerId}.pid.keepalived-vrrp -D`;
}

function renderHaPart(plan: LabPlan, host: string, fips: Record<string, string>, ns: string): string[] {
  const r = plan.router;
  const ha = r.ha[host];
  return [
    plugLine(ns, ha, 'br-int', plan.haNet!.vlan),
    `ip -n ${ns} addr add ${ha.ip}/${ha.prefixLen} dev ${ha.device}`,
    `mkdir -p ${HA_CONFS}/${r.id}`,
    `cat > ${HA_CONFS}/${r.id}/keepalived.conf <<'HAPROBE_EOF'\n${keepalivedConfFor(plan, host, fips)}HAPROBE_EOF`,
    renderKeepalivedStart(plan, host),
  ];
}

function renderLegacyOrHaRouter(plan: LabPlan, host: string, fips: Record<string, string>): string[] {
  const r = plan.router;
  const ns = qrouterNs(r.id);
  const ha = r.mode === 'ha';
  const myFips = associatedFips(plan, fips);
  const out = [
    mknsLine(plan, ns, ha),
    `nssysctl ${ns} ${[...ROUTER_SYSCTLS, ...(ha ? [`net.ipv4.ip_nonlocal_bind=${plan.rules.haNonlocalBind ? 1 : 0}`] : [])].join(' ')}`,
    plugLine(ns, r.qr, 'br-int', plan.tenantNet.vlan),
    // Juno–Mitaka layout: external_network_bridge = br-ex, qg- directly on br-ex
    plugLine(ns, r.qg, 'br-ex'),
    // NAT rules first, then addresses (router_info.process_external)
    restoreIptables(ns, qrouterIptables(plan, fips)),
  ];
  if (!ha) {
    out.push(
      `ip -n ${ns} addr add ${r.qr.ip}/${r.qr.prefixLen} dev ${r.qr.device}`,
      `ip -n ${ns} addr add ${r.qg.ip}/${r.qg.prefixLen} dev ${r.qg.device}`,
      `ip -n ${ns} route add default via ${plan.extNet.gatewayIp} dev ${r.qg.device}`,
      ...myFips.map((f) => `ip -n ${ns} addr add ${f.ip}/32 dev ${r.qg.device}`),
      ...v6Addresses(plan, ns, [r.qr, r.qg]),
    );
  } else {
    out.push(...renderHaPart(plan, host, fips, ns));
  }
  return out;
}

/** FIPs whose instance runs on `host` (DVR: that host's fip ns announces them) */
function fipsOnHost(plan: LabPlan, host: string, fips: Record<string, string>) {
  return associatedFips(plan, fips).filter((f) => f.instance.host === host);
}

/** priority of the `from <fixed> lookup 16` rule of a FIP (index in the pool) */
export function fipRulePriority(plan: LabPlan, fipIp: string): number {
  return FIP_PR_START + plan.fipPool.findIndex((f) => f.ip === fipIp);
}

function renderDvrRouter(plan: LabPlan, host: string, fips: Record<string, string>): string[] {
  const r = plan.router;
  const node = plan.nodes.find((n) => n.name === host)!;
  const ns = qrouterNs(r.id);
  const out: string[] = [];
  const hasFipNs = r.fg[host] !== undefined;
  const rfp = rfpDevice(r.id);
  const fpr = fprDevice(r.id);
  const mine = fipsOnHost(plan, host, fips);
  out.push(
    mknsLine(plan, ns, false),
    `nssysctl ${ns} ${ROUTER_SYSCTLS.join(' ')} net.ipv4.conf.all.send_redirects=0`,
    plugLine(ns, r.qr, 'br-int', plan.tenantNet.vlan),
    `nssysctl ${ns} net.ipv4.conf.${r.qr.device}.send_redirects=0`,
    restoreIptables(ns, dvrQrouterIptables(plan, host, fips)),
    `ip -n ${ns} addr add ${r.qr.ip}/${r.qr.prefixLen} dev ${r.qr.device}`,
    ...v6Addresses(plan, ns, [r.qr]),
  );
  // static ARP entries for every port on the subnet (_set_subnet_arp_info)
  for (const i of plan.instances) out.push(`ip -n ${ns} neigh replace ${i.port.ip} lladdr ${i.port.mac} dev ${r.qr.device} nud permanent`);
  if (r.sg) out.push(`ip -n ${ns} neigh replace ${r.sg.ip} lladdr ${r.sg.mac} dev ${r.qr.device} nud permanent`);
  // SNAT redirect: from <qr cidr> lookup int(qr ip) → default via sg- ip (ground-truth §3b)
  const sidx = ipToInt(r.qr.ip);
  out.push(
    `ip -n ${ns} rule add from ${r.qr.ip}/${r.qr.prefixLen} lookup ${sidx} priority ${sidx}`,
    `ip -n ${ns} route add default via ${r.sg!.ip} dev ${r.qr.device} table ${sidx}`,
  );
  if (hasFipNs) {
    const fns = fipNs(plan.extNet.id);
    const fg = r.fg[host];
    const fidx = ipToInt(r.fprIp!);
    out.push(
      `mkns ${fns}`,
      `nssysctl ${fns} ${ROUTER_SYSCTLS.join(' ')} net.ipv4.ip_nonlocal_bind=1`,
      plugLine(fns, fg, 'br-ex'),
      `nssysctl ${fns} net.ipv4.conf.${fg.device}.proxy_arp=1 net.ipv4.neigh.${fg.device}.proxy_delay=1`,
      restoreIptables(fns, renderNsIptables({ era: iptablesEraOf(plan.rules), kind: 'fip', fips: [] })),
      `ip -n ${fns} addr add ${fg.ip}/${fg.prefixLen} dev ${fg.device}`,
      `ip link add ${rfp} netns ${ns} type veth peer name ${fpr} netns ${fns}`,
      `ip -n ${ns} addr add ${r.rfpIp}/31 dev ${rfp}`,
      `ip -n ${fns} addr add ${r.fprIp}/31 dev ${fpr}`,
      `ip -n ${ns} link set ${rfp} up`,
      `ip -n ${fns} link set ${fpr} up`,
      // permanent neighbour entries both ways on the veth (Stein ac5815a110)
      `ip -n ${ns} neigh replace ${r.fprIp} lladdr $(ip -n ${fns} -br link show ${fpr} | awk '{print $3}') dev ${rfp} nud permanent`,
      `ip -n ${fns} neigh replace ${r.rfpIp} lladdr $(ip -n ${ns} -br link show ${rfp} | awk '{print $3}') dev ${fpr} nud permanent`,
      `ip -n ${ns} route add default via ${r.fprIp} dev ${rfp} table ${FIP_RT_TBL}`,
      `ip -n ${fns} rule add iif ${fpr} lookup ${fidx} priority ${fidx}`,
      `ip -n ${fns} route add default via ${plan.extNet.gatewayIp} dev ${fg.device} table ${fidx}`,
    );
    for (const f of mine) out.push(...renderDvrFipAdd(plan, f.ip, f.instance.port.ip));
  }
  out.push(...renderDvrFlows(plan, node));
  return out;
}

/**
 * one distributed FIP on its host: the rule to table 16 and the fip-ns route; before Newton the
 * FIP /32 sits on rfp- too (ground-truth §3b, bug 1462154)
 */
export function renderDvrFipAdd(plan: LabPlan, fip: string, fixed: string): string[] {
  const r = plan.router;
  return [
    `ip -n ${qrouterNs(r.id)} rule add from ${fixed} lookup ${FIP_RT_TBL} priority ${fipRulePriority(plan, fip)}`,
    `ip -n ${fipNs(plan.extNet.id)} route add ${fip}/32 via ${r.rfpIp} dev ${fprDevice(r.id)}`,
    ...(plan.rules.dvrFipOnRfp ? [`ip -n ${qrouterNs(r.id)} addr add ${fip}/32 dev ${rfpDevice(r.id)}`] : []),
  ];
}

/** undo renderDvrFipAdd (address first, as router_info.process_floating_ip_addresses) */
export function renderDvrFipDel(plan: LabPlan, fip: string, fixed: string): string[] {
  const r = plan.router;
  return [
    ...(plan.rules.dvrFipOnRfp ? [`ip -n ${qrouterNs(r.id)} addr del ${fip}/32 dev ${rfpDevice(r.id)} || true`] : []),
    `ip -n ${fipNs(plan.extNet.id)} route del ${fip}/32 via ${r.rfpIp} dev ${fprDevice(r.id)} || true`,
    `ip -n ${qrouterNs(r.id)} rule del from ${fixed} lookup ${FIP_RT_TBL} priority ${fipRulePriority(plan, fip)} || true`,
  ];
}

/**
 * br-tun DVR flows (ground-truth §4.3): frames from the shared qr- MAC leave the host
 * with the host's DVR MAC, frames to the qr- MAC and ARP for the gateway IP stay
 * local — so the same qr- MAC on every compute does not flap the fabric.
 */
function renderDvrFlows(plan: LabPlan, node: PlanNode): string[] {
  const r = plan.router;
  const v = plan.tenantNet.vlan;
  const gw = r.qr.ip;
  return [
    `ovs-ofctl add-flow br-tun "table=0,priority=3,in_port=dt-up,dl_vlan=${v},arp,arp_tpa=${gw},actions=drop"`,
    `ovs-ofctl add-flow br-tun "table=0,priority=1,in_port=patch-int,actions=resubmit(,1)"`,
    `ovs-ofctl add-flow br-tun "table=1,priority=3,dl_vlan=${v},arp,arp_tpa=${gw},actions=drop"`,
    `ovs-ofctl add-flow br-tun "table=1,priority=2,dl_vlan=${v},dl_dst=${r.qr.mac},actions=drop"`,
    `ovs-ofctl add-flow br-tun "table=1,priority=1,dl_vlan=${v},dl_src=${r.qr.mac},actions=mod_dl_src:${node.dvrMac},NORMAL"`,
    `ovs-ofctl add-flow br-tun "table=1,priority=0,actions=NORMAL"`,
  ];
}

/** iptables of snat-<router>: the P1 SNAT set plus the centralized FIPs (ground-truth §3c) */
/**
 * The iptables of a legacy/HA qrouter- namespace as `up` builds them (release era, address-scope
 * marks of the internal port, every associated FIP). One function for up, `lab fip` and the fault
 * heals, so a heal on a `--release zed` lab restores the Zed rules and not the default era's.
 */
export function qrouterIptables(plan: LabPlan, fips: Record<string, string>): string {
  const r = plan.router;
  return renderNsIptables({ era: iptablesEraOf(plan.rules), kind: 'qrouter', internal: [r.qr.device], qg: r.qg.device, gwIp: r.qg.ip,
    fips: associatedFips(plan, fips).map((f) => ({ ip: f.ip, fixed: f.instance.port.ip })) });
}

/** the iptables of a DVR qrouter- namespace on `host` as `up` builds them (its FIPs; rfp- where the host has a fip- namespace) */
export function dvrQrouterIptables(plan: LabPlan, host: string, fips: Record<string, string>): string {
  const r = plan.router;
  return renderNsIptables({ era: iptablesEraOf(plan.rules), kind: 'dvr-qrouter', internal: [r.qr.device], rfp: r.fg[host] !== undefined ? rfpDevice(r.id) : undefined,
    fips: fipsOnHost(plan, host, fips).map((f) => ({ ip: f.ip, fixed: f.instance.port.ip })) });
}

export function snatIptables(plan: LabPlan, fips: Record<string, string>): string {
  const r = plan.router;
  return renderNsIptables({ era: iptablesEraOf(plan.rules), kind: 'snat', internal: [r.sg!.device], qg: r.qg.device, gwIp: r.qg.ip,
    fips: centralizedFips(plan, fips).map((f) => ({ ip: f.ip, fixed: f.instance.port.ip })) });
}

function renderSnatNs(plan: LabPlan, host: string, fips: Record<string, string>): string[] {
  const r = plan.router;
  const ns = snatNs(r.id);
  const ha = r.mode === 'dvr-ha';
  // Zed as really built: the snat namespace is not an HA namespace (addr_gen_mode stays 0, ha- keeps
  // its link-local address); the agent flushes the IPv6 addresses of sg-/qg- and makes their
  // link-local addresses keepalived VIPs (HaRouter._disable_ipv6_addressing_on_interface)
  const realHa = ha && plan.rules.real !== undefined;
  const out = [
    mknsLine(plan, ns, ha && !realHa),
    `nssysctl ${ns} ${ROUTER_SYSCTLS.join(' ')} net.ipv4.ip_nonlocal_bind=${realHa ? 0 : 1} net.netfilter.nf_conntrack_tcp_loose=0`,
    plugLine(ns, r.sg!, 'br-int', plan.tenantNet.vlan),
    plugLine(ns, r.qg, 'br-ex'),
    ...(realHa ? [`ip -n ${ns} -6 addr flush dev ${r.sg!.device}`, `ip -n ${ns} -6 addr flush dev ${r.qg.device}`] : []),
    restoreIptables(ns, snatIptables(plan, fips)),
  ];
  if (!ha) {
    out.push(
      `ip -n ${ns} addr add ${r.sg!.ip}/${r.sg!.prefixLen} dev ${r.sg!.device}`,
      `ip -n ${ns} addr add ${r.qg.ip}/${r.qg.prefixLen} dev ${r.qg.device}`,
      `ip -n ${ns} route add default via ${plan.extNet.gatewayIp} dev ${r.qg.device}`,
      ...centralizedFips(plan, fips).map((f) => `ip -n ${ns} addr add ${f.ip}/32 dev ${r.qg.device}`),
      ...v6Addresses(plan, ns, [r.sg!, r.qg]),
    );
  } else {
    out.push(...renderHaPart(plan, host, fips, ns));
  }
  return out;
}

/** the node-side device of an instance: tap on br-int, or qvo (iptables_hybrid: tap → qbr → qvb/qvo) */
export function ovsDeviceOf(plan: LabPlan, i: PlanInstance): string {
  return plan.variant.firewallDriver === 'iptables_hybrid' ? deviceName('qvo', i.port.id) : i.tap;
}

/**
 * Port-security flows of one instance port (ground-truth §4.1), per firewall driver:
 * default/iptables_hybrid: table 0 arp → 24, table 24 arp_spa per IP (nd_target for IPv6) → 25,
 * table 25 dl_src; openvswitch: the OVS firewall's table 60 → 71 with arp_spa/nd_target and
 * the IP source checks, table 24 keeps only its drop (corpus 9506 compute br-int, 2024.1). The
 * lab's table 71 sends allowed traffic on (resubmit 94 → NORMAL) instead of through conntrack.
 */
export function renderPortSecurityFlows(plan: LabPlan, i: PlanInstance): string[] {
  const p = i.port;
  const ll = p.ip6 ? linkLocalOf(p.mac) : undefined;
  const v6 = p.ip6 ? [p.ip6, ll!] : [];
  if (plan.variant.firewallDriver === 'openvswitch') {
    const m = `reg5=$OF,in_port=$OF,dl_src=${p.mac}`;
    return [
      `ovs-ofctl add-flow br-int "table=0,priority=9,in_port=$OF,actions=resubmit(,60)"`,
      `ovs-ofctl add-flow br-int "table=60,priority=100,in_port=$OF,actions=load:$OF->NXM_NX_REG5[],load:0x${plan.tenantNet.vlan!.toString(16)}->NXM_NX_REG6[],resubmit(,71)"`,
      `ovs-ofctl add-flow br-int "table=71,priority=95,arp,${m},arp_spa=${p.ip},actions=resubmit(,94)"`,
      `ovs-ofctl add-flow br-int "table=71,priority=95,rarp,${m},actions=resubmit(,94)"`,
      `ovs-ofctl add-flow br-int "table=71,priority=65,ip,${m},nw_src=${p.ip},actions=resubmit(,94)"`,
      `ovs-ofctl add-flow br-int "table=71,priority=80,udp,${m},nw_src=0.0.0.0,tp_src=68,tp_dst=67,actions=resubmit(,94)"`,
      ...v6.map((a) => `ovs-ofctl add-flow br-int "table=71,priority=95,icmp6,reg5=$OF,in_port=$OF,icmp_type=136,nd_target=${a},actions=resubmit(,94)"`),
      ...v6.map((a) => `ovs-ofctl add-flow br-int "table=71,priority=65,ipv6,${m},ipv6_src=${a},actions=resubmit(,94)"`),
      `ovs-ofctl add-flow br-int "table=71,priority=10,reg5=$OF,in_port=$OF,actions=drop"`,
    ];
  }
  return [
    `ovs-ofctl add-flow br-int "table=0,priority=10,arp,in_port=$OF,actions=resubmit(,24)"`,
    `ovs-ofctl add-flow br-int "table=24,priority=2,arp,in_port=$OF,arp_spa=${p.ip},actions=resubmit(,25)"`,
    ...(v6.length > 0 ? [`ovs-ofctl add-flow br-int "table=0,priority=10,icmp6,icmp_type=136,in_port=$OF,actions=resubmit(,24)"`] : []),
    ...v6.map((a) => `ovs-ofctl add-flow br-int "table=24,priority=2,icmp6,icmp_type=136,in_port=$OF,nd_target=${a},actions=resubmit(,25)"`),
    `ovs-ofctl add-flow br-int "table=0,priority=9,in_port=$OF,actions=resubmit(,25)"`,
    `ovs-ofctl add-flow br-int "table=25,priority=2,in_port=$OF,dl_src=${p.mac},actions=NORMAL"`,
  ];
}

/** instances hosted on the node: a netns outside `ip netns` (nova's view), plugged per firewall driver, port-security flows */
export function renderInstances(plan: LabPlan, host: string): string[] {
  const out: string[] = [];
  const mine = plan.instances.filter((i) => i.host === host);
  if (mine.length === 0) return out;
  // ARP_SPOOF_TABLE default drop (install_drop(ARP_SPOOF_TABLE), ground-truth §4.1), with every driver
  out.push(`ovs-ofctl add-flow br-int "table=24,priority=0,actions=drop"`);
  if (plan.variant.firewallDriver === 'openvswitch') {
    // the OVS firewall's defaults: table 60 NORMAL for everything else, 71 drop, 94 forwards
    out.push(
      `ovs-ofctl add-flow br-int "table=60,priority=3,actions=NORMAL"`,
      `ovs-ofctl add-flow br-int "table=71,priority=0,actions=drop"`,
      `ovs-ofctl add-flow br-int "table=94,priority=1,actions=NORMAL"`,
    );
  }
  for (const i of mine) {
    const netns = `/run/haprobe-vms/${i.name}`;
    const p = i.port;
    const v6 = p.ip6 !== undefined;
    const vmV6 = v6
      ? `sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0 net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0`
      : `sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1`;
    out.push(
      `touch ${netns}`,
      `unshare --net=${netns} true`,
      `nsenter --net=${netns} ${vmV6}`,
      `ip link add ${i.tap} type veth peer name eth0 netns ${netns}`,
      `nsenter --net=${netns} sh -c 'ip link set lo up && ip link set eth0 address ${p.mac} && ip link set eth0 up && ` +
        `ip addr add ${p.ip}/${p.prefixLen} dev eth0 && ip route add default via ${plan.tenantNet.gatewayIp}` +
        (v6 ? ` && ip -6 addr add ${p.ip6}/64 dev eth0 nodad && ip -6 route add default via ${plan.tenantNet.gatewayIp6}` : '') + `'`,
      `ip link set ${i.tap} up`,
    );
    const dev = ovsDeviceOf(plan, i);
    if (plan.variant.firewallDriver === 'iptables_hybrid') {
      // nova's hybrid plug: tap on the qbr Linux bridge, qvb/qvo veth pair, qvo on br-int
      const qbr = deviceName('qbr', p.id);
      const qvb = deviceName('qvb', p.id);
      out.push(
        `ip link add ${qbr} type bridge stp_state 0 forward_delay 0`,
        `ip link add ${qvb} type veth peer name ${dev}`,
        `ip link set ${qvb} master ${qbr} up`,
        `ip link set ${i.tap} master ${qbr}`,
        `ip link set ${dev} up`,
        `ip link set ${qbr} up`,
      );
    }
    out.push(
      `ovs-vsctl --may-exist add-port br-int ${dev} tag=${p.adminDown ? 4095 : plan.tenantNet.vlan} -- set Interface ${dev} ` +
        `external_ids:iface-id=${p.id} external_ids:iface-status=active external_ids:attached-mac=${p.mac} ` +
        `external_ids:vm-uuid=${i.id}`,
      `OF=$(ovs-vsctl get Interface ${dev} ofport)`,
      ...renderPortSecurityFlows(plan, i),
    );
  }
  return out;
}

/** the L3 agent's part on `host`: qrouter (and fip ns, DVR flows), snat ns */
export function renderRouterOnNode(plan: LabPlan, host: string, fips: Record<string, string>): string[] {
  const r = plan.router;
  const out: string[] = [];
  if (r.hosts.includes(host)) {
    if (r.mode === 'legacy' || r.mode === 'ha') out.push(...renderLegacyOrHaRouter(plan, host, fips));
    else out.push(...renderDvrRouter(plan, host, fips));
  }
  if (r.snatHosts.includes(host)) out.push(...renderSnatNs(plan, host, fips));
  return out;
}

