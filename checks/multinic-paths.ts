import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor, notCollectedReason, nsEvidence, wasNamespaceCollected } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { devicesWithPrefix, findNamespace } from './lib/lookup';
import { MULTINIC_SEED, multiNicPairs, nodesWithRouter } from './lib/multinic';
import { dnatRulesFor, natRules } from './lib/nat';

/**
 * Seed 001: "multiple paths to the same VM, with different IP addresses" — each path is a legacy
 * router whose qrouter- namespace carries the path's floating IP: the /32 on qg- (it answers ARP)
 * and the PREROUTING DNAT to the instance's port on that router's subnet (ground-truth §1c).
 */
export const check: Check = {
  id: 'multinic-paths',
  title: 'multi-NIC active/active: both paths up (each router\'s qrouter- with its FIP /32 on qg- and its DNAT)',
  description:
    'For each path of each multi-NIC pair (facts multiNic[].paths): qrouter-<router> exists on exactly one node, its qg- holds the ' +
    'path\'s floating IP as /32 and its nat PREROUTING DNATs that FIP to the instance\'s fixed IP on that subnet.',
  severity: 'critical',
  references: [MULTINIC_SEED, { kind: 'doc', ref: 'ground-truth §1c' }],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    for (const pair of multiNicPairs(ctx)) {
      for (const path of pair.paths) {
        const ns = `qrouter-${path.routerId}`;
        const subject = out.look({ router: path.routerId, floatingIp: path.floatingIp });
        const nodes = nodesWithRouter(ctx, path.routerId);
        if (nodes.length === 0) {
          if (ctx.snapshot.unreachable.length > 0) {
            out.skip(subject, { message: `${ns} found on no node read, and ${ctx.snapshot.unreachable.map((u) => u.node).join(', ')} could not be read`, evidence: [] });
          } else {
            out.fail(subject, {
              message: `path via router ${path.routerId.slice(0, 8)} is down: ${ns} exists on no node, floating IP ${path.floatingIp} answers nowhere`,
              expected: `${ns} on one network node`, actual: 'absent', evidence: ctx.snapshot.nodes.flatMap((n) => evidenceFor(n, ['netns'])),
            });
          }
          continue;
        }
        if (nodes.length > 1) {
          out.fail(subject, {
            message: `${ns} exists on ${nodes.map((n) => n.node).join(' and ')}: a legacy router lives on one L3 agent, two copies answer ARP for ${path.floatingIp}`,
            expected: 'one node', actual: nodes.map((n) => n.node).join(', '), evidence: nodes.flatMap((n) => nsEvidence(n, ns)),
          });
          continue;
        }
        const node = nodes[0];
        const at = out.look({ node: node.node, router: path.routerId, floatingIp: path.floatingIp });
        const nsnap = findNamespace(node, ns);
        const qg = devicesWithPrefix(nsnap, 'qg-');
        if (!qg.some((d) => d.addresses.some((a) => a.address === path.floatingIp && a.prefixLen === 32))) {
          out.fail(at, {
            message: `floating IP ${path.floatingIp} is not on qg- of ${ns} on ${node.node}: the path answers no ARP`,
            expected: `${path.floatingIp}/32 on qg-`, actual: qg.map((d) => `${d.name}: ${d.addresses.map((a) => `${a.address}/${a.prefixLen}`).join(' ')}`).join('; ') || 'no qg- device',
            evidence: nsEvidence(node, ns),
          });
        }
        if (!wasNamespaceCollected(node, ns, 'iptables') || !nsnap?.iptables) {
          out.skip(at, { message: notCollectedReason(node, 'iptables', ns), evidence: nsEvidence(node, ns) });
          continue;
        }
        const dnat = dnatRulesFor(natRules(nsnap.iptables), 'PREROUTING', path.floatingIp);
        if (!dnat.some((r) => new RegExp(`--to-destination ${path.fixedIp.replace(/\./g, '\\.')}(\\s|$)`).test(r.spec))) {
          out.fail(at, {
            message: `no DNAT of ${path.floatingIp} to ${path.fixedIp} in ${ns} on ${node.node}: traffic for the path does not reach the instance`,
            expected: `-A neutron-l3-agent-PREROUTING -d ${path.floatingIp}/32 -j DNAT --to-destination ${path.fixedIp}`,
            actual: dnat.map((r) => `-A ${r.chain} ${r.spec}`).join('; ') || 'absent', evidence: nsEvidence(node, ns, ['iptables']),
          });
        }
      }
    }
    return out.done();
  },
};
