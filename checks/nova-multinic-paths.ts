import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { FactsNova, FactsNovaNetwork } from '../src/model/facts-nova';
import { evidenceFor, wasNamespaceCollected } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { findDevice, findNamespace, findNode } from './lib/lookup';
import { dnatRulesFor, natRules, ruleTo } from './lib/nat';
import { ipv4Addresses, sameHost } from './lib/net';
import { NOVA_CODE, NOVA_GROUND_TRUTH, NOVA_SEED, novaOf, publicInterfaceOf } from './lib/nova';

/**
 * nova-network multi-NIC (seed 000 "It is possible to set up two networks … and give the VMs a NIC
 * and an IP on each network. Each of these networks could have its own network host acting as the
 * gateway … One would have to set up a floating IP associated with each of the IPs on the private
 * networks"): for every instance with fixed IPs on two or more single-host networks, the networks'
 * gateways (the host whose bridge carries the dhcp_server, else networks.host) are on different
 * hosts, and each fixed IP's floating IP is bound (/32 on public_interface + PREROUTING DNAT) on its
 * own network's host, so that one network host failing leaves the other path whole.
 */
export const check: Check = {
  id: 'nova-multinic-paths',
  title: 'nova-network multi-NIC: each NIC\'s network has its own gateway host, each FIP bound on its network\'s host',
  description:
    'For an instance with a NIC on two or more single-host nova networks: no two of those networks have their gateway (dhcp_server on ' +
    'the bridge, else networks.host) on the same host, and each fixed IP\'s floating IP is /32 on public_interface with its PREROUTING ' +
    'DNAT on that network\'s host (a FIP on the other network\'s host shares its fate).',
  severity: 'critical',
  references: [NOVA_SEED, { kind: 'seed', ref: '003_8279f87ac232bae0.txt (Option 2: Multi-nic)' }, NOVA_GROUND_TRUTH, NOVA_CODE],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const nova = novaOf(ctx);
    if (!nova) return out.done();
    const byLabel = new Map(nova.networks.map((n) => [n.label, n]));
    const byInstance = new Map<string, { name: string; nics: { address: string; network: FactsNovaNetwork }[] }>();
    for (const f of nova.fixedIps ?? []) {
      const net = byLabel.get(f.network);
      if (!net) continue;
      const e = byInstance.get(f.instance) ?? { name: f.instanceName ?? f.instance, nics: [] };
      e.nics.push({ address: f.address, network: net });
      byInstance.set(f.instance, e);
    }
    const ifc = publicInterfaceOf(nova);
    for (const inst of byInstance.values()) {
      const nets = [...new Map(inst.nics.map((n) => [n.network.label, n.network])).values()];
      if (nets.length < 2) continue;
      if (nets.some((n) => n.multiHost)) {
        out.skip(out.look({ device: nets.map((n) => n.bridge).join('+') }), {
          message: `${inst.name} has NICs on multi_host networks: every network's gateway is its own compute, the paths are not independent of that host by design`,
          evidence: [],
        });
        continue;
      }
      // 1. one gateway host per network, none shared
      const gw = new Map(nets.map((n) => [n.label, gatewayHostOf(ctx, nova, n)]));
      for (let i = 0; i < nets.length; i++) {
        const a = nets[i]!;
        const ga = gw.get(a.label)!;
        const subject = out.look({ node: ga.host, device: a.bridge });
        for (const b of nets.slice(0, i)) {
          const gb = gw.get(b.label)!;
          if (ga.host === undefined || ga.host !== gb.host) continue;
          out.fail(subject, {
            message: `networks ${b.label} and ${a.label} of ${inst.name} both have their gateway on ${ga.host} (${ga.from}): one host failure cuts both NICs`,
            expected: `${b.label} and ${a.label} on different network hosts`,
            actual: `${b.label} → ${gb.host}, ${a.label} → ${ga.host}`,
            evidence: evidenceFor(findNode(ctx.snapshot, ga.host), ['addr:']),
          });
        }
        if (ga.host === undefined) out.skip(subject, { message: `the gateway host of ${a.label} is not known (no networks.host, no node with ${a.dhcpServer ?? a.gateway ?? 'its dhcp_server'} on ${a.bridge})`, evidence: [] });
      }
      // 2. a FIP per fixed IP, bound on its own network's host
      for (const nic of inst.nics) {
        const host = gw.get(nic.network.label)!.host;
        const fips = (nova.floatingIps ?? []).filter((f) => f.fixedIp === nic.address);
        if (fips.length === 0) {
          out.warn(out.look({ node: host, device: nic.network.bridge }), {
            message: `${inst.name} has no floating IP for ${nic.address} on ${nic.network.label}: from outside it is reachable only through its other network`,
            expected: `a floating IP associated with ${nic.address}`, actual: 'none', evidence: host ? evidenceFor(findNode(ctx.snapshot, host), ['addr:']) : [],
          });
          continue;
        }
        for (const f of fips) {
          const subject = out.look({ node: host ?? f.host, floatingIp: f.address });
          if (host === undefined) continue;
          if (f.host !== host) {
            out.fail(subject, {
              message: `floating IP ${f.address} of ${nic.address} (${nic.network.label}) is associated on ${f.host}, not on ${host}, the host of ${nic.network.label}: it fails with the other path`,
              expected: `floating_ips.host = ${host}`, actual: f.host, evidence: host ? evidenceFor(findNode(ctx.snapshot, host), ['addr:']) : [],
            });
            continue;
          }
          const node = findNode(ctx.snapshot, host);
          if (!node || !wasNamespaceCollected(node, '', 'addr')) {
            out.skip(subject, { message: `${host} (host of ${nic.network.label}) was not read`, evidence: [] });
            continue;
          }
          const root = findNamespace(node, '');
          const bound = ipv4Addresses(findDevice(root, ifc)).some((a) => a.address === f.address && a.prefixLen === 32);
          const dnat = root?.iptables && wasNamespaceCollected(node, '', 'iptables')
            ? dnatRulesFor(natRules(root.iptables), 'PREROUTING', f.address).some((r) => sameHost(ruleTo(r), nic.address))
            : undefined;
          const missing = [...(bound ? [] : [`${f.address}/32 on ${ifc}`]), ...(dnat === false ? [`PREROUTING DNAT ${f.address} → ${nic.address}`] : [])];
          if (missing.length > 0) {
            out.fail(subject, {
              message: `floating IP ${f.address} (${inst.name} on ${nic.network.label}) is not bound on ${host}: the instance's path through ${nic.network.label} answers nothing from outside`,
              expected: `${f.address}/32 on ${ifc} and nova-network-PREROUTING -d ${f.address}/32 -j DNAT --to-destination ${nic.address}`,
              actual: `missing: ${missing.join('; ')}`,
              evidence: evidenceFor(node, ['addr:', 'iptables:']),
            });
          } else if (dnat === undefined) {
            out.skip(subject, { message: `iptables of ${host} not collected: the DNAT of ${f.address} is not judged`, evidence: evidenceFor(node, ['versions']) });
          }
        }
      }
    }
    return out.done();
  },
};

/**
 * The host that gateways a single-host network: the read node(s) whose bridge carries its
 * dhcp_server (what the instances really reach), else networks.host from the facts.
 */
function gatewayHostOf(ctx: CheckContext, nova: FactsNova, net: FactsNovaNetwork): { host?: string; from: string } {
  const dhcp = net.dhcpServer ?? net.gateway;
  const seen = dhcp === undefined ? [] : ctx.snapshot.nodes.filter((n) => ipv4Addresses(findDevice(findNamespace(n, ''), net.bridge)).some((a) => a.address === dhcp)).map((n) => n.node);
  if (seen.length === 1) return { host: seen[0], from: `${dhcp} on ${net.bridge}` };
  const host = net.host ?? (nova.networkHosts.length === 1 ? nova.networkHosts[0] : undefined);
  return { host, from: 'networks.host' };
}
