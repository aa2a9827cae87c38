import type { NodeCollection } from '../collect/collect';
import { buildSnapshotFromFiles } from '../collect/snapshot-from-files';
import { buildNodeSnapshot, evidenceId } from '../collect/snapshot';
import { SECTION_CATALOGUE as C } from '../collect/catalogue';
import type { Facts } from '../model/facts';
import type { NodeSnapshot, Role } from '../model/types';
import type { TransportFailure } from '../transport/types';
import type { EvidenceItem } from '../result/run-result';
import { parseOvsListInterface } from '../parse/parse-ovs-list-interface';
import { describeMissing } from './describe-missing';
import { inferRoles } from './infer-roles';
import type { SourceNode } from './load-source';

export interface OfflineCollection extends NodeCollection {
  source: SourceNode;
  /** what this source did not contain that the checks read ("no iptables-save for qrouter-…") */
  missing: string[];
}

/**
 * The offline counterpart of collectNodes (pure): every loaded node becomes a NodeCollection
 * through the live parse path — sosreport and pasted files through buildSnapshotFromFiles
 * (their evidence names the file each output came from), run-file sections through
 * buildNodeSnapshot under their original keys. Roles: `rolesFor` (an inventory) first, then what
 * the source recorded, then inferRoles (facts, then namespaces).
 */
export function buildOfflineCollections(nodes: SourceNode[], opts: { facts?: Facts; rolesFor?: (node: string) => Role[] | undefined } = {}): OfflineCollection[] {
  return nodes.map((src) => {
    const inventoryNode = (roles: Role[]): NodeCollection['node'] => ({ name: src.name, address: `file:${src.label}`, port: 0, user: '', roles, sudo: false });
    const given = opts.rolesFor?.(src.name) ?? src.roles;
    if (src.failure) {
      const failure = { reason: src.failure.reason, message: `${src.failure.message} (as recorded in ${src.label})` } as TransportFailure;
      return { node: inventoryNode(given ?? []), failure, evidence: [], warnings: [], durationMs: 0, source: src, missing: [] };
    }
    if (src.sections) {
      const roles = given ?? [];
      // an analyze run file keeps sos's `ovs-vsctl list interface` text as its ovsdb-interface: not the live JSON
      const listed = src.sections.find((s) => s.key === C.ovsdbInterface.key && !/^\s*\{/.test(s.output));
      const sections = listed ? src.sections.filter((s) => s !== listed) : src.sections;
      const { snapshot, warnings } = buildNodeSnapshot(src.name, roles, sections);
      const evidence = (src.evidence ?? src.sections.map((s) => ({ id: evidenceId(src.name, s.key), node: src.name, command: `${src.label}: section:${s.key}`, exitCode: s.exitCode, output: s.output })))
        .filter((e) => !listed || e.id !== evidenceId(src.name, C.ovsdbInterface.key));
      if (listed) addListedInterfaces(snapshot, evidence, listed.output, `${src.label}: section:${C.ovsdbInterface.key}`);
      return { node: inventoryNode(roles), snapshot, evidence, warnings, durationMs: 0, source: src, missing: [] };
    }
    const files = src.files!;
    // roles first need the namespaces: a role-less build, then the real one with the roles
    const probe = given ? undefined : buildSnapshotFromFiles({ node: src.name, roles: [], outputs: files.outputs }).snapshot;
    const roles = given ?? inferRoles(src.name, probe!.namespaces.map((ns) => ({ name: ns.name, devices: ns.devices.map((d) => d.name) })), opts.facts);
    const { snapshot, evidence, warnings } = buildSnapshotFromFiles({ node: src.name, roles, outputs: files.outputs });
    const listing = files.extras.find((x) => x.kind === 'ovs-list-interface');
    if (listing) addListedInterfaces(snapshot, evidence, listing.text, listing.source);
    return { node: inventoryNode(roles), snapshot, evidence, warnings, durationMs: 0, source: src, missing: describeMissing(snapshot, files) };
  });
}

/**
 * sos saves `ovs-vsctl show` (no ofport, MAC or external_ids) and `ovs-vsctl list interface` (all
 * of them): the second completes the interfaces of the first, by name, and then counts as the
 * Interface table the live collector reads (`ovsdb-interface`), so the checks that need iface-id,
 * attached-mac or ofport (ovs-ports, ovs-antispoof, device-mac) judge a sosreport as they judge a
 * live node. Only when both were read; interfaces the show output lacks are not invented.
 */
function addListedInterfaces(snapshot: NodeSnapshot, evidence: EvidenceItem[], text: string, source: string): void {
  if (!snapshot.ovs) return;
  const { value } = parseOvsListInterface(text);
  const byName = new Map(value.map((i) => [i.name, i]));
  let matched = 0;
  for (const b of snapshot.ovs.bridges) {
    for (const p of b.ports) {
      for (const i of p.interfaces) {
        const row = byName.get(i.name);
        if (!row) continue;
        matched += 1;
        i.externalIds = { ...row.externalIds, ...i.externalIds };
        if (i.ofport === undefined && row.ofport !== undefined) i.ofport = row.ofport;
        if (i.mac_in_use === undefined && row.macInUse !== undefined) i.mac_in_use = row.macInUse;
      }
    }
  }
  if (matched === 0) return;
  const id = evidenceId(snapshot.node, C.ovsdbInterface.key);
  snapshot.evidence[C.ovsdbInterface.key] = id;
  evidence.push({ id, node: snapshot.node, command: source.includes(': section:') ? source : `file:${source}`, exitCode: 0, output: text });
}

export type { NodeSnapshot };
