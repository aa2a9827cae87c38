import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { NodeSnapshot } from '../src/model/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { agentGatewayPort, devicesWithPrefix, findNamespace, findRouter, gatewayPort, liveNamespaces } from './lib/lookup';
import { isDvrMode, routerMode } from './lib/mode';
import { namespaceKind } from './lib/names';
import { dnatPairs, natRules } from './lib/nat';
import { normMac, sameHost } from './lib/net';
import { isCentralizedFip } from '../src/intent/agent-mode';

/**
 * Receiver-side proof of G-ARP (known-bugs-and-anchors §12.6; Neutron's removed
 * test_new_fip_sends_garp): on the upstream gateway the neighbour entry of each floating IP
 * points at the MAC that owns it — legacy/HA the qg- port MAC, DVR the fg- MAC of the
 * instance's host (ground-truth §1e, §2e'', §3e). Another MAC = "upstream still points at the
 * old MAC" (lp#1690165, lp#1639315, lp#1715734); no entry = not proven (warn).
 */
const UNUSABLE = new Set(['FAILED', 'INCOMPLETE']);

interface Owner { fip: string; mac?: string; why: string }

function ownersFromFacts(ctx: CheckContext): Owner[] {
  const facts = ctx.facts!;
  return facts.floatingIps.map((f) => {
    const r = findRouter(facts, f.routerId);
    const mode = routerMode(ctx, f.routerId);
    if (isDvrMode(mode) && f.host && !isCentralizedFip(facts, f)) {
      const fg = agentGatewayPort(facts, f.host, f.externalNetworkId ?? r?.externalNetworkId);
      return { fip: f.floatingIp, mac: normMac(fg?.mac), why: `fg- of ${f.host}` };
    }
    return { fip: f.floatingIp, mac: normMac(gatewayPort(facts, f.routerId)?.mac), why: `qg- of router ${f.routerId}` };
  });
}

/** without facts: the qg- holding the FIP /32, or the fg- of the node routing it via fpr- */
function ownersFromSnapshot(ctx: CheckContext): Owner[] {
  const owners = new Map<string, Owner>();
  for (const node of ctx.snapshot.nodes)
    for (const ns of liveNamespaces(node)) {
      const kind = namespaceKind(ns.name);
      if (kind === 'qrouter' || kind === 'snat') {
        for (const p of dnatPairs(natRules(ns.iptables))) if (!owners.has(p.floatingIp)) owners.set(p.floatingIp, { fip: p.floatingIp, why: 'unknown owner' });
        for (const qg of devicesWithPrefix(ns, 'qg-'))
          for (const a of qg.addresses.filter((x) => x.family === 'inet' && x.prefixLen === 32))
            owners.set(a.address, { fip: a.address, mac: normMac(qg.mac), why: `${qg.name} on ${node.node}` });
      }
      if (kind === 'fip') {
        const fg = devicesWithPrefix(ns, 'fg-')[0];
        for (const rt of ns.routes.filter((r) => r.dev?.startsWith('fpr-') && r.dst !== 'default'))
          if (/^\d+\.\d+\.\d+\.\d+(\/32)?$/.test(rt.dst))
            owners.set(rt.dst.replace('/32', ''), { fip: rt.dst.replace('/32', ''), mac: normMac(fg?.mac), why: `${fg?.name ?? 'fg-'} on ${node.node}` });
      }
    }
  return [...owners.values()];
}

function gatewayNodes(ctx: CheckContext): NodeSnapshot[] {
  const named = ctx.facts?.upstream?.node;
  return ctx.snapshot.nodes.filter((n) => n.roles.includes('gateway') || (named !== undefined && n.node === named));
}

export const check: Check = {
  id: 'upstream-neighbour',
  title: 'The upstream gateway resolves every floating IP to the MAC that owns it',
  description:
    'On the upstream gateway the neighbour entry of each floating IP points at its owner (qg- port MAC; DVR: fg- MAC of the ' +
    'instance\'s host); another MAC means the G-ARP that should have moved it never arrived or was not a G-ARP.',
  severity: 'critical',
  references: [
    { kind: 'doc', ref: 'known-bugs-and-anchors §12.6' },
    { kind: 'doc', ref: "ground-truth §1e, §2e'', §3e" },
    { kind: 'bug', ref: 'lp#1690165' },
    { kind: 'bug', ref: 'lp#1639315' },
    { kind: 'bug', ref: 'lp#1870313' },
    { kind: 'bug', ref: 'lp#1273386' },
    { kind: 'bug', ref: 'lp#1715734' },
    { kind: 'seed', ref: '000_323a672a7c9f7b98.txt (computenetworking: send_arp_for_ha)' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const gateways = gatewayNodes(ctx);
    if (gateways.length === 0) return out.done();
    const owners = ctx.facts ? ownersFromFacts(ctx) : ownersFromSnapshot(ctx);
    const nsName = ctx.facts?.upstream?.namespace ?? '';

    for (const gw of gateways) {
      const ns = findNamespace(gw, nsName);
      const ev = evidenceFor(gw, [`neigh:${nsName}`]);
      for (const o of owners) {
        const subject = out.look({ node: gw.node, floatingIp: o.fip });
        const entries = (ns?.neighbours ?? []).filter((n) => sameHost(n.ip, o.fip));
        const usable = entries.filter((n) => n.mac && !UNUSABLE.has((n.state ?? '').toUpperCase()));
        if (usable.length === 0) {
          out.warn(subject, {
            message: `upstream ${gw.node} has no usable neighbour entry for floating IP ${o.fip}: the G-ARP effect is not proven`,
            expected: o.mac ? `${o.fip} lladdr ${o.mac}` : `${o.fip} resolved`,
            actual: entries.map((n) => `${n.ip} ${n.state ?? ''}`.trim()).join('; ') || 'no entry',
            evidence: ev,
          });
          continue;
        }
        if (!o.mac) continue; // owner unknown (self-consistency without an address holder)
        const wrong = usable.filter((n) => normMac(n.mac) !== o.mac);
        if (wrong.length > 0)
          out.fail(subject, {
            message: `upstream ${gw.node} still points floating IP ${o.fip} at ${normMac(wrong[0]!.mac)}, not its owner ${o.mac} (${o.why})`,
            expected: `${o.fip} lladdr ${o.mac}`,
            actual: wrong.map((n) => `${n.ip} lladdr ${normMac(n.mac)} ${n.state ?? ''}`.trim()).join('; '),
            evidence: ev,
          });
      }
    }
    return out.done();
  },
};
