import type { NodeCollection } from '../collect/collect';
import { buildSnapshotFromFiles } from '../collect/snapshot-from-files';
import { buildNodeSnapshot, evidenceId } from '../collect/snapshot';
import type { Facts } from '../model/facts';
import type { NodeSnapshot, Role } from '../model/types';
import type { TransportFailure } from '../transport/types';
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
      const { snapshot, warnings } = buildNodeSnapshot(src.name, roles, src.sections);
      const evidence = src.evidence ?? src.sections.map((s) => ({ id: evidenceId(src.name, s.key), node: src.name, command: `${src.label}: section:${s.key}`, exitCode: s.exitCode, output: s.output }));
      return { node: inventoryNode(roles), snapshot, evidence, warnings, durationMs: 0, source: src, missing: [] };
    }
    const files = src.files!;
    // roles first need the namespaces: a role-less build, then the real one with the roles
    const probe = given ? undefined : buildSnapshotFromFiles({ node: src.name, roles: [], outputs: files.outputs }).snapshot;
    const roles = given ?? inferRoles(src.name, probe!.namespaces.map((ns) => ({ name: ns.name, devices: ns.devices.map((d) => d.name) })), opts.facts);
    const { snapshot, evidence, warnings } = buildSnapshotFromFiles({ node: src.name, roles, outputs: files.outputs });
    return { node: inventoryNode(roles), snapshot, evidence, warnings, durationMs: 0, source: src, missing: describeMissing(snapshot, files) };
  });
}

export type { NodeSnapshot };
