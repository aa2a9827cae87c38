import type { NamespaceSnapshot, NodeSnapshot } from '../model/types';
import { SECTION_CATALOGUE as C, SECTION_ROWS } from './catalogue';

/*
 * What a snapshot's evidence keys say (the `evidence` column of the section catalogue,
 * catalogue.ts): which sections were read, under which evidence id. Pure questions over a
 * NodeSnapshot, asked by the checks (checks/lib/evidence.ts hands them on) and by the engine's
 * data-plane detection (engine/detect-deployment.ts), which must not import the checks above it.
 */

/**
 * Evidence ids of one node for the given section keys (`netns`, `addr:<ns>`, `route:<ns>`,
 * `rule:<ns>`, `neigh:<ns>`, `iptables:<ns>`, `sysctl:<ns>`, `ovs-vsctl`, `flows:<bridge>`,
 * `keepalived:<router_id>`, `versions`). Keys may also be stored node-qualified
 * ("net1:netns"); both forms are accepted. Missing sections are skipped, duplicates dropped.
 */
export function evidenceFor(node: NodeSnapshot | undefined, keys: string[]): string[] {
  if (!node) return [];
  const out: string[] = [];
  for (const key of keys) {
    const id = node.evidence[key] ?? node.evidence[`${node.node}:${key}`];
    if (id !== undefined && !out.includes(id)) out.push(id);
  }
  return out;
}

/** the usual evidence of one namespace: addresses, routes, rules */
export function nsEvidence(node: NodeSnapshot | undefined, ns: string, sections: string[] = ['addr']): string[] {
  return evidenceFor(node, ['netns', ...sections.map((s) => `${s}:${ns}`)]);
}

/*
 * "Was it collected?" (issue 15). The model keeps `devices: []`, `routes: []`, `sysctls: {}` both
 * when a section was read and empty and when it was never read (a publisher showed only `ip
 * route`, the keepalived.conf of a namespace nobody listed, …). Only the evidence keys tell the two
 * apart: a section is evidence exactly when it was read. Checks ask here before reading an empty
 * list as "absent"; what was not read is a skip with the reason, never a fail.
 */

/** per-namespace sections of the snapshot (the live collector's `<section>:<ns>` keys) */
export type NamespaceSection = 'addr' | 'route' | 'rule' | 'neigh' | 'iptables' | 'sysctl';

/** the word a skip names a section by, from the catalogue rows ("address", "route", …) */
const SECTION_WORDS: Record<string, string> = Object.fromEntries(SECTION_ROWS.filter((r) => r.words).map((r) => [r.key, r.words!]));

/** was the section read on this node (any key: `netns`, `versions`, `ovs-show`, `keepalived-state:<r>` …)? */
export function wasCollected(node: NodeSnapshot, key: string): boolean {
  return node.evidence[key] !== undefined || node.evidence[`${node.node}:${key}`] !== undefined;
}

/**
 * Was `section` of namespace `ns` ("" = root) read on this node? iptables counts as read only
 * when it also parsed (a failed `iptables-save` leaves `iptables` undefined).
 */
export function wasNamespaceCollected(node: NodeSnapshot, ns: string | NamespaceSnapshot, section: NamespaceSection): boolean {
  const name = typeof ns === 'string' ? ns : ns.name;
  if (!wasCollected(node, `${section}:${name}`)) return false;
  if (section !== 'iptables') return true;
  const snap = typeof ns === 'string' ? (name === '' ? node.root : node.namespaces.find((n) => n.name === name)) : ns;
  return snap?.iptables !== undefined;
}

/** the reason a check gives when it cannot judge: "no address evidence for net1/qrouter-…" */
export function notCollectedReason(node: NodeSnapshot, what: NamespaceSection | string, ns?: string): string {
  const words = SECTION_WORDS[what] ?? what;
  return `no ${words} evidence for ${node.node}${ns !== undefined ? `/${ns === '' ? '(root)' : ns}` : ''}`;
}

/** was OVS read on this node (`ovs-vsctl show` or the OVSDB tables)? */
export function wasOvsCollected(node: NodeSnapshot): boolean {
  return node.ovs !== undefined || [C.ovsShow.key, C.ovsdbInterface.key, C.ovsShow.evidence].some((k) => wasCollected(node, k));
}

/**
 * Are the OVS interfaces' external_ids (iface-id, attached-mac) known? Only the Interface table
 * (`ovsdb-interface`) carries them: `ovs-vsctl show` never prints external_ids, so a show-only
 * snapshot says nothing about them (issue 15).
 */
export function wereOvsExternalIdsCollected(node: NodeSnapshot): boolean {
  return wasCollected(node, C.ovsdbInterface.key);
}

/**
 * Is it known that the node runs no OVS? The live collector always reads `versions` (with an
 * empty `ovs:` where ovs-vsctl is missing) and reads OVS where its db socket exists; OVS missing
 * from a snapshot whose versions were never read (published outputs) is unknown, not absent.
 */
export function isOvsKnownAbsent(node: NodeSnapshot): boolean {
  return !wasOvsCollected(node) && wasCollected(node, C.versions.evidence) && node.versions['ovs'] === undefined;
}

/**
 * Why a section was read only in part ("elided output at line 12"), from the parser's warnings
 * the snapshot keeps in `partial`; undefined when it was read whole. A partial section's absences
 * are not evidence: at most a warn with this reason.
 */
export function partialReason(node: NodeSnapshot, key: string): string | undefined {
  const why = node.partial?.[key];
  return why === undefined ? undefined : `${key} on ${node.node} was read only in part (${why})`;
}
