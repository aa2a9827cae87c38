import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { IptablesRule, NamespaceSnapshot, NodeSnapshot } from '../src/model/types';
import { evidenceFor, partialReason } from './lib/evidence';
import { createOutcome, type OutcomeBuilder } from './lib/finding';
import { devicesWithPrefix, findNamespace, gatewayPort, liveNamespaces, nodesNamed } from './lib/lookup';
import { isDvrMode, numParam, observed, routerMode } from './lib/mode';
import { deviceName, namespaceKind, routerIdFromNamespace } from './lib/names';
import {
  dnatPairs, dnatRulesFor, floatSnatPairs, floatSnatRulesFor, guessReleaseFamily, inChain, inSnatChain, METADATA_IP,
  natRules, ruleDestination, ruleInIface, ruleOutIface, ruleTarget, ruleTo,
} from './lib/nat';
import { sameHost, stripPrefix } from './lib/net';
import { dvrFipsRoutedOnly, natRandomFully, releaseLabel, releaseOf } from './lib/release';
import { isCentralizedFip } from '../src/intent/agent-mode';

/**
 * NAT templates of the L3 agent (ground-truth §1c legacy/HA, §3c DVR), with the historical
 * forms accepted (Juno/Kilo `--to` without /32, `! -i qg- ! -o qg-` before bug 1834825,
 * no `--random-fully` before bug 1814002). Two forms are judged on their own: the POSTROUTING
 * `! -i qg-` under the nf_tables backend never matches (bug 1834825, any release), and a gateway
 * SNAT without `--random-fully` on a release that renders it (bug 1814002).
 */
interface NsPlan {
  node: NodeSnapshot;
  ns: string;
  routerId: string;
  /** 'gateway': legacy/HA qrouter or DVR snat ns; 'dvr-local': DVR qrouter on a compute */
  role: 'gateway' | 'dvr-local';
  fips: { floatingIp: string; fixedIp: string }[];
  /** judge router-level SNAT rules (the mark/DNAT SNAT exists on every gateway) */
  snat: boolean;
  /** judge `-o qg- -j SNAT --to-source <gw>` (enable_snat; unknown without facts) */
  gatewaySnat: boolean;
  gatewayIp?: string;
  qgName?: string;
  /** judge the POSTROUTING `! -o qg-|rfp- … ! --ctstate DNAT -j ACCEPT` (a gateway, or DVR FIPs here) */
  postrouting: boolean;
  /** judge the metadata REDIRECT (every qrouter namespace) */
  metadata: boolean;
  /** all FIPs associated to the router: anything else with a DNAT rule is stale */
  knownFips?: Set<string>;
}

function describe(rules: IptablesRule[]): string {
  return `rules look like release family ${guessReleaseFamily(rules)}`;
}

/** iptables-save of the host reads the nf_tables backend (iptables-nft, RHEL 8+, Debian 10+) */
function isNftBackend(node: NodeSnapshot): boolean | undefined {
  const v = node.versions['iptables'];
  return v === undefined ? undefined : /nf_tables/.test(v);
}

/**
 * The two Train fixes of the gateway rules (ground-truth §7 #28, #29):
 * - `! -i qg-` in POSTROUTING: always true under iptables-legacy (no input device there), never
 *   true under nf_tables, so the accept never fires and east-west traffic is SNATed (lp#1834825);
 * - gateway SNAT without `--random-fully` where the release renders it (lp#1814002).
 * Containerised agents may use another backend than the host's iptables: warn, not fail.
 */
function judgeTrainForms(out: OutcomeBuilder, subject: object, rules: IptablesRule[], release: string | undefined, node: NodeSnapshot, nsName: string, ev: string[]): void {
  const containers = node.versions['containers']?.trim();
  const withIn = rules.filter((r) => inChain(r, 'POSTROUTING') && ruleTarget(r) === 'ACCEPT' && ruleInIface(r)?.negated === true && /ctstate DNAT/.test(r.spec));
  const nft = isNftBackend(node);
  const train = natRandomFully(release);
  if (withIn.length > 0 && nft !== false) {
    const input = {
      message: `POSTROUTING accept in ${nsName} on ${node.node} matches \`! -i ${ruleInIface(withIn[0]!)!.value}\`, which never matches under iptables-nft: internal traffic is SNATed (lp#1834825)`,
      expected: 'POSTROUTING ! -o qg-… -m conntrack ! --ctstate DNAT -j ACCEPT (no -i)',
      actual: withIn.map((r) => r.spec).join('; '),
      evidence: [...ev, ...evidenceFor(node, ['versions'])],
    };
    // before Train it is the release's own template: said, not judged (the lab's old-release variants run on nft too)
    if (train !== true) out.note(subject, { ...input, message: `${input.message}; the template of release ${releaseLabel(release)} (fixed in Train): not judged` });
    else if (nft === undefined) out.warn(subject, { ...input, message: `${input.message}; the iptables backend of ${node.node} is unknown: not judged` });
    else if (containers) out.warn(subject, { ...input, message: `${input.message}; the host's iptables is nf_tables but neutron runs in containers (${containers}): not judged` });
    else out.fail(subject, input);
  }
  const snat = rules.filter((r) => inSnatChain(r) && ruleTarget(r) === 'SNAT' && ruleOutIface(r)?.negated !== true && ruleOutIface(r)?.value.startsWith('qg-') === true);
  const plain = snat.filter((r) => !r.spec.includes('--random-fully'));
  if (plain.length === 0 || train === false || release === undefined) return;
  const input = {
    message: `gateway SNAT in ${nsName} on ${node.node} lacks --random-fully: SNAT port clashes under load, conntrack insert_failed grows (lp#1814002)`,
    expected: `-o qg-… -j SNAT --to-source <gw> --random-fully (release ${releaseLabel(release)})`,
    actual: plain.map((r) => r.spec).join('; '),
    evidence: ev,
  };
  if (train === true && !containers) out.fail(subject, input);
  else if (train === true) out.warn(subject, { ...input, message: `${input.message}; neutron runs in containers (${containers}): not judged` });
  else out.note(subject, { ...input, message: `${input.message}; release ${releaseLabel(release)} may predate the Train fix or its backport: not judged` });
}

function judgeNamespace(out: OutcomeBuilder, plan: NsPlan, params: Record<string, unknown>, release: string | undefined): void {
  const { node, ns: nsName } = plan;
  const ns = findNamespace(node, nsName);
  if (!ns) return; // namespace-placement reports it
  const nsSubject = out.look({ node: node.node, namespace: nsName });
  const ev = evidenceFor(node, [`iptables:${nsName}`]);
  if (!ns.iptables) {
    out.warn(nsSubject, { message: `no iptables-save output for ${nsName} on ${node.node}`, expected: 'nat table of the router', actual: 'not collected', evidence: evidenceFor(node, ['netns']) });
    return;
  }
  const rules = natRules(ns.iptables);
  const containers = node.versions['containers']?.trim();
  if (rules.length === 0 && containers) {
    // kolla/TripleO: the agents' iptables (legacy or nf_tables backend) live in their containers; the
    // host's iptables-save may read the other backend and show nothing (issue 15)
    out.skip(nsSubject, {
      message: `the host's iptables-save shows no nat rules in ${nsName} on ${node.node}, and neutron runs in containers (${containers}): the agent's iptables backend may differ from the host's; not judged`,
      expected: 'nat rules read with the iptables of the L3 agent container',
      actual: `no nat rules (host ${node.versions['iptables'] ?? 'iptables version unknown'})`,
      evidence: [...ev, ...evidenceFor(node, ['versions'])],
    });
    return;
  }
  const family = describe(ns.iptables.rules);
  // a partial iptables-save (a publisher's "...") does not show what it left out: an absent rule is then a warn (issue 15)
  const partial = partialReason(node, `iptables:${nsName}`);
  const missing = (subject: object, what: string, template: string): void => {
    const input = { message: `${what} missing in ${nsName} on ${node.node} (${family})`, expected: template, actual: 'absent', evidence: ev };
    if (partial) out.warn(subject, { ...input, message: `${what} not seen in ${nsName} on ${node.node}: not judged, ${partial}` });
    else out.fail(subject, input);
  };

  if (plan.metadata) {
    const port = String(numParam(params, 'metadataPort', 9697));
    const ok = rules.some(
      (r) => inChain(r, 'PREROUTING') && ruleTarget(r) === 'REDIRECT' && ruleInIface(r)?.value === 'qr-+' &&
        /--dport 80(\s|$)/.test(r.spec) && (ruleTo(r) === port || r.spec.includes(`--to-port ${port}`)) &&
        (ruleDestination(r) === undefined || sameHost(ruleDestination(r), METADATA_IP)),
    );
    if (!ok) missing(nsSubject, 'metadata REDIRECT', `PREROUTING -d ${METADATA_IP}/32 -i qr-+ -p tcp -m tcp --dport 80 -j REDIRECT --to-ports ${port}`);
  }

  if (plan.role === 'gateway' && plan.snat) {
    const qg = plan.qgName ?? devicesWithPrefix(ns, 'qg-')[0]?.name;
    const gw = plan.gatewayIp;
    const isQg = (v: string | undefined): boolean => (qg ? v === qg : v?.startsWith('qg-') === true);
    if (plan.gatewaySnat && !rules.some((r) => inSnatChain(r) && ruleTarget(r) === 'SNAT' && isQg(ruleOutIface(r)?.value) && !ruleOutIface(r)?.negated && (!gw || ruleTo(r) === gw)))
      missing(nsSubject, 'gateway SNAT', `snat -o ${qg ?? 'qg-…'} -j SNAT --to-source ${gw ?? '<gw ip>'}`);
    if (!rules.some((r) => inSnatChain(r) && ruleTarget(r) === 'SNAT' && /--ctstate DNAT/.test(r.spec) && /-m mark/.test(r.spec) && (!gw || ruleTo(r) === gw)))
      missing(nsSubject, 'mark/DNAT SNAT', `snat -m mark ! --mark 0x2/0xffff -m conntrack --ctstate DNAT -j SNAT --to-source ${gw ?? '<gw ip>'}`);
  }
  if (plan.role === 'gateway' && plan.snat) judgeTrainForms(out, nsSubject, rules, release, node, nsName, ev);
  if (plan.postrouting) {
    const dev = plan.role === 'gateway' ? (plan.qgName ?? 'qg-') : deviceName('rfp-', plan.routerId);
    const ok = rules.some((r) => {
      const o = ruleOutIface(r);
      return inChain(r, 'POSTROUTING') && ruleTarget(r) === 'ACCEPT' && o?.negated === true && o.value.startsWith(dev) && /!\s+--ctstate DNAT/.test(r.spec);
    });
    if (!ok) missing(nsSubject, 'POSTROUTING accept of non-gateway traffic', `POSTROUTING ! -o ${dev}… -m conntrack ! --ctstate DNAT -j ACCEPT`);
  }

  const dvr = plan.role === 'dvr-local';
  const rfp = deviceName('rfp-', plan.routerId);
  for (const f of plan.fips) {
    const subject = out.look({ node: node.node, namespace: nsName, floatingIp: f.floatingIp });
    const pre = dnatRulesFor(rules, 'PREROUTING', f.floatingIp).filter((r) => sameHost(ruleTo(r), f.fixedIp));
    if (pre.length === 0) missing(subject, `PREROUTING DNAT for floating IP ${f.floatingIp}`, `PREROUTING -d ${f.floatingIp}/32${dvr ? ` -i ${rfp}` : ''} -j DNAT --to-destination ${f.fixedIp}`);
    else if (dvr && !pre.some((r) => ruleInIface(r)?.value === rfp && !ruleInIface(r)?.negated)) {
      // `-i rfp-` since Newton (Mitaka 8.3 backport, bug 1462154); before, the DNAT had no -i
      const routedOnly = dvrFipsRoutedOnly(release);
      const input = {
        message: `DNAT for ${f.floatingIp} in ${nsName} on ${node.node} is not bound to -i ${rfp} (bug 1462154)`,
        expected: `PREROUTING -d ${f.floatingIp}/32 -i ${rfp} -j DNAT --to-destination ${f.fixedIp}`,
        actual: pre.map((r) => `-A ${r.chain} ${r.spec}`).join('; '),
        evidence: ev,
      };
      if (routedOnly === true) out.fail(subject, input);
      else if (routedOnly === undefined)
        out.warn(subject, { ...input, message: `${input.message}: the template before Newton, a bug after it; release ${releaseLabel(release)}` });
    }
    const outp = dnatRulesFor(rules, 'OUTPUT', f.floatingIp);
    if (!dvr && outp.length === 0) missing(subject, `OUTPUT DNAT for floating IP ${f.floatingIp}`, `OUTPUT -d ${f.floatingIp}/32 -j DNAT --to-destination ${f.fixedIp}`);
    // before Newton the DVR qrouter rendered the legacy OUTPUT DNAT too
    if (dvr && outp.length > 0 && dvrFipsRoutedOnly(release) === true)
      out.warn(subject, { message: `OUTPUT DNAT for ${f.floatingIp} in DVR ${nsName} on ${node.node}: DVR renders none since Newton`, expected: 'no OUTPUT DNAT (DVR)', actual: outp.map((r) => r.spec).join('; '), evidence: ev });
    if (!floatSnatRulesFor(rules, f.fixedIp).some((r) => sameHost(ruleTo(r), f.floatingIp)))
      missing(subject, `float-snat SNAT for floating IP ${f.floatingIp}`, `float-snat -s ${f.fixedIp}/32 -j SNAT --to-source ${f.floatingIp}`);
  }

  // nothing for disassociated floating IPs
  if (plan.knownFips) {
    const expected = new Set(plan.fips.map((f) => f.floatingIp));
    const stale = new Set<string>();
    for (const p of [...dnatPairs(rules), ...floatSnatPairs(rules)]) if (!expected.has(p.floatingIp)) stale.add(p.floatingIp);
    for (const ip of stale)
      out.fail(out.look({ node: node.node, namespace: nsName, floatingIp: ip }), {
        message: plan.knownFips.has(ip)
          ? `NAT rules for floating IP ${ip} in ${nsName} on ${node.node}, which must not serve it`
          : `NAT rules for ${ip} in ${nsName} on ${node.node}, which is not an associated floating IP (stale)`,
        expected: 'no NAT rules for it here',
        actual: rules.filter((r) => sameHost(ruleDestination(r), ip) || sameHost(ruleTo(r), ip)).map((r) => `-A ${r.chain} ${r.spec}`).join('; '),
        evidence: ev,
      });
  }
}

function plansFromFacts(ctx: CheckContext): NsPlan[] {
  const facts = ctx.facts!;
  const plans: NsPlan[] = [];
  for (const r of facts.routers) {
    const fips = facts.floatingIps.filter((f) => f.routerId === r.id);
    const known = new Set(fips.map((f) => f.floatingIp));
    const gw = gatewayPort(facts, r.id);
    const gatewayIp = r.gatewayIp ?? gw?.fixedIps[0];
    const qgName = gw ? deviceName('qg-', gw.id) : undefined;
    const hasGw = r.externalNetworkId !== undefined || gatewayIp !== undefined;
    const gatewaySnat = hasGw && r.enableSnat !== false;
    const snat = hasGw;
    const pairs = (list: typeof fips): { floatingIp: string; fixedIp: string }[] => list.map((f) => ({ floatingIp: f.floatingIp, fixedIp: f.fixedIp }));
    if (!isDvrMode(r.mode)) {
      for (const node of nodesNamed(ctx.snapshot, r.hosts))
        plans.push({ node, ns: `qrouter-${r.id}`, routerId: r.id, role: 'gateway', fips: pairs(fips), snat, gatewaySnat, postrouting: hasGw, gatewayIp, qgName, metadata: true, knownFips: known });
      continue;
    }
    const central = fips.filter((f) => isCentralizedFip(facts, f));
    const routed = fips.filter((f) => !isCentralizedFip(facts, f));
    for (const node of nodesNamed(ctx.snapshot, r.snatHosts))
      plans.push({ node, ns: `snat-${r.id}`, routerId: r.id, role: 'gateway', fips: pairs(central), snat, gatewaySnat, postrouting: hasGw, gatewayIp, qgName, metadata: false, knownFips: known });
    const qrHosts = new Set([...r.hosts, ...routed.map((f) => f.host!)]);
    for (const node of nodesNamed(ctx.snapshot, [...qrHosts])) {
      if (!findNamespace(node, `qrouter-${r.id}`)) continue;
      const local = pairs(routed.filter((f) => f.host === node.node));
      plans.push({ node, ns: `qrouter-${r.id}`, routerId: r.id, role: 'dvr-local', fips: local, snat: false, gatewaySnat: false, postrouting: local.length > 0 && hasGw, metadata: true, knownFips: known });
    }
  }
  return plans;
}

/** self-consistency: FIPs found in any rule of the namespace (and, for HA, of any replica) must be complete */
function plansFromSnapshot(ctx: CheckContext): NsPlan[] {
  const obs = observed(ctx);
  const plans: NsPlan[] = [];
  const unionByNs = new Map<string, Map<string, string>>();
  const rulesOf = (ns: NamespaceSnapshot): IptablesRule[] => natRules(ns.iptables);
  for (const node of ctx.snapshot.nodes)
    for (const ns of liveNamespaces(node)) {
      if (!routerIdFromNamespace(ns.name)) continue;
      const m = unionByNs.get(ns.name) ?? new Map<string, string>();
      for (const p of [...dnatPairs(rulesOf(ns)), ...floatSnatPairs(rulesOf(ns))]) m.set(p.floatingIp, p.fixedIp);
      unionByNs.set(ns.name, m);
    }
  for (const node of ctx.snapshot.nodes)
    for (const ns of liveNamespaces(node)) {
      const rid = routerIdFromNamespace(ns.name);
      if (!rid) continue;
      const mode = routerMode(ctx, rid, obs);
      const kind = namespaceKind(ns.name);
      const dvrLocal = isDvrMode(mode) && kind === 'qrouter';
      // HA replicas carry the same rules (§2c); other routers only their own
      const own = new Map<string, string>();
      for (const p of [...dnatPairs(rulesOf(ns)), ...floatSnatPairs(rulesOf(ns))]) own.set(p.floatingIp, p.fixedIp);
      const fipMap = mode === 'ha' || (mode === 'dvr-ha' && kind === 'snat') ? unionByNs.get(ns.name)! : own;
      const hasQg = devicesWithPrefix(ns, 'qg-').length > 0;
      const fips = [...fipMap].map(([floatingIp, fixedIp]) => ({ floatingIp: stripPrefix(floatingIp), fixedIp }));
      // without facts enable_snat is unknown: the gateway SNAT rules are judged only where a qg- exists
      plans.push({
        node, ns: ns.name, routerId: rid, role: dvrLocal ? 'dvr-local' : 'gateway', fips,
        snat: !dvrLocal && hasQg, gatewaySnat: false, postrouting: dvrLocal ? fips.length > 0 : hasQg, metadata: kind === 'qrouter',
      });
    }
  return plans;
}

export const check: Check = {
  id: 'nat-rules',
  title: 'NAT rules of every floating IP and gateway follow the L3 agent templates',
  description:
    'Per floating IP: PREROUTING DNAT (legacy/HA also OUTPUT, DVR bound to -i rfp- since Newton), float-snat SNAT; per gateway: ' +
    'SNAT -o qg-, the mark/DNAT SNAT, POSTROUTING accept, metadata REDIRECT to 9697; on every HA replica; none for disassociated FIPs.',
  severity: 'critical',
  references: [
    { kind: 'doc', ref: 'ground-truth §1c, §2c, §3c' },
    { kind: 'bug', ref: 'lp#1834825' },
    { kind: 'bug', ref: 'lp#1814002' },
    { kind: 'bug', ref: 'lp#1462154' },
    { kind: 'bug', ref: 'lp#1793527' },
    { kind: 'seed', ref: '004_e665e055f667cc34.txt (ZHAW: Neutron HA experience)' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const plans = ctx.facts ? plansFromFacts(ctx) : plansFromSnapshot(ctx);
    const release = releaseOf(ctx.params, ctx.facts?.release);
    for (const p of plans) judgeNamespace(out, p, ctx.params, release);
    return out.done();
  },
};

/** exported for reports: which template family the rules of a namespace follow */
export { guessReleaseFamily };
