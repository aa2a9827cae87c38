import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor, nsEvidence } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { findRouter } from './lib/lookup';
import { MULTINIC_SEED, multiNicPairs, nodesWithRouter, pairLabel } from './lib/multinic';

/**
 * Seed 001 (Deutsche Telekom's active/active L3): the two routers of a multi-NIC instance must
 * live on two different network nodes (L3 agents), or one node's failure takes both paths and
 * the balancer has nothing left to fail over to. Judged on the data plane (where qrouter-<id>
 * is) and on the API's view (facts routers[].hosts).
 */
export const check: Check = {
  id: 'multinic-anti-affinity',
  title: 'multi-NIC active/active: the two routers of a pair are on different network nodes',
  description:
    'For each multi-NIC pair (facts multiNic[]): the qrouter- namespaces of its two legacy routers are on two different nodes, and the ' +
    'API (routers[].hosts) does not place them on one L3 agent either; both on one node = one node failure cuts both paths.',
  severity: 'critical',
  references: [MULTINIC_SEED],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    for (const pair of multiNicPairs(ctx)) {
      const [a, b] = pair.paths;
      const subject = out.look({ router: b.routerId });
      const onA = nodesWithRouter(ctx, a.routerId).map((n) => n.node);
      const onB = nodesWithRouter(ctx, b.routerId).map((n) => n.node);
      const shared = onA.filter((n) => onB.includes(n));
      const apiA = findRouter(ctx.facts, a.routerId)?.hosts ?? [];
      const apiB = findRouter(ctx.facts, b.routerId)?.hosts ?? [];
      const apiShared = apiA.filter((h) => apiB.includes(h));
      if (shared.length > 0) {
        const node = ctx.snapshot.nodes.find((n) => n.node === shared[0]);
        out.fail(out.look({ node: shared[0], router: b.routerId }), {
          message: `both routers of ${pairLabel(pair)} run on ${shared.join(', ')}: one node failure takes both paths, the balancer has no path left`,
          expected: 'qrouter- of each router on its own network node (L3 agent)',
          actual: `qrouter-${a.routerId} on ${onA.join(', ')}; qrouter-${b.routerId} on ${onB.join(', ')}`,
          evidence: [...nsEvidence(node, `qrouter-${a.routerId}`), ...nsEvidence(node, `qrouter-${b.routerId}`)],
        });
      } else if (apiShared.length > 0) {
        out.fail(subject, {
          message: `the API schedules both routers of ${pairLabel(pair)} to ${apiShared.join(', ')} (routers[].hosts): the next resync builds them on one node`,
          expected: 'each router on its own L3 agent', actual: `hosts ${apiA.join(', ')} / ${apiB.join(', ')}`,
          // the data plane read (where the namespaces are now) is the evidence beside the API's view
          evidence: ctx.snapshot.nodes.flatMap((n) => evidenceFor(n, ['netns'])),
        });
      } else if (onA.length === 0 || onB.length === 0) {
        const missing = onA.length === 0 ? a.routerId : b.routerId;
        out.skip(subject, {
          message: `qrouter-${missing} was found on no node read: placement not judged (multinic-paths reports the missing path)`,
          evidence: ctx.snapshot.nodes.flatMap((n) => evidenceFor(n, ['netns'])),
        });
      }
    }
    return out.done();
  },
};
