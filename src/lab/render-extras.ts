import { renderKeepalivedConf, primaryVip } from './render-keepalived';
import { iptablesEraOf, renderNsIptables } from './render-iptables';
import { HA_CONFS, mknsLine, plugLine, qrouterNs, renderHaStart, renderPortSecurityFlows, ROUTER_SYSCTLS } from './render-node';
import { linkLocalOf } from './plan';
import type { LabPlan } from './types';

/**
 * `lab up --extras` on one node (pure text, appended to the node's dataplane script):
 * - network nodes: qrouter of r2, an HA router with VRID 2 on the same HA network (so two
 *   keepalived pairs share the ha- VLAN) and no gateway: no qg-, no default route, no SNAT;
 * - the first compute: an instance port with admin_state_up=False, which the OVS agent parks on
 *   the dead VLAN 4095 with a drop for its in_port (ovs_neutron_agent.port_dead).
 */
export function renderExtrasOnNode(plan: LabPlan, host: string): string[] {
  const x = plan.extras;
  if (!x) return [];
  const out: string[] = [];
  const r2 = x.router;
  if (r2.hosts.includes(host)) {
    const ns = qrouterNs(r2.id);
    const ha = r2.ha[host];
    const conf = extraKeepalivedConf(plan, host);
    const watch = extraHaWatch(plan, host);
    out.push(
      mknsLine(plan, ns, true),
      `nssysctl ${ns} ${[...ROUTER_SYSCTLS, `net.ipv4.ip_nonlocal_bind=${plan.rules.haNonlocalBind ? 1 : 0}`].join(' ')}`,
      plugLine(ns, r2.qr, 'br-int', x.tenantNet.vlan),
      // a router without gateway: the metadata and filter chains only (no qg-, no SNAT rules)
      `ip netns exec ${ns} iptables-restore <<'HAPROBE_EOF'\n${renderNsIptables({ era: iptablesEraOf(plan.rules), kind: 'qrouter', internal: [r2.qr.device], fips: [] })}HAPROBE_EOF`,
      plugLine(ns, ha, 'br-int', plan.haNet!.vlan),
      `ip -n ${ns} addr add ${ha.ip}/${ha.prefixLen} dev ${ha.device}`,
      `mkdir -p ${HA_CONFS}/${r2.id}`,
      `cat > ${HA_CONFS}/${r2.id}/keepalived.conf <<'HAPROBE_EOF'\n${conf}HAPROBE_EOF`,
      renderHaStart(plan, { routerId: r2.id, ns, ...watch }),
    );
  }
  if (x.adminDown.host === host) {
    const i = x.adminDown;
    const netns = `/run/haprobe-vms/${i.name}`;
    out.push(
      `touch ${netns}`,
      `unshare --net=${netns} true`,
      `ip link add ${i.tap} type veth peer name eth0 netns ${netns}`,
      `nsenter --net=${netns} sh -c 'ip link set lo up && ip link set eth0 address ${i.port.mac} && ip link set eth0 up && ip addr add ${i.port.ip}/${i.port.prefixLen} dev eth0'`,
      `ip link set ${i.tap} up`,
      `ovs-vsctl --may-exist add-port br-int ${i.tap} tag=4095 -- set Interface ${i.tap} external_ids:iface-id=${i.port.id} ` +
        `external_ids:iface-status=active external_ids:attached-mac=${i.port.mac} external_ids:vm-uuid=${i.id}`,
      `OF=$(ovs-vsctl get Interface ${i.tap} ofport)`,
      // the agent's dead-VLAN drops: every frame tagged 4095, and everything from the parked port
      `ovs-ofctl add-flow br-int "table=0,priority=65535,dl_vlan=4095,actions=drop"`,
      `ovs-ofctl add-flow br-int "table=0,priority=2,in_port=$OF,actions=drop"`,
      // port security does not depend on admin_state_up: the agent still installs the port's
      // ARP anti-spoofing (ground-truth §4.1 skips only port_security off and network:* owners)
      ...renderPortSecurityFlows(plan, i),
    );
  }
  return out;
}

/**
 * keepalived.conf of the --extras router r2 on `host`; `vrid` overrides its own (fault lp1823314
 * gives it the first router's, as parallel creation did before Train)
 */
export function extraKeepalivedConf(plan: LabPlan, host: string, vrid?: number): string {
  const r2 = plan.extras!.router;
  const juno = plan.rules.keepalivedTemplate === 'juno';
  return renderKeepalivedConf({
    vrid: vrid ?? r2.haVrId,
    haDevice: r2.ha[host].device,
    era: plan.rules,
    // Juno: the first VIP is the primary one; without a gateway that is the qr- address
    primary: juno ? { cidr: `${r2.qr.ip}/${r2.qr.prefixLen}`, dev: r2.qr.device } : undefined,
    notifyDir: `${HA_CONFS}/${r2.id}`,
    excluded: juno ? [] : [{ cidr: `${r2.qr.ip}/${r2.qr.prefixLen}`, dev: r2.qr.device },
      // Zed as really built: the qr- link-local address is a VIP too (docs/real-engine.md row 9)
      ...(plan.rules.real ? [{ cidr: `${linkLocalOf(r2.qr.mac)}/64`, dev: r2.qr.device, scope: 'link' as const }] : [])],
  });
}

/** the address whose presence the state-change monitor of r2 reads as primary */
export function extraHaWatch(plan: LabPlan, host: string, vrid?: number): { dev: string; cidr: string } {
  const r2 = plan.extras!.router;
  return plan.rules.keepalivedTemplate === 'juno'
    ? { dev: r2.qr.device, cidr: `${r2.qr.ip}/${r2.qr.prefixLen}` }
    : { dev: r2.ha[host].device, cidr: primaryVip(vrid ?? r2.haVrId) };
}
