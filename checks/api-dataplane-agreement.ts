import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { FactsFloatingIp } from '../src/model/facts';
import type { NodeSnapshot } from '../src/model/types';
import { isCentralizedFip } from '../src/intent/agent-mode';
import { evidenceFor, notCollectedReason, wasNamespaceCollected, wereOvsExternalIdsCollected } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { configuredVrid, haRouterState, holdsPrimaryVip, isPrimaryState } from './lib/ha';
import { haRouters } from './lib/ha-routers';
import { findRouter, liveNamespaces, ovsInterfaceByIfaceId, portById } from './lib/lookup';
import { boolParam, isDvrMode } from './lib/mode';
import { namespaceKind } from './lib/names';

/**
 * What the Neutron API reports (the facts `run --cloud` reads, or a facts file written from it)
 * against what the nodes carry. The API's ha_state and port bindings are neutron's own
 * observations, not intent: when they and the data plane disagree, either the API is stale
 * (operators and automation act on a wrong picture: tempest/tobiko wait for exactly one
 * `ha_state=active`) or the data plane is. Three disagreements:
 *
 * 1. The API reports one HA router active on two or more L3 agents while the nodes hold at most
 *    one primary among them: the API alone is wrong (lp#1731595: report_state failures leave
 *    "multiple masters" in l3-agent-list-hosting-router; lp#1837635 / lp#1945512: short
 *    backup→master→backup flips). Fail. When the nodes agree (two primaries) it is a split
 *    brain, not a disagreement: l3ha-single-primary reports it. An active host not read: skip.
 * 2. Per replica, the API's ha_state against the node's role (state file + primary VIP): active
 *    on a backup, standby on the primary. The agent reports a transition a few seconds after
 *    keepalived makes it, so right after a failover this is normal: warn (param `strict`: fail).
 *    An L3 agent the API reports dead and active at once is a warn too (its state is the last
 *    report, lp#2050236 class: routers left on a dead agent).
 * 3. A floating IP the API binds to host H (its port's binding:host_id) that another node
 *    carries while H does not: for a distributed DVR FIP the /32 route to fpr- in a fip-
 *    namespace; otherwise the instance port in OVS (external_ids:iface-id). A stale binding
 *    after a failed migration sends the FIP's traffic and G-ARPs (ground-truth §3e) to the wrong
 *    host. Where neither H nor another node carries it, fip-placement and ovs-ports report it.
 *
 * Without facts there is no API view: nothing is judged. What was not collected is `skip`.
 */
function replicaRole(node: NodeSnapshot, routerId: string, namespace: string, vrid: number | undefined): 'primary' | 'backup' | undefined {
  const state = haRouterState(node, routerId)?.state;
  const addrRead = wasNamespaceCollected(node, namespace, 'addr');
  const vip = addrRead ? holdsPrimaryVip(node, namespace, vrid) : undefined;
  if (state === undefined && vip === undefined) return undefined;
  if (isPrimaryState(state) || vip === true) return 'primary';
  return 'backup';
}

/** nodes routing a FIP to fpr- in a fip- namespace (distributed DVR FIP, ground-truth §3b) */
function dvrCarriers(ctx: CheckContext, fip: string): string[] {
  return ctx.snapshot.nodes
    .filter((n) => liveNamespaces(n).some((ns) => namespaceKind(ns.name) === 'fip' && ns.routes.some((r) => r.dev?.startsWith('fpr-') && (r.dst === fip || r.dst === `${fip}/32`))))
    .map((n) => n.node);
}

function judgeFipBinding(ctx: CheckContext, out: ReturnType<typeof createOutcome>, f: FactsFloatingIp): void {
  // the FIP's own host (DVR), else its port's binding:host_id, else its instance's host
  const host = f.host ?? portById(ctx.facts, f.portId)?.host ?? ctx.facts?.instances.find((i) => i.portId === f.portId)?.host;
  if (!host) return;
  const subject = out.look({ floatingIp: f.floatingIp });
  const hostNode = ctx.snapshot.nodes.find((n) => n.node === host);
  const router = findRouter(ctx.facts, f.routerId);
  const distributed = router !== undefined && isDvrMode(router.mode) && !isCentralizedFip(ctx.facts, f);
  if (distributed) {
    const fipNs = hostNode ? liveNamespaces(hostNode).filter((ns) => namespaceKind(ns.name) === 'fip') : [];
    const unread = hostNode ? fipNs.filter((ns) => !wasNamespaceCollected(hostNode, ns, 'route')) : [];
    const carriers = dvrCarriers(ctx, f.floatingIp);
    if (carriers.includes(host) || carriers.length === 0) return;
    if (!hostNode || unread.length > 0) {
      out.skip(subject, {
        message: `floating IP ${f.floatingIp}: the API binds it to ${host}, ${carriers.join(', ')} routes it; ${host} not judged: ${hostNode ? notCollectedReason(hostNode, 'route', unread[0]!.name) : 'not read'}`,
        expected: `route ${f.floatingIp} via fpr- on ${host}`,
        actual: 'not collected',
        evidence: carriers.flatMap((c) => evidenceFor(ctx.snapshot.nodes.find((n) => n.node === c), ['netns'])),
      });
      return;
    }
    out.fail(subject, {
      message: `floating IP ${f.floatingIp}: the API binds its port ${f.portId} to ${host}, but ${carriers.join(' and ')} route${carriers.length > 1 ? '' : 's'} it (stale binding or stale fip- route)`,
      severity: 'major',
      expected: `the /32 route to fpr- in fip- on ${host} (binding:host_id)`,
      actual: `routed on ${carriers.join(', ')}; not on ${host}`,
      evidence: [...evidenceFor(hostNode, ['netns']), ...carriers.flatMap((c) => evidenceFor(ctx.snapshot.nodes.find((n) => n.node === c), ['netns']))],
    });
    return;
  }
  // legacy / HA / centralized: the host carries the instance port; the router node carries the FIP
  const withPort = ctx.snapshot.nodes.filter((n) => wereOvsExternalIdsCollected(n) && ovsInterfaceByIfaceId(n, f.portId)).map((n) => n.node);
  if (withPort.includes(host) || withPort.length === 0) return;
  if (!hostNode || !wereOvsExternalIdsCollected(hostNode)) {
    out.skip(subject, {
      message: `floating IP ${f.floatingIp}: the API binds port ${f.portId} to ${host}, OVS has it on ${withPort.join(', ')}; ${host} not judged: ${hostNode ? notCollectedReason(hostNode, 'OVS external_ids') : 'not read'}`,
      expected: `iface-id=${f.portId} on ${host}`,
      actual: 'not collected',
      evidence: withPort.flatMap((c) => evidenceFor(ctx.snapshot.nodes.find((n) => n.node === c), ['ovs-vsctl'])),
    });
    return;
  }
  out.fail(subject, {
    message: `floating IP ${f.floatingIp}: the API binds its port ${f.portId} to ${host}, but the port is plugged in OVS on ${withPort.join(' and ')}`,
    severity: 'major',
    expected: `iface-id=${f.portId} on ${host} (binding:host_id)`,
    actual: `on ${withPort.join(', ')}; not on ${host}`,
    evidence: [...evidenceFor(hostNode, ['ovs-vsctl']), ...withPort.flatMap((c) => evidenceFor(ctx.snapshot.nodes.find((n) => n.node === c), ['ovs-vsctl']))],
  });
}

export const check: Check = {
  id: 'api-dataplane-agreement',
  title: 'What the Neutron API reports about HA state and floating IP bindings is what the nodes carry',
  description:
    'The API\'s ha_state per L3 agent (exactly one active, matching each replica\'s role) and each floating IP\'s port binding host ' +
    '(the node that routes the FIP or carries its instance port) agree with the data plane; a disagreement means the API or the nodes are stale.',
  severity: 'major',
  references: [
    { kind: 'bug', ref: 'lp#1731595' },
    { kind: 'bug', ref: 'lp#1837635' },
    { kind: 'bug', ref: 'lp#1945512' },
    { kind: 'bug', ref: 'lp#2050236' },
    { kind: 'doc', ref: "known-bugs-and-anchors §checks 2 (single-master HA proof: API ha_state + state file + VIPs)" },
    { kind: 'doc', ref: 'ground-truth §3b, §3e, §7 row 7' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    if (!ctx.facts) return out.done();
    const strict = boolParam(ctx.params, 'strict', false);
    const aliveL3 = new Map(ctx.facts.agents.filter((a) => a.type === 'l3').map((a) => [a.host, a.alive]));

    for (const r of haRouters(ctx)) {
      if (!r.haState || Object.keys(r.haState).length === 0) continue;
      const subject = out.look({ router: r.id });
      const api = Object.entries(r.haState);
      const active = api.filter(([, s]) => s === 'active').map(([h]) => h);
      const roles = new Map(r.replicas.map((x) => [x.node.node, { x, role: replicaRole(x.node, r.id, x.namespace, configuredVrid(x.node, r.id) ?? r.haVrId) }]));
      const primaries = [...roles.entries()].filter(([, v]) => v.role === 'primary').map(([h]) => h);
      const ev = r.replicas.flatMap((x) => evidenceFor(x.node, [`keepalived:${r.id}`, `addr:${x.namespace}`]));
      const apiText = api.map(([h, s]) => `${h}=${s}`).join(', ');
      const planeText = [...roles.entries()].map(([h, v]) => `${h}=${v.role ?? '?'}`).join(', ') || 'no replica read';
      if (active.length > 1) {
        // compared only where every host the API calls active was read with a known role
        const unknown = active.filter((h) => roles.get(h)?.role === undefined);
        const activePrimaries = active.filter((h) => roles.get(h)?.role === 'primary');
        if (unknown.length > 0)
          out.skip(subject, {
            message: `the API reports HA router ${r.id} active on ${active.join(' and ')}; not compared with the nodes: ${unknown.map((h) => (roles.has(h) ? `${h}'s role was not collected` : `${h} has no replica read`)).join(', ')}`,
            expected: 'ha_state active on exactly one L3 agent, the node holding the primary',
            actual: `API: ${apiText}; data plane: ${planeText}`,
            evidence: ev.length > 0 ? ev : r.replicas.flatMap((x) => evidenceFor(x.node, ['netns'])),
          });
        // the nodes agreeing (two primaries) is a split brain, not a disagreement: l3ha-single-primary reports it
        else if (activePrimaries.length <= 1)
          out.fail(subject, {
            message: `the API reports HA router ${r.id} active on ${active.join(' and ')}, the nodes hold ${primaries.length === 1 ? `one primary, ${primaries[0]}` : `no primary among them`}: the API's ha_state is stale (lp#1731595)`,
            severity: 'critical',
            expected: 'ha_state active on exactly one L3 agent (l3-agent-list-hosting-router)',
            actual: `API: ${apiText}; data plane: ${planeText}`,
            evidence: ev,
          });
      }
      for (const [host, state] of api) {
        const hostSubject = out.look({ router: r.id, node: host });
        if (state === 'active' && aliveL3.get(host) === false)
          out.warn(hostSubject, {
            message: `the API reports HA router ${r.id} active on ${host}, whose L3 agent it reports dead: that ha_state is the last report, not the present`,
            expected: 'active on an alive agent',
            actual: `${host}: agent dead, ha_state active`,
            evidence: ev,
          });
        if (state !== 'active' && state !== 'standby') continue;
        const got = roles.get(host);
        if (!got) continue; // not a replica here (namespace-placement) or host not read (l3ha-single-primary says so)
        if (got.role === undefined) {
          out.skip(hostSubject, {
            message: `HA router ${r.id} on ${host}: API ha_state ${state} not compared: ${notCollectedReason(got.x.node, 'addr', got.x.namespace)} and no state file`,
            expected: `${state === 'active' ? 'primary' : 'backup'} on ${host}`,
            actual: 'not collected',
            evidence: evidenceFor(got.x.node, ['netns']),
          });
          continue;
        }
        const agrees = (state === 'active') === (got.role === 'primary');
        if (agrees) continue;
        const input = {
          message: `HA router ${r.id}: the API reports ${state} on ${host}, the node is ${got.role}${primaries.length === 1 ? ` (primary: ${primaries[0]})` : ''}`,
          expected: `${state === 'active' ? 'primary' : 'backup'} on ${host} (API ha_state ${state})`,
          actual: `${got.role} on ${host}; API: ${apiText}`,
          evidence: evidenceFor(got.x.node, [`keepalived:${r.id}`, `addr:${got.x.namespace}`]),
          severity: 'major' as const,
        };
        if (strict) out.fail(hostSubject, input);
        else out.warn(hostSubject, { ...input, message: `${input.message}; normal for a few seconds after a failover (the agent reports it late)` });
      }
    }

    for (const f of ctx.facts.floatingIps) judgeFipBinding(ctx, out, f);
    return out.done();
  },
};
