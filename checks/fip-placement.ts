import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { FactsFloatingIp } from '../src/model/facts';
import type { NamespaceSnapshot, NodeSnapshot } from '../src/model/types';
import { evidenceFor, notCollectedReason, partialReason, wasNamespaceCollected } from './lib/evidence';
import { createOutcome, type OutcomeBuilder } from './lib/finding';
import { haRouterState, holdsPrimaryVip, isPrimaryState } from './lib/ha';
import { devicesWithPrefix, findNamespace, findNode, findRouter, fipsOfRouter, liveNamespaces, nodesNamed } from './lib/lookup';
import { isDvrMode, observed, routerMode } from './lib/mode';
import { deviceName, namespaceKind, routerIdFromNamespace } from './lib/names';
import { dnatPairs, natRules, ruleInIface } from './lib/nat';
import { ipv4Addresses, sameHost } from './lib/net';
import { dvrFipsRoutedOnly, releaseLabel, releaseOf } from './lib/release';
import { isCentralizedFip } from '../src/intent/agent-mode';

/** FIP routing table of DVR qrouters (FIP_RT_TBL, ground-truth §3b) */
const FIP_RT_TBL = '16';

function holdsOn(ns: NamespaceSnapshot | undefined, prefix: string, ip: string): string[] {
  return devicesWithPrefix(ns, prefix)
    .filter((d) => d.addresses.some((a) => a.family === 'inet' && a.address === ip && a.prefixLen === 32))
    .map((d) => d.name);
}

/** every (namespace, device) on a node carrying ip as an address */
function holders(node: NodeSnapshot, ip: string): { ns: string; dev: string }[] {
  const out: { ns: string; dev: string }[] = [];
  for (const ns of liveNamespaces(node))
    for (const d of ns.devices) if (d.addresses.some((a) => a.family === 'inet' && a.address === ip)) out.push({ ns: ns.name, dev: d.name });
  return out;
}

/** is this node the HA primary of the router (state file primary/master, or holding the primary VIP)? */
function isHaPrimary(node: NodeSnapshot, routerId: string, nsName: string): boolean | undefined {
  const st = haRouterState(node, routerId);
  if (st?.state !== undefined) return isPrimaryState(st.state);
  const vrid = st?.config?.instances[0]?.virtualRouterId;
  return findNamespace(node, nsName) ? holdsPrimaryVip(node, nsName, vrid) : undefined;
}

function judgeGatewayHolder(
  out: OutcomeBuilder, node: NodeSnapshot, nsName: string, fip: string, mustHold: boolean, why: string,
): void {
  const ns = findNamespace(node, nsName);
  if (!ns) return; // namespace-placement reports a missing namespace
  const subject = out.look({ node: node.node, namespace: nsName, floatingIp: fip });
  const ev = evidenceFor(node, ['netns', `addr:${nsName}`, `keepalived:${routerIdFromNamespace(nsName) ?? ''}`]);
  if (!wasNamespaceCollected(node, ns, 'addr')) {
    out.skip(subject, { message: `floating IP ${fip} in ${nsName} not judged: ${notCollectedReason(node, 'addr', nsName)}`, expected: `${mustHold ? '' : 'no '}${fip}/32 on qg- (${why})`, actual: 'not collected', evidence: ev });
    return;
  }
  const held = holdsOn(ns, 'qg-', fip);
  if (mustHold && held.length === 0)
    out.fail(subject, { message: `floating IP ${fip} is not configured on qg- in ${nsName} on ${node.node}`, expected: `${fip}/32 on qg- (${why})`, actual: 'absent', evidence: ev });
  if (!mustHold && holders(node, fip).some((h) => h.ns === nsName))
    out.fail(subject, { message: `floating IP ${fip} is configured in ${nsName} on ${node.node}, which must not hold it`, expected: `no ${fip} here (${why})`, actual: `on ${holders(node, fip).map((h) => h.dev).join(', ')}`, evidence: ev });
}

/** DVR: route `<FIP> via <rfp ip> dev fpr-` in the fip ns, rule `from <fixed> lookup 16`, table 16 default via fpr ip */
function judgeDvrFip(out: OutcomeBuilder, node: NodeSnapshot, routerId: string, fip: string, fixed: string | undefined, fipNs: string | undefined): void {
  const qrName = `qrouter-${routerId}`;
  const qr = findNamespace(node, qrName);
  const rfpName = deviceName('rfp-', routerId);
  const fprName = deviceName('fpr-', routerId);
  const rfpIp = ipv4Addresses(qr?.devices.find((d) => d.name === rfpName))[0]?.address;
  const fipNsSnap = fipNs ? findNamespace(node, fipNs) : liveNamespaces(node).find((n) => namespaceKind(n.name) === 'fip');
  const fprIp = ipv4Addresses(fipNsSnap?.devices.find((d) => d.name === fprName))[0]?.address;

  if (fipNsSnap && !wasNamespaceCollected(node, fipNsSnap, 'route')) {
    out.skip(out.look({ node: node.node, namespace: fipNsSnap.name, floatingIp: fip }), {
      message: `route of floating IP ${fip} not judged: ${notCollectedReason(node, 'route', fipNsSnap.name)}`,
      expected: `${fip} via ${rfpIp ?? '<rfp ip>'} dev ${fprName}`,
      actual: 'not collected',
      evidence: evidenceFor(node, ['netns']),
    });
  } else if (fipNsSnap) {
    const subject = out.look({ node: node.node, namespace: fipNsSnap.name, floatingIp: fip });
    const route = fipNsSnap.routes.find(
      (r) => sameHost(r.dst, fip) && r.dev === fprName && (r.table === undefined || r.table === 'main') && (!rfpIp || !r.via || r.via === rfpIp),
    );
    if (!route)
      out.fail(subject, {
        message: `no route for floating IP ${fip} via ${fprName} in ${fipNsSnap.name} on ${node.node}`,
        expected: `${fip} via ${rfpIp ?? '<rfp ip>'} dev ${fprName}`,
        actual: fipNsSnap.routes.filter((r) => sameHost(r.dst, fip)).map((r) => r.raw).join('; ') || 'no route',
        evidence: evidenceFor(node, [`route:${fipNsSnap.name}`, `addr:${qrName}`]),
      });
  } else if (fipNs) {
    out.fail(out.look({ node: node.node, namespace: fipNs, floatingIp: fip }), {
      message: `floating IP ${fip} is bound to ${node.node} but ${fipNs} does not exist there`,
      expected: `${fipNs} with a route for ${fip}`,
      actual: 'namespace absent',
      evidence: evidenceFor(node, ['netns']),
    });
  }
  if (!qr) return;
  const subject = out.look({ node: node.node, namespace: qrName, floatingIp: fip });
  if (fixed && !wasNamespaceCollected(node, qr, 'rule'))
    out.skip(subject, { message: `policy rule of floating IP ${fip} not judged: ${notCollectedReason(node, 'rule', qrName)}`, expected: `from ${fixed} lookup ${FIP_RT_TBL}`, actual: 'not collected', evidence: evidenceFor(node, ['netns']) });
  else if (fixed && !qr.rules.some((r) => sameHost(r.from, fixed) && r.table === FIP_RT_TBL))
    out.fail(subject, {
      message: `no policy rule "from ${fixed} lookup ${FIP_RT_TBL}" in ${qrName} on ${node.node} for floating IP ${fip}`,
      expected: `from ${fixed} lookup ${FIP_RT_TBL}`,
      actual: qr.rules.filter((r) => r.table === FIP_RT_TBL).map((r) => r.raw).join('; ') || 'none',
      evidence: evidenceFor(node, [`rule:${qrName}`]),
    });
  // table 16 is judged only when the collector read it (`ip route show table all`)
  const t16 = qr.routes.filter((r) => r.table === FIP_RT_TBL);
  if (t16.length > 0 && !t16.some((r) => r.dst === 'default' && r.dev === rfpName && (!fprIp || r.via === fprIp)))
    out.fail(subject, {
      message: `table ${FIP_RT_TBL} in ${qrName} on ${node.node} has no default route via ${fprIp ?? 'the fpr- address'} dev ${rfpName}`,
      expected: `default via ${fprIp ?? '<fpr ip>'} dev ${rfpName} table ${FIP_RT_TBL}`,
      actual: t16.map((r) => r.raw).join('; '),
      evidence: evidenceFor(node, [`route:${qrName}`]),
    });
}

/**
 * DVR distributed FIPs are never addresses since Newton (bug 1462154; stale rfp- /32s = bug 1675187).
 * Before Newton the agent put the FIP /32 on rfp- of the qrouter (ground-truth §3b): accepted there;
 * with the release unknown such an rfp- /32 is a warn that says which release would explain it.
 */
function judgeNoFipAddress(out: OutcomeBuilder, ctx: CheckContext, fip: string, allowedNs: (node: string, ns: string) => boolean): void {
  const release = releaseOf(ctx.params, ctx.facts?.release);
  const routedOnly = dvrFipsRoutedOnly(release);
  for (const node of ctx.snapshot.nodes)
    for (const h of holders(node, fip)) {
      if (allowedNs(node.node, h.ns)) continue;
      const onRfp = namespaceKind(h.ns) === 'qrouter' && h.dev.startsWith('rfp-');
      if (onRfp && routedOnly === false) continue;
      const input = {
        message: `DVR floating IP ${fip} is configured as an address on ${h.dev} in ${h.ns} on ${node.node}`,
        expected: 'no address: DVR FIPs are routed (fip ns route + proxy ARP on fg-)',
        actual: `${fip} on ${h.dev}`,
        evidence: evidenceFor(node, [`addr:${h.ns}`]),
      };
      if (onRfp && routedOnly === undefined)
        out.warn(out.look({ node: node.node, namespace: h.ns, floatingIp: fip }), { ...input, message: `${input.message}: a /32 on rfp- is the template before Newton (bug 1462154) and stale after it (bug 1675187); release ${releaseLabel(release)}` });
      else out.fail(out.look({ node: node.node, namespace: h.ns, floatingIp: fip }), input);
    }
}

/**
 * DVR: every `from <fixed> lookup 16` rule in a qrouter belongs to a floating IP bound to that host;
 * one left after its FIP was removed (agent restarted meanwhile) routes the fixed IP to the fip
 * namespace without any DNAT/SNAT (lp#1891673).
 */
function judgeStaleFipRules(ctx: CheckContext, out: OutcomeBuilder): void {
  const facts = ctx.facts!;
  for (const r of facts.routers) {
    if (routerMode(ctx, r.id) !== 'dvr' && routerMode(ctx, r.id) !== 'dvr-ha') continue;
    const qrName = `qrouter-${r.id}`;
    for (const node of ctx.snapshot.nodes) {
      const qr = findNamespace(node, qrName);
      if (!qr || !wasNamespaceCollected(node, qr, 'rule')) continue;
      const fixedHere = facts.floatingIps.filter((f) => f.routerId === r.id && f.host === node.node && f.fixedIp).map((f) => f.fixedIp!);
      for (const rule of qr.rules.filter((x) => x.table === FIP_RT_TBL && x.from && x.from !== 'all')) {
        if (fixedHere.some((ip) => sameHost(rule.from, ip))) continue;
        out.fail(out.look({ node: node.node, namespace: qrName }), {
          message: `stale policy rule "from ${rule.from} lookup ${FIP_RT_TBL}" in ${qrName} on ${node.node}: no floating IP of router ${r.id} is bound there for ${rule.from} (lp#1891673)`,
          expected: `lookup ${FIP_RT_TBL} rules only for ${fixedHere.join(', ') || 'no fixed IP'}`,
          actual: rule.raw,
          evidence: evidenceFor(node, [`rule:${qrName}`]),
        });
      }
    }
  }
}

function withFacts(ctx: CheckContext, out: OutcomeBuilder): void {
  const facts = ctx.facts!;
  judgeStaleFipRules(ctx, out);
  const byRouter = new Map<string, FactsFloatingIp[]>();
  for (const f of facts.floatingIps) byRouter.set(f.routerId, [...(byRouter.get(f.routerId) ?? []), f]);

  for (const [routerId, fips] of byRouter) {
    const r = findRouter(facts, routerId);
    const mode = routerMode(ctx, routerId);
    const hosts = r?.hosts ?? [];
    const qrName = `qrouter-${routerId}`;
    for (const f of fips) {
      if (mode === 'legacy' || mode === 'ha') {
        for (const node of nodesNamed(ctx.snapshot, hosts)) {
          if (mode === 'legacy') judgeGatewayHolder(out, node, qrName, f.floatingIp, true, 'legacy router host');
          else {
            const primary = isHaPrimary(node, routerId, qrName);
            if (primary !== undefined) judgeGatewayHolder(out, node, qrName, f.floatingIp, primary, primary ? 'HA primary' : 'HA backup');
          }
        }
        for (const node of ctx.snapshot.nodes) {
          if (hosts.includes(node.node)) continue;
          for (const h of holders(node, f.floatingIp))
            out.fail(out.look({ node: node.node, namespace: h.ns, floatingIp: f.floatingIp }), {
              message: `floating IP ${f.floatingIp} is configured on ${node.node} (${h.dev} in ${h.ns}), which does not host router ${routerId}`,
              expected: `only on ${hosts.join(', ')}`,
              actual: `${f.floatingIp} on ${h.dev}`,
              evidence: evidenceFor(node, [`addr:${h.ns}`]),
            });
        }
        continue;
      }
      // DVR / DVR-HA
      const ext = f.externalNetworkId ?? r?.externalNetworkId;
      if (f.host && !isCentralizedFip(facts, f)) {
        judgeNoFipAddress(out, ctx, f.floatingIp, () => false);
        const node = findNode(ctx.snapshot, f.host);
        if (node) judgeDvrFip(out, node, routerId, f.floatingIp, f.fixedIp, ext ? `fip-${ext}` : undefined);
        // a FIP route on another host = a second proxy-ARP responder (§3 checks 3)
        for (const other of ctx.snapshot.nodes) {
          if (other.node === f.host) continue;
          for (const ns of liveNamespaces(other).filter((n) => namespaceKind(n.name) === 'fip'))
            for (const rt of ns.routes.filter((x) => sameHost(x.dst, f.floatingIp) && x.dev?.startsWith('fpr-')))
              out.fail(out.look({ node: other.node, namespace: ns.name, floatingIp: f.floatingIp }), {
                message: `stale route for floating IP ${f.floatingIp} in ${ns.name} on ${other.node}; its instance is on ${f.host}`,
                expected: `route only on ${f.host}`,
                actual: rt.raw,
                evidence: evidenceFor(other, [`route:${ns.name}`]),
              });
        }
      } else {
        // centralized FIP (no host, or its instance on a dvr_no_external node): on qg- of the snat namespace
        const snatName = `snat-${routerId}`;
        judgeNoFipAddress(out, ctx, f.floatingIp, (_n, ns) => ns === snatName);
        for (const node of nodesNamed(ctx.snapshot, r?.snatHosts)) {
          const primary = mode === 'dvr-ha' ? isHaPrimary(node, routerId, snatName) : true;
          if (primary !== undefined) judgeGatewayHolder(out, node, snatName, f.floatingIp, primary, 'centralized floating IP');
        }
      }
    }
  }

  // no extra /32 on qg-: every host address there must be a FIP of that router (process_floating_ip_addresses)
  for (const node of ctx.snapshot.nodes)
    for (const ns of liveNamespaces(node)) {
      const rid = routerIdFromNamespace(ns.name);
      if (!rid) continue;
      const r = findRouter(facts, rid);
      const known = new Set([...fipsOfRouter(facts, rid).map((f) => f.floatingIp), ...(r?.gatewayIp ? [r.gatewayIp] : [])]);
      for (const dev of devicesWithPrefix(ns, 'qg-'))
        for (const a of ipv4Addresses(dev).filter((x) => x.prefixLen === 32 && !known.has(x.address)))
          out.fail(out.look({ node: node.node, namespace: ns.name, floatingIp: a.address }), {
            message: `${a.address}/32 on ${dev.name} in ${ns.name} on ${node.node} is not a floating IP of router ${rid}`,
            expected: 'only associated floating IPs as /32 on qg-',
            actual: `${a.address}/32 on ${dev.name}`,
            evidence: evidenceFor(node, [`addr:${ns.name}`]),
          });
    }
}

function withoutFacts(ctx: CheckContext, out: OutcomeBuilder): void {
  const obs = observed(ctx);
  const release = releaseOf(ctx.params);
  for (const node of ctx.snapshot.nodes)
    for (const ns of liveNamespaces(node)) {
      const rid = routerIdFromNamespace(ns.name);
      if (!rid) continue;
      const mode = routerMode(ctx, rid, obs);
      const pairs = dnatPairs(natRules(ns.iptables));
      const dnatFips = new Set(pairs.map((p) => p.floatingIp));
      for (const p of pairs) {
        const viaRfp = ruleInIface(p.rule)?.value.startsWith('rfp-') === true;
        if (isDvrMode(mode) && (viaRfp || namespaceKind(ns.name) === 'qrouter')) {
          judgeNoFipAddress(out, ctx, p.floatingIp, (_n, x) => x.startsWith('snat-'));
          judgeDvrFip(out, node, rid, p.floatingIp, p.fixedIp, undefined);
          continue;
        }
        const primary = mode === 'ha' || mode === 'dvr-ha' ? isHaPrimary(node, rid, ns.name) : true;
        if (primary !== undefined) judgeGatewayHolder(out, node, ns.name, p.floatingIp, primary, primary ? 'router holding the gateway' : 'HA backup');
      }
      // host addresses on qg- with no DNAT rule behind them: judged only where the nat table was read
      // whole (issue 15: iptables not collected is not "no DNAT rule")
      const natRead = wasNamespaceCollected(node, ns, 'iptables');
      const natPartial = partialReason(node, `iptables:${ns.name}`);
      for (const dev of devicesWithPrefix(ns, 'qg-'))
        for (const a of ipv4Addresses(dev).filter((x) => x.prefixLen === 32 && !dnatFips.has(x.address))) {
          const subject = out.look({ node: node.node, namespace: ns.name, floatingIp: a.address });
          const input = {
            message: `${a.address}/32 on ${dev.name} in ${ns.name} on ${node.node} has no DNAT rule: stale floating IP address`,
            expected: 'a /32 on qg- only for a floating IP with NAT rules',
            actual: `${a.address}/32 on ${dev.name}`,
            evidence: evidenceFor(node, [`addr:${ns.name}`, `iptables:${ns.name}`]),
          };
          if (!natRead) out.skip(subject, { ...input, message: `${a.address}/32 on ${dev.name} in ${ns.name} not judged: ${notCollectedReason(node, 'iptables', ns.name)}`, actual: `${input.actual}, NAT not collected` });
          else if (natPartial) out.warn(subject, { ...input, message: `${a.address}/32 on ${dev.name} in ${ns.name} on ${node.node}: no DNAT rule seen, not judged: ${natPartial}` });
          else out.fail(subject, input);
        }
      // FIP /32s on rfp- with no DNAT rule behind them: stale whatever the release (bug 1675187); those
      // with a DNAT rule were judged above, per release (judgeNoFipAddress)
      for (const dev of devicesWithPrefix(ns, 'rfp-'))
        for (const a of ipv4Addresses(dev).filter((x) => x.prefixLen === 32 && !dnatFips.has(x.address)))
          if (!natRead || natPartial)
            // not collected: skip; read in part: warn (as for qg- above)
            out[natRead ? 'warn' : 'skip'](out.look({ node: node.node, namespace: ns.name, floatingIp: a.address }), {
              message: `${a.address}/32 on ${dev.name} in ${ns.name} on ${node.node}: no DNAT rule seen, not judged: ${natPartial ?? notCollectedReason(node, 'iptables', ns.name)}`,
              actual: `${a.address}/32 on ${dev.name}`,
              evidence: evidenceFor(node, [`addr:${ns.name}`, `iptables:${ns.name}`]),
            });
          else out.fail(out.look({ node: node.node, namespace: ns.name, floatingIp: a.address }), {
            message: `${a.address}/32 on ${dev.name} in ${ns.name} on ${node.node} has no DNAT rule: stale floating IP address (bug 1675187)`,
            expected: dvrFipsRoutedOnly(release) === false ? 'a /32 on rfp- only for a floating IP with NAT rules' : 'only the /31 link-local address on rfp-',
            actual: `${a.address}/32 on ${dev.name}`,
            evidence: evidenceFor(node, [`addr:${ns.name}`]),
          });
    }
}

export const check: Check = {
  id: 'fip-placement',
  title: 'Floating IPs are owned by exactly the place the HA mode says',
  description:
    'Legacy: FIP /32 on qg- of the hosting node; L3 HA: on the primary only; DVR: no FIP address anywhere, a ' +
    '<FIP> via <rfp ip> dev fpr- route in the instance host fip namespace and from <fixed> lookup 16 (before Newton also a /32 on rfp-; ' +
    'centralized FIPs of dvr_no_external hosts on qg- of snat-<router>); no stray /32 on qg-. Unknown release: release-dependent forms warn.',
  severity: 'critical',
  references: [
    { kind: 'doc', ref: 'ground-truth §1b, §2b, §3b, §8.3' },
    { kind: 'bug', ref: 'lp#1462154' },
    { kind: 'bug', ref: 'lp#1675187' },
    { kind: 'bug', ref: 'lp#1891673' },
    { kind: 'bug', ref: 'lp#1794305' },
    { kind: 'seed', ref: '002_1c6d23d4934ab412.txt (OVS HA using DVR)' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    if (ctx.facts) withFacts(ctx, out);
    else withoutFacts(ctx, out);
    return out.done();
  },
};
