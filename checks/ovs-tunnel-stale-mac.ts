import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { NodeSnapshot } from '../src/model/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { haRouterState, isPrimaryState } from './lib/ha';
import { haRouters, type HaRouterView } from './lib/ha-routers';
import { findNamespace } from './lib/lookup';
import { effectiveUcastEntries, localTunnelIp, tunnelPorts } from './lib/tunnel-flows';

/**
 * §7 row 14 (lp#2123911): after an L3 HA failover, br-tun of the other nodes keeps sending the
 * router's shared MACs (qr-/sg-, the same on every replica) into the tunnel towards the OLD
 * primary until the learned table-20 flow ages out (hard_timeout 300 s): the new primary's G-ARP
 * never teaches br-tun anything, since table 10 learns only from frames that come out of a tunnel
 * and neutron installed no learn for G-ARP/NA/RA before 2026.1 (`f29de21350`). With l2population
 * the priority-2 entry follows the HA port's active binding and is judged the same way.
 *
 * Judged per HA router with exactly one primary on the data plane (l3ha-single-primary judges the
 * rest): every table-20 entry of another node for the primary's qr-/sg- MACs must output to a
 * tunnel whose remote_ip is the primary's tunnel endpoint (the local_ip of its own tunnel ports).
 * Nothing to read (no tunnel port, no primary's MAC) is a skip; no entry for the MACs (aged out, no
 * traffic yet) is a pass: br-tun floods them to every tunnel, the primary's included.
 */
const SHARED_PREFIXES = ['qr-', 'sg-'];

type OutcomeOf = ReturnType<typeof createOutcome>;

function sharedMacs(node: NodeSnapshot, namespace: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of findNamespace(node, namespace)?.devices ?? [])
    if (d.mac && SHARED_PREFIXES.some((p) => d.name.startsWith(p))) out.set(d.mac.toLowerCase(), d.name);
  return out;
}

function judgeRouter(out: OutcomeOf, ctx: CheckContext, r: HaRouterView): void {
  const routerSubject = { router: r.id };
  const primaries = r.replicas.filter((x) => isPrimaryState(haRouterState(x.node, r.id)?.state));
  if (primaries.length !== 1) {
    out.skip(out.look(routerSubject), {
      message: `HA router ${r.id} has ${primaries.length} primaries on the data plane: which tunnel is right cannot be judged (l3ha-single-primary reports it)`,
      evidence: r.replicas.flatMap((x) => evidenceFor(x.node, [`keepalived:${r.id}`])),
    });
    return;
  }
  const primary = primaries[0]!;
  const primaryIp = localTunnelIp(primary.node);
  const macs = sharedMacs(primary.node, primary.namespace);
  if (!primaryIp || macs.size === 0) {
    out.skip(out.look({ ...routerSubject, node: primary.node.node }), {
      message: !primaryIp
        ? `primary ${primary.node.node} of HA router ${r.id} has no tunnel port with a local_ip on br-tun: no tunnel to judge`
        : `primary ${primary.node.node} of HA router ${r.id} shows no qr-/sg- device with a MAC in ${primary.namespace}`,
      evidence: evidenceFor(primary.node, ['ovs-vsctl']),
    });
    return;
  }
  const nodeByIp = new Map<string, string>();
  for (const n of ctx.snapshot.nodes) {
    const ip = localTunnelIp(n);
    if (ip) nodeByIp.set(ip, n.node);
  }
  let judged = 0;
  for (const node of ctx.snapshot.nodes) {
    if (node === primary.node || tunnelPorts(node).length === 0) continue;
    for (const e of effectiveUcastEntries(node, new Set(macs.keys()))) {
      if (!e.port?.remoteIp) continue; // not a tunnel output (a local MAC, or a port we cannot map)
      judged++;
      const dev = macs.get(e.mac) ?? e.mac;
      const subject = out.look({ node: node.node, router: r.id, device: e.port.name });
      if (e.port.remoteIp === primaryIp) continue;
      const towards = nodeByIp.get(e.port.remoteIp);
      const how = e.learned ? `a learned table-${e.flow.table} entry (priority ${e.flow.priority}, kept until its hard_timeout)` : `an l2population entry (priority ${e.flow.priority})`;
      out.fail(subject, {
        message:
          `br-tun of ${node.node} sends ${dev} ${e.mac} of HA router ${r.id} to ${e.port.name} (remote_ip ${e.port.remoteIp}${towards ? `, ${towards}` : ''}), ` +
          `but the primary is ${primary.node.node} (${primaryIp}): traffic to the router is black-holed until the entry goes (lp#2123911), ${how}`,
        expected: `output to the tunnel towards ${primaryIp} (${primary.node.node})`,
        actual: e.flow.raw.trim(),
        evidence: evidenceFor(node, ['flows:br-tun', 'ovs-vsctl']),
      });
    }
  }
  // no entry anywhere (aged out after 300 s without traffic, or no traffic yet, l2population off):
  // br-tun floods the router's MACs to every tunnel, the primary's too, so nothing is stale — a
  // pass, not a skip (a per-router skip made healthy runs of the real DVR SNAT HA lab show a
  // non-pass row whenever the lab had been idle for five minutes, 2026-12-01)
  if (judged === 0) out.look(routerSubject);
}

export const check: Check = {
  id: 'ovs-tunnel-stale-mac',
  title: "br-tun sends an HA router's MACs to the current primary's tunnel",
  description:
    "After an L3 HA failover, br-tun on the other nodes keeps a learned (or l2pop) table-20 entry for the router's shared qr- MAC towards the OLD primary's tunnel " +
    'until it ages out: east-west and north-south traffic through the router is black-holed meanwhile (lp#2123911).',
  severity: 'critical',
  references: [
    { kind: 'doc', ref: 'ground-truth §4, §7 row 14' },
    { kind: 'bug', ref: 'lp#2123911' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    // a fabric without tunnels (flat/VLAN tenant networks, the hand-built lab): nothing to judge on
    // any router; no finding, the engine's one skip row for the check says so (a per-router skip
    // there made every healthy VLAN cloud's run show non-pass rows, and --facts/--cloud differ)
    if (!ctx.snapshot.nodes.some((n) => tunnelPorts(n).length > 0)) return out.done();
    for (const r of haRouters(ctx)) judgeRouter(out, ctx, r);
    return out.done();
  },
};
