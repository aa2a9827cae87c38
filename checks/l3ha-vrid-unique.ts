import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { configuredVrid } from './lib/ha';
import { haRouters } from './lib/ha-routers';

/**
 * virtual_router_id is unique per HA network (VR_ID_RANGE 1..254, ground-truth §2a) and
 * identical on every replica of one router; it equals the DB ha_vr_id. Parallel creation
 * gave two routers one vr_id before Train (lp#1823314).
 */
export const check: Check = {
  id: 'l3ha-vrid-unique',
  title: 'VRRP ids are unique per HA network and consistent per router',
  description:
    'virtual_router_id in keepalived.conf is the same on every replica of a router, equals the facts ha_vr_id, and ' +
    'no two routers of one HA network share it (two routers on one VRRP id leave only one active).',
  severity: 'critical',
  references: [
    { kind: 'doc', ref: 'ground-truth §2a, §2e/2f' },
    { kind: 'bug', ref: 'lp#1823314' },
    { kind: 'doc', ref: 'known-bugs-and-anchors §8.1' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    /** HA network (or "?" when unknown) → vrid → routers */
    const byNetwork = new Map<string, Map<number, string[]>>();
    const routerVrid = new Map<string, number>();

    for (const r of haRouters(ctx)) {
      const seen = r.replicas
        .map((x) => ({ node: x.node, vrid: configuredVrid(x.node, r.id) }))
        .filter((x): x is { node: typeof x.node; vrid: number } => x.vrid !== undefined);
      if (seen.length === 0) continue;
      const subject = out.look({ router: r.id });
      const ev = seen.flatMap((x) => evidenceFor(x.node, [`keepalived:${r.id}`]));
      const distinct = [...new Set(seen.map((x) => x.vrid))];
      if (distinct.length > 1)
        out.fail(subject, {
          message: `HA router ${r.id} has different virtual_router_id on its replicas`,
          expected: 'one virtual_router_id on every replica',
          actual: seen.map((x) => `${x.node.node}=${x.vrid}`).join(', '),
          evidence: ev,
        });
      if (r.haVrId !== undefined && distinct.some((v) => v !== r.haVrId))
        out.fail(subject, {
          message: `HA router ${r.id}: keepalived virtual_router_id differs from the facts ha_vr_id ${r.haVrId}`,
          expected: String(r.haVrId),
          actual: seen.map((x) => `${x.node.node}=${x.vrid}`).join(', '),
          evidence: ev,
        });
      const vrid = r.haVrId ?? seen[0]!.vrid;
      routerVrid.set(r.id, vrid);
      const haPort = ctx.facts?.ports.find((p) => p.deviceOwner === 'network:router_ha_interface' && p.deviceId === r.id);
      const net = haPort?.networkId ?? '?';
      const m = byNetwork.get(net) ?? new Map<number, string[]>();
      m.set(vrid, [...(m.get(vrid) ?? []), r.id]);
      byNetwork.set(net, m);
    }

    for (const [net, m] of byNetwork)
      for (const [vrid, routers] of m) {
        if (routers.length < 2) continue;
        for (const rid of routers) {
          const input = {
            message:
              net === '?'
                ? `virtual_router_id ${vrid} is used by routers ${routers.join(', ')} (HA network unknown without facts)`
                : `virtual_router_id ${vrid} is used by routers ${routers.join(', ')} on HA network ${net}`,
            expected: 'a unique virtual_router_id per HA network',
            actual: `${routers.length} routers with ${vrid}`,
            evidence: ctx.snapshot.nodes.flatMap((n) => evidenceFor(n, [`keepalived:${rid}`])),
          };
          // without facts two routers may be on different projects' HA networks: only suspicious
          if (net === '?') out.warn({ router: rid }, input);
          else out.fail({ router: rid }, input);
        }
      }
    return out.done();
  },
};
