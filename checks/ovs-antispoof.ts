import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { OvsFlow } from '../src/model/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { arpSpoofTable, firewallDriverOf, type FirewallDriver } from './lib/firewall';
import { liveNamespaces, ovsInterfaceByIfaceId, ovsInterfaces, portById } from './lib/lookup';
import { cidrContains, stripPrefix } from './lib/net';

/**
 * ARP spoofing protection of the OVS agent (ground-truth §4.1): every instance port has
 * `table=0 priority=10 arp in_port=<ofport> → 24` and `table=24 priority=2 arp in_port=<ofport>
 * arp_spa=<ip>` per fixed IPv4 and allowed-address-pair IP/CIDR; `network:*` ports (routers,
 * DHCP, HA, fg, sg) and ports with port_security_enabled=False have none (the agent removes
 * them); a port with a /0 allowed address pair gets none either (arp_spa cannot match /0).
 * With firewall_driver=openvswitch the OVS firewall does it instead: `arp, in_port, arp_spa` in
 * table 71 and only a drop in table 24; noop: the agent's own table 24, like iptables_hybrid
 * (real Zed, issue 16; checks/lib/firewall.ts).
 * params.bridge: the integration bridge (default br-int); params.firewallDriver (facts win).
 */

function inPortIs(flow: OvsFlow, ofport: number | undefined, name: string): boolean {
  const v = flow.match['in_port']?.replace(/^"|"$/g, '');
  return v !== undefined && (v === name || (ofport !== undefined && v === String(ofport)));
}

const isArp = (f: OvsFlow): boolean => 'arp' in f.match || f.match['dl_type'] === '0x0806';

function prefixOf(ipOrCidr: string): number {
  const i = ipOrCidr.indexOf('/');
  return i < 0 ? 32 : Number(ipOrCidr.slice(i + 1));
}

/** the flow's arp_spa (IP or CIDR) covers the whole of `want` (a fixed IP, or an AAP IP or CIDR) */
function spaCovers(flow: OvsFlow, want: string): boolean {
  const spa = flow.match['arp_spa'];
  if (spa === undefined) return false;
  const wantLen = prefixOf(want);
  if (!spa.includes('/')) return wantLen === 32 && stripPrefix(spa) === stripPrefix(want);
  return prefixOf(spa) <= wantLen && cidrContains(spa, stripPrefix(want));
}

const isIpv4 = (ipOrCidr: string): boolean => stripPrefix(ipOrCidr).includes('.');

export const check: Check = {
  id: 'ovs-antispoof',
  title: 'Instance ports have ARP anti-spoofing flows; router ports have none',
  description:
    'Every instance port on br-int has an arp_spa flow per fixed IP and allowed address pair (table 0 arp→24 and table 24 with iptables_hybrid, ' +
    'table 71 with the openvswitch firewall), so a G-ARP for another address is dropped; network:* ports (routers, DHCP, HA) must not have them; ' +
    'ports with port security disabled or a /0 allowed address pair are not required to (firewall_driver noop still gets the agent\'s table 24 flows).',
  severity: 'major',
  references: [
    { kind: 'doc', ref: 'ground-truth §4.1, §4 checks 1' },
    { kind: 'doc', ref: 'known-bugs-and-anchors §12.5' },
    { kind: 'seed', ref: '002_1c6d23d4934ab412.txt (OVS HA using DVR)' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const bridge = typeof ctx.params['bridge'] === 'string' ? (ctx.params['bridge'] as string) : 'br-int';

    for (const node of ctx.snapshot.nodes) {
      if (!node.ovs) continue;
      const flows = node.flows[bridge];
      const ev = evidenceFor(node, ['ovs-vsctl', `flows:${bridge}`]);
      const fw = firewallDriverOf(ctx, node, bridge);
      // unknown driver: the agent's own table 24 (iptables_hybrid is neutron's default driver)
      const driver: FirewallDriver = fw.driver ?? 'iptables_hybrid';
      const table = arpSpoofTable(driver);
      const inNamespace = new Set(liveNamespaces(node).flatMap((n) => n.devices.map((d) => d.name)));

      /** instance ports: from the facts, or OVS interfaces that look like VM ports (tap/qvo + iface-id + attached-mac,
       *  not a device of a namespace: the DHCP port is a tap… inside qdhcp-, owner network:dhcp, no vm-uuid) */
      const instances = ctx.facts
        ? ctx.facts.instances
            .filter((i) => i.host === node.node)
            .map((i) => {
              const port = portById(ctx.facts, i.portId);
              const aaps = (port?.allowedAddressPairs ?? []).map((p) => p.ipAddress);
              return {
                portId: i.portId,
                ref: ovsInterfaceByIfaceId(node, i.portId),
                // allowed IPv4 = fixed IPs ∪ allowed_address_pairs IPs (ground-truth §4.1)
                ips: [...new Set([i.ip, ...(port?.fixedIps ?? []), ...aaps])],
                portSecurity: port?.portSecurityEnabled !== false,
                zeroPrefixAap: aaps.some((a) => isIpv4(a) && prefixOf(a) === 0),
              };
            })
        : ovsInterfaces(node)
            .filter((r) => /^(tap|qvo)/.test(r.iface.name) && r.iface.externalIds['iface-id'] && r.iface.externalIds['attached-mac'])
            .filter((r) => r.iface.externalIds['vm-uuid'] !== undefined || !inNamespace.has(r.iface.name))
            .map((r) => ({ portId: r.iface.externalIds['iface-id']!, ref: r, ips: [] as string[], portSecurity: true, zeroPrefixAap: false }));

      for (const inst of instances) {
        if (!inst.ref) continue; // not plugged: ovs-ports reports it
        const name = inst.ref.iface.name;
        const ofport = inst.ref.iface.ofport;
        const subject = out.look({ node: node.node, port: inst.portId, device: name });
        // a /0 allowed address pair: the agent installs no ARP protection (arp_spa cannot match /0)
        if (inst.zeroPrefixAap) continue;
        if (!flows) {
          out.warn(subject, { message: `flows of ${bridge} on ${node.node} were not collected`, expected: `ovs-ofctl dump-flows ${bridge}`, actual: 'not collected', evidence: ev });
          continue;
        }
        // ofports are numbered per bridge: a number only identifies the port on the bridge the flows are from
        const sameBridgeOfport = inst.ref.bridge.name === bridge ? ofport : undefined;
        if (!inst.portSecurity) {
          // port_security_enabled=False: the agent removes the port's ARP-spoof flows; left-over
          // ones drop the G-ARPs of addresses the operator meant to allow (ground-truth §4.1)
          const stale = flows.filter((f) => f.table === table && inPortIs(f, sameBridgeOfport, name) && f.match['arp_spa'] !== undefined);
          if (stale.length > 0)
            out.warn(subject, {
              message: `${name} on ${node.node} has port security disabled but still has table ${table} ARP anti-spoofing flows`,
              expected: `no table ${table} arp_spa flows for in_port=${ofport ?? name}`,
              actual: stale.map((f) => f.raw).join('; '),
              evidence: ev,
            });
          continue;
        }
        const mine = flows.filter((f) => inPortIs(f, sameBridgeOfport, name) && isArp(f));
        if (driver !== 'openvswitch') {
          // the agent's own protection: table 0 sends the port's ARP to table 24
          const to24 = mine.some((f) => f.table === 0 && /resubmit\(,24\)|goto_table:24/.test(f.actions));
          if (!to24)
            out.fail(subject, { message: `no table 0 ARP → table ${table} flow for ${name} (ofport ${ofport ?? '?'}) on ${node.node} (firewall ${driver}, ${fw.source})`, expected: `table=0, priority=10, arp, in_port=${ofport ?? name} actions=resubmit(,24)`, actual: 'absent', evidence: ev });
        }
        const spaFlows = mine.filter((f) => f.table === table && f.match['arp_spa'] !== undefined);
        const missing = inst.ips.filter(isIpv4).filter((ip) => !spaFlows.some((f) => spaCovers(f, ip)));
        if (missing.length > 0 || spaFlows.length === 0)
          out.fail(subject, {
            message: `ARP anti-spoofing flow missing for ${name} on ${node.node}${missing.length ? ` (${missing.join(', ')})` : ''} in table ${table} (firewall ${driver}, ${fw.source})`,
            expected: (missing.length ? missing : ['<fixed ip>']).map((ip) => `table=${table}, arp, in_port=${ofport ?? name}, arp_spa=${ip}`).join('; '),
            actual: spaFlows.map((f) => f.raw).join('; ') || 'none',
            evidence: ev,
          });
      }

      // router/network:* ports must not be ARP-filtered (setup_arp_spoofing_protection skips them)
      if (!flows || table === undefined) continue;
      for (const ref of ovsInterfaces(node)) {
        const pid = ref.iface.externalIds['iface-id'];
        const owner = pid ? portById(ctx.facts, pid)?.deviceOwner : undefined;
        const isNetwork = owner ? owner.startsWith('network:') : /^(qr-|qg-|ha-|sg-|fg-)/.test(ref.iface.name);
        if (!isNetwork || ref.bridge.name !== bridge) continue; // qg-/fg- on br-ex: their ofports are another bridge's numbers
        const spa = flows.filter((f) => f.table === table && inPortIs(f, ref.iface.ofport, ref.iface.name) && f.match['arp_spa'] !== undefined);
        if (spa.length === 0) continue;
        out.fail(out.look({ node: node.node, port: pid ?? ref.iface.name, device: ref.iface.name }), {
          message: `router/network port ${ref.iface.name} on ${node.node} has ARP anti-spoofing flows: its G-ARPs for VIPs would be dropped`,
          expected: `no table ${table} arp_spa flows for network:* ports`,
          actual: spa.map((f) => f.raw).join('; '),
          evidence: ev,
        });
      }
    }
    return out.done();
  },
};
