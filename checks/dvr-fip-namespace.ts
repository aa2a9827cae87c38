import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { NamespaceSnapshot, NodeSnapshot } from '../src/model/types';
import { evidenceFor, notCollectedReason, wasNamespaceCollected } from './lib/evidence';
import { createOutcome, type OutcomeBuilder } from './lib/finding';
import { agentGatewayPort, devicesWithPrefix, findDevice, findNamespace, liveNamespaces } from './lib/lookup';
import { isDvrMode } from './lib/mode';
import { deviceName, namespaceKind, networkIdFromFipNamespace, routerIdFromNamespace } from './lib/names';
import { fgProxyDelaySet, releaseLabel, releaseOf } from './lib/release';
import { cidrContains, formatAddresses, ipv4Addresses, stripPrefix, ipv4ToInt } from './lib/net';

/**
 * fip-<ext net> namespace of DVR (ground-truth §3b): exactly one fg- (lp#1597561) with
 * proxy_arp=1, and per router an rfp-/fpr- veth pair with a /31 from 169.254.64.0/18
 * (169.254.30.0/23 before Newton, lp#1562110); missing pair = lp#1776984, no IPs = lp#1566383;
 * proxy_delay of fg- above 1 on 2023.1+ = lp#1920975 (up to 800 ms before a FIP's first ARP answer).
 */

/** proxy_delay of fg- (jiffies, kernel default 80): 1 since 2023.1; older releases leave the default */
function judgeProxyDelay(out: OutcomeBuilder, subject: object, ns: NamespaceSnapshot, fg: string, node: NodeSnapshot, release: string | undefined): void {
  const key = `net.ipv4.neigh.${fg}.proxy_delay`;
  const value = ns.sysctls[key]?.trim();
  if (value === undefined || !/^\d+$/.test(value) || Number(value) <= 1) return;
  const era = fgProxyDelaySet(release);
  if (era === false) return;
  const input = {
    message: `proxy_delay is ${value} on ${fg} in ${ns.name} on ${node.node}: proxy ARP answers for its floating IPs wait up to ${Number(value) * 10} ms (lp#1920975)`,
    expected: `${key} = 1 (release ${releaseLabel(release)})`,
    actual: `${key} = ${value}`,
    evidence: evidenceFor(node, [`sysctl:${ns.name}`]),
  };
  if (era === true) out.fail(subject, input);
  else out.warn(subject, { ...input, message: `${input.message}; the agent sets 1 since 2023.1, release ${releaseLabel(release)}: not judged` });
}
const LL_RANGES = ['169.254.64.0/18', '169.254.30.0/23'];

function linkLocal31(ns: NamespaceSnapshot | undefined, name: string): { ip: string; net: number } | undefined {
  const a = ipv4Addresses(findDevice(ns, name)).find((x) => x.prefixLen === 31 && LL_RANGES.some((c) => cidrContains(c, x.address)));
  const n = a ? ipv4ToInt(a.address) : undefined;
  return a && n !== undefined ? { ip: a.address, net: Math.floor(n / 2) } : undefined;
}

/**
 * The rfp-/fpr- /31 pool of a node's L3 agent (lp#1562110): LinkLocalAllocator hands out
 * subnet.subnet(31) of DVR_FIP_LL_CIDR, one /31 per router with a gateway on the host, across all
 * fip- namespaces of the agent (one allocation file). 169.254.30.0/23 (Juno–Mitaka before the fix)
 * holds 256 pairs: with 256 routers in use the next router add fails with "Cannot allocate item of
 * type LinkLocalAddressPair"; 169.254.64.0/18 holds 8192. The pool is read from the addresses
 * in use (the range they sit in), so an unknown release is judged the same way.
 */
export const LL_POOLS: readonly { cidr: string; pairs: number }[] = [
  { cidr: '169.254.64.0/18', pairs: 8192 },
  { cidr: '169.254.30.0/23', pairs: 256 },
];

/** /31 networks in use per pool: the fpr- ends of every fip- namespace of a node (pure) */
export function countLinkLocalPairs(fipNamespaces: readonly NamespaceSnapshot[]): Map<string, Set<number>> {
  const used = new Map<string, Set<number>>();
  for (const ns of fipNamespaces)
    for (const dev of devicesWithPrefix(ns, 'fpr-'))
      for (const a of ipv4Addresses(dev)) {
        const pool = LL_POOLS.find((p) => a.prefixLen === 31 && cidrContains(p.cidr, a.address));
        const n = ipv4ToInt(a.address);
        if (!pool || n === undefined) continue;
        const set = used.get(pool.cidr) ?? new Set<number>();
        set.add(Math.floor(n / 2));
        used.set(pool.cidr, set);
      }
  return used;
}

function judgeLinkLocalPool(out: OutcomeBuilder, node: NodeSnapshot, fipNamespaces: readonly NamespaceSnapshot[]): void {
  const read = fipNamespaces.filter((ns) => wasNamespaceCollected(node, ns, 'addr'));
  if (read.length === 0) return;
  for (const [cidr, nets] of countLinkLocalPairs(read)) {
    const pool = LL_POOLS.find((p) => p.cidr === cidr)!;
    const subject = out.look({ node: node.node, namespace: read[0]!.name });
    const input = {
      expected: `fewer rfp-/fpr- /31 pairs than the ${pool.pairs} of ${cidr}`,
      actual: `${nets.size} /31 pair(s) of ${cidr} on fpr- devices of ${read.map((n) => n.name).join(', ')}`,
      evidence: evidenceFor(node, read.map((n) => `addr:${n.name}`)),
    };
    if (nets.size >= pool.pairs)
      out.fail(subject, { ...input, message: `DVR link-local pool ${cidr} on ${node.node} is exhausted: ${nets.size} of ${pool.pairs} /31 pairs in use, the next router with a gateway on this host cannot be wired (lp#1562110)` });
    else if (nets.size >= Math.floor(pool.pairs * 0.9))
      out.warn(subject, { ...input, message: `DVR link-local pool ${cidr} on ${node.node} is nearly exhausted: ${nets.size} of ${pool.pairs} /31 pairs in use (lp#1562110)` });
  }
}

function judgePair(out: OutcomeBuilder, node: NodeSnapshot, fipNs: NamespaceSnapshot, routerId: string): void {
  const qrName = `qrouter-${routerId}`;
  const qr = findNamespace(node, qrName);
  const rfp = deviceName('rfp-', routerId);
  const fpr = deviceName('fpr-', routerId);
  const subject = out.look({ node: node.node, namespace: fipNs.name, device: fpr });
  const ev = evidenceFor(node, [`addr:${fipNs.name}`, `addr:${qrName}`]);
  const unread = [fipNs.name, qrName].filter((n) => !wasNamespaceCollected(node, n, 'addr'));
  if (unread.length > 0) {
    out.skip(subject, { message: `rfp-/fpr- pair of router ${routerId} not judged: ${unread.map((n) => notCollectedReason(node, 'addr', n)).join('; ')}`, expected: `${rfp} in ${qrName} ↔ ${fpr} in ${fipNs.name}`, actual: 'not collected', evidence: evidenceFor(node, ['netns']) });
    return;
  }
  const hasFpr = findDevice(fipNs, fpr) !== undefined;
  const hasRfp = findDevice(qr, rfp) !== undefined;
  if (!hasFpr || !hasRfp) {
    out.fail(subject, {
      message: `router ${routerId} on ${node.node} lacks its ${!hasFpr ? fpr : rfp} veth end (lp#1776984)`,
      expected: `${rfp} in ${qrName} ↔ ${fpr} in ${fipNs.name}`,
      actual: `${rfp} ${hasRfp ? 'present' : 'absent'}, ${fpr} ${hasFpr ? 'present' : 'absent'}`,
      evidence: ev,
    });
    return;
  }
  const a = linkLocal31(qr, rfp);
  const b = linkLocal31(fipNs, fpr);
  if (!a || !b || a.net !== b.net)
    out.fail(subject, {
      message: `${rfp}/${fpr} of router ${routerId} on ${node.node} do not share a /31 from 169.254.64.0/18 (lp#1566383)`,
      expected: 'one /31 pair from 169.254.64.0/18',
      actual: `${rfp}: ${formatAddresses(ipv4Addresses(findDevice(qr, rfp)))}; ${fpr}: ${formatAddresses(ipv4Addresses(findDevice(fipNs, fpr)))}`,
      evidence: ev,
    });
}

export const check: Check = {
  id: 'dvr-fip-namespace',
  title: 'DVR fip namespaces have one fg- with proxy ARP and an rfp-/fpr- pair per router',
  description:
    'Each fip-<external net> namespace holds exactly one fg- device (lp#1597561) with proxy_arp=1, and every local DVR router ' +
    'with a gateway has its rfp-/fpr- veth pair addressed with a /31 from 169.254.64.0/18; the /31 pool of a node is not exhausted (lp#1562110).',
  severity: 'major',
  references: [
    { kind: 'doc', ref: 'ground-truth §3b, §3 checks 1 and 3' },
    { kind: 'bug', ref: 'lp#1597561' },
    { kind: 'bug', ref: 'lp#1776984' },
    { kind: 'bug', ref: 'lp#1566383' },
    { kind: 'bug', ref: 'lp#1920975' },
    { kind: 'bug', ref: 'lp#1562110' },
    { kind: 'seed', ref: '002_1c6d23d4934ab412.txt (OVS HA using DVR)' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    for (const node of ctx.snapshot.nodes) {
      const fipNamespaces = liveNamespaces(node).filter((n) => namespaceKind(n.name) === 'fip');
      for (const ns of fipNamespaces) {
        const subject = out.look({ node: node.node, namespace: ns.name });
        const ev = evidenceFor(node, [`addr:${ns.name}`]);
        if (!wasNamespaceCollected(node, ns, 'addr')) {
          out.skip(subject, { message: `fg-/fpr- devices of ${ns.name} not judged: ${notCollectedReason(node, 'addr', ns.name)}`, expected: 'exactly one fg-', actual: 'not collected', evidence: evidenceFor(node, ['netns']) });
          continue;
        }
        const fgs = devicesWithPrefix(ns, 'fg-');
        const netId = networkIdFromFipNamespace(ns.name)!;
        if (fgs.length !== 1)
          out.fail(subject, {
            message: `${ns.name} on ${node.node} has ${fgs.length} fg- devices${fgs.length > 1 ? ' (lp#1597561)' : ''}`,
            expected: 'exactly one fg-',
            actual: fgs.map((d) => d.name).join(', ') || 'none',
            evidence: ev,
          });
        const port = agentGatewayPort(ctx.facts, node.node, netId);
        for (const fg of fgs) {
          const devSubject = out.look({ node: node.node, namespace: ns.name, device: fg.name });
          if (port && deviceName('fg-', port.id) === fg.name) {
            const missing = port.fixedIps.filter((ip) => ip.includes('.') && !ipv4Addresses(fg).some((a) => a.address === stripPrefix(ip)));
            if (missing.length > 0)
              out.fail(devSubject, { message: `${fg.name} on ${node.node} lacks its agent gateway address ${missing.join(', ')}`, expected: port.fixedIps.join(', '), actual: formatAddresses(ipv4Addresses(fg)), evidence: ev });
          } else if (ipv4Addresses(fg).length === 0) {
            out.fail(devSubject, { message: `${fg.name} in ${ns.name} on ${node.node} has no IPv4 address`, expected: 'the agent gateway port address', actual: 'none', evidence: ev });
          }
          const key = `net.ipv4.conf.${fg.name}.proxy_arp`;
          const value = ns.sysctls[key] ?? ns.sysctls[key.replace(/\./g, '/')];
          const sev = evidenceFor(node, [`sysctl:${ns.name}`]);
          if (value === undefined)
            out.warn(devSubject, { message: `proxy_arp of ${fg.name} on ${node.node} was not collected`, expected: `${key} = 1`, actual: 'not collected', evidence: sev });
          else if (value.trim() !== '1')
            out.fail(devSubject, { message: `proxy_arp is ${value} on ${fg.name} in ${ns.name} on ${node.node}: nobody answers ARP for its floating IPs`, expected: `${key} = 1`, actual: `${key} = ${value}`, evidence: sev });
          judgeProxyDelay(out, devSubject, ns, fg.name, node, releaseOf(ctx.params, ctx.facts?.release));
        }
        // routers that must be wired to this fip namespace
        const routerIds = new Set<string>();
        for (const qr of liveNamespaces(node)) {
          const rid = routerIdFromNamespace(qr.name);
          if (!rid || namespaceKind(qr.name) !== 'qrouter') continue;
          const fr = ctx.facts?.routers.find((r) => r.id === rid);
          const wired = fr
            ? isDvrMode(fr.mode) && fr.externalNetworkId === netId
            : devicesWithPrefix(qr, 'rfp-').length > 0 || findDevice(ns, deviceName('fpr-', rid)) !== undefined;
          if (wired) routerIds.add(rid);
        }
        for (const rid of routerIds) judgePair(out, node, ns, rid);
        for (const fpr of devicesWithPrefix(ns, 'fpr-'))
          if (![...routerIds].some((rid) => deviceName('fpr-', rid) === fpr.name))
            out.warn(out.look({ node: node.node, namespace: ns.name, device: fpr.name }), {
              message: `${fpr.name} in ${ns.name} on ${node.node} belongs to no local DVR router (stale veth)`,
              expected: 'an fpr- only for routers with a qrouter namespace here',
              actual: `${fpr.name} present`,
              evidence: ev,
            });
      }
      judgeLinkLocalPool(out, node, fipNamespaces);
      // a qrouter with an rfp- needs a fip namespace on the same node
      if (fipNamespaces.length === 0)
        for (const qr of liveNamespaces(node).filter((n) => namespaceKind(n.name) === 'qrouter' && devicesWithPrefix(n, 'rfp-').length > 0))
          out.fail(out.look({ node: node.node, namespace: qr.name }), {
            message: `${qr.name} on ${node.node} has an rfp- device but the node has no fip- namespace`,
            expected: 'fip-<external net> on the same node',
            actual: 'no fip- namespace',
            evidence: evidenceFor(node, ['netns']),
          });
    }
    return out.done();
  },
};
