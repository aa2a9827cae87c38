import type { CloudSnapshot } from './types';
import type { NodeSnapshot } from '../model/types';
import { HaprobeError } from '../errors';
import { isOvsKnownAbsent } from '../collect/collected';

/**
 * What kind of data plane a snapshot shows, from evidence that only one kind leaves behind:
 * - ML2/OVN: `ovnmeta-<net>` namespaces, OVS tunnel ports named `ovn-…` (geneve), ovn-controller's
 *   `patch-br-int-to-provnet-…` ports, `ovn_controller` containers; and no qrouter-/snat-/fip-
 *   namespace anywhere (OVN routes in OVS flows, ground-truth §6a);
 * - ML2/linuxbridge: `brq…` bridges, router ports that are veth pairs (`qr-…@ifN`) on a node
 *   known to run no OVS (its versions read, no ovs among them; OVS merely not collected is unknown);
 * - ML2/OVS + L3 agent (what every shipped profile checks): qrouter-/snat-/fip- namespaces with
 *   their qr-/qg- ports on OVS.
 * Pure; the engine refuses a profile whose kind the snapshot contradicts (issue 15).
 */
export type DataPlaneKind = 'ml2-ovs' | 'ovn' | 'linuxbridge';

export interface DataPlaneEvidence {
  kind: DataPlaneKind;
  /** "net1: namespace ovnmeta-bdf0…", at most a few per kind */
  evidence: string[];
}

const ROUTER_NS = /^(qrouter|snat|fip)-/;

function ovnEvidence(node: NodeSnapshot): string[] {
  const out: string[] = [];
  for (const ns of node.namespaces) if (ns.name.startsWith('ovnmeta-')) out.push(`${node.node}: namespace ${ns.name}`);
  for (const b of node.ovs?.bridges ?? [])
    for (const p of b.ports) {
      const geneve = p.interfaces.some((i) => i.type === 'geneve');
      if ((p.name.startsWith('ovn-') && geneve) || /^patch-br-int-to-provnet-/.test(p.name)) out.push(`${node.node}: OVS port ${p.name} on ${b.name} (ovn-controller)`);
    }
  if (/ovn_controller|ovn-controller/.test(node.versions['containers'] ?? '')) out.push(`${node.node}: container ovn_controller`);
  // issue 11: what the OVN sections read (ovn-script.ts)
  const remote = node.ovn?.local?.externalIds['ovn-remote'];
  if (remote) out.push(`${node.node}: Open_vSwitch external_ids:ovn-remote=${remote}`);
  if (node.ovn?.controllerRunning) out.push(`${node.node}: ovn-controller running`);
  if (node.ovn?.nb) out.push(`${node.node}: OVN northbound database (${node.ovn.nb.routers.length} logical routers)`);
  return out;
}

function linuxbridgeEvidence(node: NodeSnapshot): string[] {
  const out: string[] = [];
  for (const d of node.root?.devices ?? []) if (/^brq[0-9a-f]/.test(d.name)) out.push(`${node.node}: bridge ${d.name}`);
  // "no OVS" only where the collector looked for it: OVS not collected (published outputs) is unknown,
  // and veth router ports alone are also what ML2/OVS with ovs_use_veth shows (issue 15)
  if (isOvsKnownAbsent(node))
    for (const ns of node.namespaces)
      for (const d of ns.devices)
        if (/^(qr|qg)-/.test(d.name) && (d.kind === 'veth' || /^if\d+$/.test(d.link ?? '')))
          out.push(`${node.node}: ${d.name}@${d.link ?? 'veth'} in ${ns.name} is a veth, and the node has no OVS`);
  return out;
}

/** the L3 agent's namespaces on a node with OVS, or the OVS agent's router / hybrid ports on OVS */
function ml2OvsEvidence(node: NodeSnapshot): string[] {
  if (!node.ovs) return [];
  const out = node.namespaces.filter((ns) => ROUTER_NS.test(ns.name)).map((ns) => `${node.node}: namespace ${ns.name} and OVS`);
  for (const b of node.ovs.bridges) for (const p of b.ports) if (/^(qr|qg|ha|sg|fg)-|^qvo/.test(p.name)) out.push(`${node.node}: OVS port ${p.name} on ${b.name}`);
  return out;
}

/** every kind the snapshot shows evidence of, with that evidence (at most 4 lines per kind) */
export function detectDataPlane(snapshot: CloudSnapshot): DataPlaneEvidence[] {
  const take = (f: (n: NodeSnapshot) => string[]): string[] => snapshot.nodes.flatMap(f).slice(0, 4);
  const found: DataPlaneEvidence[] = [
    { kind: 'ml2-ovs', evidence: take(ml2OvsEvidence) },
    { kind: 'ovn', evidence: take(ovnEvidence) },
    { kind: 'linuxbridge', evidence: take(linuxbridgeEvidence) },
  ];
  return found.filter((f) => f.evidence.length > 0);
}

const LABEL: Record<DataPlaneKind, string> = {
  'ml2-ovs': 'ML2/OVS with the neutron L3 agent',
  ovn: 'ML2/OVN',
  linuxbridge: 'ML2/linuxbridge',
};

const HINT: Record<DataPlaneKind, string> = {
  ovn: 'run it with --profile ovn (issue 11): the neutron profiles check L3 agent namespaces and keepalived, which OVN does not create',
  'ml2-ovs': 'run it with a neutron-* profile (neutron-legacy, neutron-l3ha, neutron-dvr, neutron-dvr-snat-ha): the ovn profile reads the OVN databases, which this cloud does not have',
  linuxbridge: 'haprobe\'s neutron profiles check the OVS agent\'s data plane',
};

/** the data plane a profile is written for: `ovn` and `ovn-*` profiles check ML2/OVN, every other ML2/OVS + L3 agent */
export function dataPlaneOfProfile(profileId: string): DataPlaneKind {
  return profileId === 'ovn' || profileId.startsWith('ovn-') ? 'ovn' : 'ml2-ovs';
}

/**
 * The profile's kind (every shipped profile is ML2/OVS + L3 agent) against the snapshot: a data
 * plane that shows only another kind's evidence is refused with a 'profile' error (exit 2) that
 * names the evidence — an OVN cloud would otherwise "pass" every neutron check with everything
 * skipped, a linuxbridge cloud skip every OVS check. Mixed or empty evidence is not refused.
 */
export function assertProfileFitsDataPlane(profileId: string, snapshot: CloudSnapshot, expected: DataPlaneKind = 'ml2-ovs'): void {
  const found = detectDataPlane(snapshot);
  if (found.some((f) => f.kind === expected)) return;
  const seen = found.find((f) => f.kind !== expected);
  if (!seen) return;
  throw new HaprobeError('profile', `this looks like ${LABEL[seen.kind]}, not ${LABEL[expected]} (profile ${profileId}): ${seen.evidence.join('; ')}`, {
    hint: HINT[seen.kind],
  });
}
