import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { NodeSnapshot } from '../src/model/types';
import { planNamespaces } from '../src/intent/expect-namespaces';
import { evidenceFor } from './lib/evidence';
import { createOutcome, type OutcomeBuilder } from './lib/finding';
import { isPrimaryState } from './lib/ha';
import { findNamespace, findNode, liveNamespaces } from './lib/lookup';
import { observed } from './lib/mode';
import { ipv4Addresses } from './lib/net';
import { namespaceKind, networkIdFromFipNamespace, routerIdFromNamespace } from './lib/names';

/** params.roles: role → namespace prefixes a node of that role must not hold */
type RoleRules = Record<string, { forbid?: string[] }>;

function roleRules(params: Record<string, unknown>): RoleRules {
  const r = params['roles'];
  return r && typeof r === 'object' ? (r as RoleRules) : {};
}

function checkRoles(ctx: CheckContext, out: OutcomeBuilder): void {
  const rules = roleRules(ctx.params);
  for (const node of ctx.snapshot.nodes)
    for (const ns of liveNamespaces(node)) {
      const forbidden = node.roles.flatMap((role) => (rules[role]?.forbid ?? []).map((p) => ({ role, p })));
      // a node with several roles (controller+network) may hold what any of its roles allows
      const hit = forbidden.find(({ p }) => ns.name.startsWith(p));
      if (!hit || node.roles.some((role) => !(rules[role]?.forbid ?? []).some((p) => ns.name.startsWith(p)))) continue;
      out.fail(
        { node: node.node, namespace: ns.name },
        {
          message: `${ns.name} must not exist on a ${hit.role} node in profile ${ctx.profileId}`,
          expected: `no ${hit.p}* namespace on role ${hit.role}`,
          actual: `${ns.name} present`,
          evidence: evidenceFor(node, ['netns']),
        },
      );
    }
}

function withFacts(ctx: CheckContext, out: OutcomeBuilder): void {
  const facts = ctx.facts!;
  const plan = planNamespaces(facts);
  for (const e of plan.required) {
    const node = findNode(ctx.snapshot, e.node);
    if (!node) continue; // unreachable or not in the inventory: the engine reports the node
    const subject = { node: e.node, namespace: e.namespace };
    out.look(subject);
    if (!findNamespace(node, e.namespace) || findNamespace(node, e.namespace)?.vanished)
      out.fail(subject, {
        message: `${e.namespace} is missing on ${e.node}`,
        expected: e.reason,
        actual: 'namespace absent from ip netns',
        evidence: evidenceFor(node, ['netns']),
      });
  }
  for (const node of ctx.snapshot.nodes)
    for (const ns of liveNamespaces(node)) {
      const kind = namespaceKind(ns.name);
      if (kind !== 'qrouter' && kind !== 'snat' && kind !== 'fip') continue;
      const subject = out.look({ node: node.node, namespace: ns.name });
      if (plan.allowed(node.node, ns.name)) continue;
      const id = kind === 'fip' ? networkIdFromFipNamespace(ns.name) : routerIdFromNamespace(ns.name);
      const known = kind === 'fip' ? plan.knownExternalNetworks.has(id ?? '') : plan.knownRouters.has(id ?? '');
      const input = {
        message: known
          ? `stale ${ns.name} on ${node.node}: that ${kind === 'fip' ? 'external network' : 'router'} must not be there`
          : `${ns.name} on ${node.node} belongs to no ${kind === 'fip' ? 'external network' : 'router'} in the facts`,
        expected: 'no such namespace on this node',
        actual: `${ns.name} present`,
        evidence: evidenceFor(node, ['netns']),
      };
      if (known) out.fail(subject, input);
      else out.warn(subject, input);
    }
}

/** legacy router: does this qrouter look active (gateway/interface addresses configured)? */
function looksActive(node: NodeSnapshot, nsName: string): boolean {
  const ns = findNamespace(node, nsName);
  return (ns?.devices ?? []).some((d) => (d.name.startsWith('qg-') || d.name.startsWith('qr-')) && ipv4Addresses(d).length > 0);
}

function withoutFacts(ctx: CheckContext, out: OutcomeBuilder): void {
  for (const r of observed(ctx)) {
    for (const inst of r.instances) out.look({ node: inst.node, namespace: inst.namespace });
    const qr = r.instances.filter((i) => i.kind === 'qrouter');
    if (r.mode === 'legacy' && qr.length > 1) {
      const active = qr.filter((i) => looksActive(findNode(ctx.snapshot, i.node)!, i.namespace));
      const stale = active.length === 1 ? qr.filter((i) => i !== active[0]) : qr;
      for (const i of stale)
        out.fail(
          { node: i.node, namespace: i.namespace },
          {
            message: `legacy router ${r.id} has a qrouter namespace on ${qr.length} nodes; the one on ${i.node} is stale`,
            expected: 'exactly one qrouter-<id> cluster-wide (legacy router)',
            actual: `on ${qr.map((x) => x.node).join(', ')}`,
            evidence: evidenceFor(findNode(ctx.snapshot, i.node), ['netns']),
          },
        );
    }
    if (r.mode === 'ha' || r.mode === 'dvr-ha') {
      const haInst = r.instances.filter((i) => i.kind === (r.mode === 'ha' ? 'qrouter' : 'snat'));
      const withState = haInst.filter((i) => i.haState !== undefined);
      if (withState.length > 0 && !withState.some((i) => isPrimaryState(i.haState)))
        for (const i of haInst)
          out.fail(
            { node: i.node, namespace: i.namespace },
            {
              message: `HA router ${r.id}: ${i.namespace} on ${i.node} is a backup but no node is primary`,
              expected: 'one primary among the HA instances',
              actual: haInst.map((x) => `${x.node}=${x.haState ?? '?'}`).join(', '),
              evidence: evidenceFor(findNode(ctx.snapshot, i.node), ['netns', `keepalived:${r.id}`]),
            },
          );
    }
    if (r.mode === 'dvr' && r.snatNodes.length > 1)
      for (const i of r.instances.filter((x) => x.kind === 'snat'))
        out.fail(
          { node: i.node, namespace: i.namespace },
          {
            message: `DVR router ${r.id} (not HA) has snat namespaces on ${r.snatNodes.length} nodes`,
            expected: 'snat-<id> on exactly one dvr_snat node',
            actual: `on ${r.snatNodes.join(', ')}`,
            evidence: evidenceFor(findNode(ctx.snapshot, i.node), ['netns']),
          },
        );
  }
}

export const check: Check = {
  id: 'namespace-placement',
  title: 'Router, snat and fip namespaces are where the HA mode puts them',
  description:
    'qrouter-/snat-/fip- namespaces exist on every node that must host them and nowhere else (stale copies), ' +
    'per profile and agent mode: legacy one node, L3 HA every scheduled agent (computes included), DVR computes with instances + snat host ' +
    '(no fip- on dvr_no_external computes).',
  severity: 'major',
  references: [
    { kind: 'doc', ref: 'ground-truth §1a, §2a, §3a, §8.2' },
    { kind: 'doc', ref: 'known-bugs-and-anchors §12.1' },
    { kind: 'seed', ref: '004_e665e055f667cc34.txt (ZHAW: Neutron HA experience)' },
    { kind: 'bug', ref: 'lp#2050236' },
    { kind: 'bug', ref: 'lp#1482521' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    for (const node of ctx.snapshot.nodes) for (const ns of liveNamespaces(node))
      if (namespaceKind(ns.name) !== 'other' && namespaceKind(ns.name) !== 'qdhcp') out.look({ node: node.node, namespace: ns.name });
    // the facts file is authoritative; role rules are the fallback of self-consistency mode
    if (ctx.facts) withFacts(ctx, out);
    else {
      checkRoles(ctx, out);
      withoutFacts(ctx, out);
    }
    return out.done();
  },
};
