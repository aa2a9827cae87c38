import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { OvnNat, OvnNorthbound, OvnSwitchPort } from '../src/model/ovn-types';
import { createOutcome } from './lib/finding';
import { cidrContains, ipv4ToInt } from './lib/net';
import { findOvnCentral, listGatewayPorts, OVN_GROUND_TRUTH } from './lib/ovn';

/** "10.0.1.1/24" → "10.0.1.0/24" (IPv4 only; undefined otherwise) */
function networkOf(cidr: string): string | undefined {
  const [ip, len] = cidr.split('/');
  const n = ipv4ToInt(ip ?? '');
  const bits = Number(len);
  if (n === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  const net = (n & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${bits}`;
}

/** the instance port behind a FIP row: its logical_port, neutron:fip_port_id, or the VIF holding logical_ip */
function findVmPort(nb: OvnNorthbound, nat: OvnNat): OvnSwitchPort | undefined {
  const byName = nat.logicalPort ?? nat.externalIds['neutron:fip_port_id'];
  if (byName) {
    const p = nb.switchPorts.find((x) => x.name === byName);
    if (p) return p;
  }
  return nb.switchPorts.find((p) => p.type === '' && p.addresses.some((a) => a.split(/\s+/).slice(1).includes(nat.logicalIp)));
}


/**
 * ground-truth §6c, check 3: per router, one `snat` per internal IPv4 subnet (when the router
 * SNATs at all: enable_snat=False leaves none) and one `dnat_and_snat` per floating IP; a
 * distributed FIP carries BOTH logical_port and external_mac (= the instance port's MAC). neutron
 * sets logical_port on every FIP row, centralized ones too (found on the live ovn-centralized lab:
 * a healthy centralized FIP is logical_port without external_mac, not a bug). With
 * distributed floating IPs in use (param distributedFloatingIps true, or auto: some FIP row has an
 * external_mac), a FIP row without external_mac whose port is up was committed centralized by
 * mistake: LP 2111593 / LP 2161095 (the FIP is then served by the gateway, or not at all).
 */
export const check: Check = {
  id: 'ovn-nat-rows',
  title: 'ML2/OVN: one snat per subnet, one dnat_and_snat per floating IP, distributed FIPs with logical_port and external_mac',
  description:
    'Reads NB NAT rows of every router: no two snat rows for one subnet, an snat for every internal IPv4 subnet when the router SNATs, ' +
    'no two dnat_and_snat for one floating IP, no external_mac without logical_port, external_mac = neutron:fip_external_mac when recorded, and with distributed FIPs ' +
    'no up port\'s FIP left without external_mac (LP 2111593, LP 2161095); logical_port alone is a centralized FIP (neutron sets it in both modes).',
  severity: 'major',
  references: [OVN_GROUND_TRUTH, { kind: 'bug', ref: 'lp#2111593' }, { kind: 'bug', ref: 'lp#2161095' }, { kind: 'bug', ref: 'lp#2025264' }, { kind: 'code', ref: 'openstack/neutron neutron/plugins/ml2/drivers/ovn/mech_driver/ovsdb/ovn_client.py' }],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const { nb, nbEvidence: ev } = findOvnCentral(ctx);
    if (!nb) {
      if (ctx.snapshot.nodes.some((n) => n.ovn)) out.skip(out.look({}), { message: 'the OVN northbound database was not read on any node: NAT rows not judged', evidence: [] });
      return out.done();
    }
    const param = ctx.params['distributedFloatingIps'];
    const fips = nb.routers.flatMap((r) => r.nat.filter((n) => n.type === 'dnat_and_snat'));
    const distributed = param === true || ((param === undefined || param === 'auto') && fips.some((n) => n.externalMac !== undefined));
    const gwPorts = new Set(listGatewayPorts(nb).map((g) => g.port.name));
    for (const router of nb.routers) {
      const subject = out.look({ router: router.name });
      const snat = router.nat.filter((n) => n.type === 'snat');
      const byIp = new Map<string, OvnNat[]>();
      for (const n of snat) byIp.set(n.logicalIp, [...(byIp.get(n.logicalIp) ?? []), n]);
      for (const [ip, rows] of byIp) {
        if (rows.length > 1) out.fail(subject, { message: `${router.name} has ${rows.length} snat rows for ${ip}`, expected: 'one snat per subnet', actual: rows.map((r) => `snat ${r.externalIp} ${r.logicalIp}`).join('; '), evidence: ev });
      }
      if (snat.length > 0) {
        const subnets = nb.routerPorts
          .filter((p) => router.ports.includes(p.name) && !gwPorts.has(p.name))
          .flatMap((p) => p.networks.map(networkOf).filter((x): x is string => x !== undefined));
        // a subnet is covered by an snat of exactly it or of a wider CIDR (a host /32 snat is not)
        const uncovered = subnets.filter((s) => !snat.some((n) => n.logicalIp.includes('/') && (networkOf(n.logicalIp) === s || cidrContains(n.logicalIp, s.split('/')[0]!))));
        if (uncovered.length > 0) {
          out.fail(subject, { message: `${router.name} SNATs some subnets but not ${uncovered.join(', ')}`, expected: 'one snat per internal subnet', actual: snat.map((r) => `snat ${r.externalIp} ${r.logicalIp}`).join('; '), evidence: ev });
        }
      }
      const byFip = new Map<string, OvnNat[]>();
      for (const n of router.nat.filter((x) => x.type === 'dnat_and_snat')) byFip.set(n.externalIp, [...(byFip.get(n.externalIp) ?? []), n]);
      for (const [fip, rows] of byFip) {
        const fs = out.look({ router: router.name, floatingIp: fip });
        const show = rows.map((r) => `dnat_and_snat ${r.externalIp} ${r.logicalIp}${r.externalMac ? ` ${r.externalMac}` : ''}${r.logicalPort ? ` ${r.logicalPort}` : ''}`).join('; ');
        if (rows.length > 1) {
          out.fail(fs, { message: `floating IP ${fip} has ${rows.length} dnat_and_snat rows on ${router.name}`, expected: 'one dnat_and_snat per floating IP', actual: show, evidence: ev });
          continue;
        }
        const nat = rows[0]!;
        // neutron (ovn_client.py _create_or_update_floatingip) always sets logical_port and adds external_mac
        // only with distributed FIPs and the port up: logical_port alone is a centralized FIP (or a down port's),
        // judged below by the FIP mode; external_mac alone is a row no neutron writes, and OVN ignores it
        if (nat.externalMac !== undefined && nat.logicalPort === undefined) {
          out.fail(fs, { message: `floating IP ${fip}: external_mac without logical_port: OVN ignores the MAC, the FIP is neither distributed nor served as neutron set it`, expected: 'logical_port with external_mac', actual: show, evidence: ev });
          continue;
        }
        const vm = findVmPort(nb, nat);
        // which MAC neutron puts in external_mac depends on the release (the live Zed lab: the FIP's own
        // port's MAC, ovn_client.py `port_db = get_port(fip_db['floating_port_id'])`; ground truth §6c says the
        // instance port's): judged only against the MAC neutron recorded for it, neutron:fip_external_mac
        const intended = nat.externalIds['neutron:fip_external_mac']?.toLowerCase();
        if (nat.externalMac !== undefined && intended !== undefined && intended !== nat.externalMac) {
          out.fail(fs, { message: `floating IP ${fip}: external_mac ${nat.externalMac} is not the MAC neutron recorded for it (neutron:fip_external_mac ${intended})`, expected: `external_mac ${intended}`, actual: show, evidence: ev });
          continue;
        }
        if (distributed && nat.externalMac === undefined && vm?.up === true) {
          out.fail(fs, {
            message: `floating IP ${fip} is centralized although its port ${vm.name} is up and floating IPs are distributed (LP 2111593 / LP 2161095)`,
            expected: `logical_port=${vm.name} external_mac=${intended ?? '<the FIP MAC>'}`, actual: show, evidence: ev,
          });
        }
      }
    }
    return out.done();
  },
};
