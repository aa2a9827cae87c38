import type { Subject } from '../engine/types';

/**
 * The subject as one operator-readable string, most general part first:
 * "net1/qrouter-<id>/qg-1a2b", "fip 203.0.113.10", "net1/fip 203.0.113.10", "router <id>".
 * Waiver globs match against this string, so its shape is a contract (README "Waivers"):
 * node / namespace (or "router <id>" when no namespace names it) / device / "port <id>" / "fip <ip>",
 * parts that are absent are left out; an empty subject is "cloud".
 */
export function formatSubject(subject: Subject): string {
  const parts: string[] = [];
  if (subject.node) parts.push(subject.node);
  if (subject.namespace) parts.push(subject.namespace);
  if (subject.router && !(subject.namespace ?? '').includes(subject.router)) parts.push(`router ${subject.router}`);
  if (subject.device) parts.push(subject.device);
  if (subject.port) parts.push(`port ${subject.port}`);
  if (subject.floatingIp) parts.push(`fip ${subject.floatingIp}`);
  return parts.length > 0 ? parts.join('/') : 'cloud';
}

const SUBJECT_KEYS = ['node', 'namespace', 'router', 'floatingIp', 'device', 'port'] as const;

/** Stable identity of a subject for diff and dedup: "device=qg-1|namespace=qrouter-…|node=net1". */
export function canonicalSubject(subject: Subject): string {
  return SUBJECT_KEYS.filter((k) => subject[k] !== undefined && subject[k] !== '')
    .map((k) => `${k}=${subject[k]}`)
    .join('|');
}

/** Router id named by a subject: its router field, else the id in a qrouter-/snat- namespace name. */
export function routerOf(subject: Subject): string | undefined {
  if (subject.router) return subject.router;
  return subject.namespace ? routerOfNamespace(subject.namespace) : undefined;
}

/** "qrouter-<id>" / "snat-<id>" → "<id>"; other namespaces have no router. */
export function routerOfNamespace(namespace: string): string | undefined {
  const m = /^(?:qrouter|snat)-(.+)$/.exec(namespace);
  return m ? m[1] : undefined;
}
