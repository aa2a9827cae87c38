import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { IptablesRule } from '../src/model/types';
import { evidenceFor, notCollectedReason, partialReason, wasNamespaceCollected } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { findNamespace, findNode } from './lib/lookup';
import { dnatRulesFor, floatSnatRulesFor, inChain, natRules, ruleOutIface, ruleDestination, ruleSource, ruleTarget, ruleTo } from './lib/nat';
import { sameHost } from './lib/net';
import { NOVA_CODE, NOVA_GROUND_TRUTH, NOVA_SEED, novaOf, publicInterfaceOf } from './lib/nova';

/**
 * Every associated nova floating IP: `/32` on public_interface of exactly one host — the network
 * host, or the instance's host with multi_host (floating_ips.host) — and that host's nat table
 * holds floating_forward_rules(): PREROUTING and OUTPUT DNAT, the float-snat pair (-d fixed,
 * -o public_interface) and the POSTROUTING `--ctstate DNAT` SNAT (ground-truth §5b, §5c).
 */
export const check: Check = {
  id: 'nova-floating-ip',
  title: 'nova-network: each floating IP /32 on public_interface of its one host, with its NAT rules',
  description:
    'Each associated floating IP is bound /32 on public_interface of floating_ips.host only (two hosts answering ARP after a ' +
    'migration is caught) and that host has the PREROUTING/OUTPUT DNAT, float-snat pair and POSTROUTING ctstate DNAT SNAT.',
  severity: 'critical',
  references: [NOVA_GROUND_TRUTH, NOVA_CODE, NOVA_SEED, { kind: 'bug', ref: 'lp#782364' }],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const nova = novaOf(ctx);
    if (!nova) return out.done();
    for (const f of nova.floatingIps ?? []) {
      const ifc = f.interface ?? publicInterfaceOf(nova);
      const subject = out.look({ node: f.host, floatingIp: f.address });
      // where is it bound? (every node whose root addresses were read)
      const holders: { node: string; dev: string; prefixLen: number }[] = [];
      for (const n of ctx.snapshot.nodes) {
        for (const d of findNamespace(n, '')?.devices ?? [])
          for (const a of d.addresses) if (a.family === 'inet' && a.address === f.address) holders.push({ node: n.node, dev: d.name, prefixLen: a.prefixLen });
      }
      for (const h of holders.filter((x) => x.node !== f.host)) {
        const other = findNode(ctx.snapshot, h.node)!;
        out.fail(out.look({ node: h.node, floatingIp: f.address }), {
          message: `floating IP ${f.address} is also bound on ${h.node} (${h.dev}), not only on ${f.host}: two hosts answer ARP for it (a stale binding after a migration or a failover)`,
          expected: `only on ${f.host} ${ifc}`, actual: `${h.node} ${h.dev} /${h.prefixLen}`, evidence: evidenceFor(other, ['addr:']),
        });
      }
      const node = findNode(ctx.snapshot, f.host);
      if (!node) {
        out.skip(subject, { message: `${f.host}, the host of ${f.address}, was not read`, evidence: [] });
        continue;
      }
      const evAddr = evidenceFor(node, ['addr:']);
      if (!wasNamespaceCollected(node, '', 'addr')) out.skip(subject, { message: notCollectedReason(node, 'addr', ''), evidence: evidenceFor(node, ['versions']) });
      else {
        const mine = holders.find((h) => h.node === f.host);
        if (!mine) {
          out.fail(subject, { message: `floating IP ${f.address} is not bound on ${f.host}: nobody answers ARP for it there (bind_floating_ip)`, expected: `${f.address}/32 on ${ifc}`, actual: 'absent', evidence: evAddr });
        } else if (mine.dev !== ifc || mine.prefixLen !== 32) {
          out.fail(subject, { message: `floating IP ${f.address} on ${f.host} is ${mine.dev} /${mine.prefixLen}, not /32 on public_interface ${ifc}`, expected: `${f.address}/32 on ${ifc}`, actual: `${mine.dev} /${mine.prefixLen}`, evidence: evAddr });
        }
      }
      // NAT on the owning host
      const root = findNamespace(node, '');
      if (!wasNamespaceCollected(node, '', 'iptables') || !root?.iptables) {
        out.skip(subject, { message: notCollectedReason(node, 'iptables', ''), evidence: evidenceFor(node, ['versions']) });
        continue;
      }
      const rules = natRules(root.iptables);
      const ev = evidenceFor(node, ['iptables:']);
      const partial = partialReason(node, 'iptables:');
      const missing = (what: string, template: string): void => {
        const input = { message: `${what} for floating IP ${f.address} missing on ${f.host}`, expected: template, actual: 'absent', evidence: ev };
        if (partial) out.warn(subject, { ...input, message: `${what} for ${f.address} not seen on ${f.host}: not judged, ${partial}` });
        else out.fail(subject, input);
      };
      const to = (r: IptablesRule, ip: string): boolean => sameHost(ruleTo(r), ip);
      if (!dnatRulesFor(rules, 'PREROUTING', f.address).some((r) => to(r, f.fixedIp)))
        missing('PREROUTING DNAT', `nova-network-PREROUTING -d ${f.address}/32 -j DNAT --to-destination ${f.fixedIp}`);
      if (!dnatRulesFor(rules, 'OUTPUT', f.address).some((r) => to(r, f.fixedIp)))
        missing('OUTPUT DNAT', `nova-network-OUTPUT -d ${f.address}/32 -j DNAT --to-destination ${f.fixedIp}`);
      const fsnat = floatSnatRulesFor(rules, f.fixedIp).filter((r) => to(r, f.address));
      if (!fsnat.some((r) => sameHost(ruleDestination(r), f.fixedIp)))
        missing('float-snat SNAT (-d fixed)', `nova-network-float-snat -s ${f.fixedIp}/32 -d ${f.fixedIp}/32 -j SNAT --to-source ${f.address}`);
      if (!fsnat.some((r) => ruleOutIface(r)?.value === ifc && !ruleOutIface(r)?.negated))
        missing('float-snat SNAT (-o public_interface)', `nova-network-float-snat -s ${f.fixedIp}/32 -o ${ifc} -j SNAT --to-source ${f.address}`);
      const post = rules.some((r) => inChain(r, 'POSTROUTING') && ruleTarget(r) === 'SNAT' && sameHost(ruleSource(r), f.fixedIp) &&
        /(^|\s)--ctstate DNAT(\s|$)/.test(r.spec) && !/!\s+--ctstate/.test(r.spec) && to(r, f.address));
      if (!post) missing('POSTROUTING ctstate DNAT SNAT', `nova-network-POSTROUTING -s ${f.fixedIp}/32 -m conntrack --ctstate DNAT -j SNAT --to-source ${f.address}`);
    }
    return out.done();
  },
};
