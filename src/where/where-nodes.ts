import type { NodeCollection } from '../collect/collect';
import { parseOvsAppctlFdbShow } from '../parse';
import type { OfflineCollection } from '../analyze/build-collections';
import type { WhereNode } from './types';
import { parseOvsListInterface } from '../parse/parse-ovs-list-interface';

/**
 * The `where` view of collections (live or offline): each node's snapshot, the source of each
 * evidence key (the evidence item's command: a sosreport file, a run-file section, a live
 * section), and the OVS FDB tables an offline source carried. Pure.
 */
export function toWhereNodes(collections: (NodeCollection | OfflineCollection)[]): WhereNode[] {
  const out: WhereNode[] = [];
  for (const c of collections) {
    const snapshot = c.snapshot;
    if (!snapshot) continue;
    const commandById = new Map(c.evidence.map((e) => [e.id, e.command.replace(/^file:/, '')]));
    const sourceOf = (key: string): string | undefined => {
      const id = snapshot.evidence[key];
      return id === undefined ? undefined : commandById.get(id) ?? id;
    };
    const extras = 'source' in c ? c.source.files?.extras ?? [] : [];
    const fdb = extras
      .filter((x) => x.kind === 'ovs-fdb')
      .map((x) => ({ bridge: x.bridge ?? '?', entries: parseOvsAppctlFdbShow(x.text).value, source: x.source }));
    const listed = extras.filter((x) => x.kind === 'ovs-list-interface').flatMap((x) => parseOvsListInterface(x.text).value.map((i) => ({ ...i, source: x.source })));
    out.push({ snapshot, sourceOf, fdb, ...(listed.length > 0 ? { ovsInterfaces: listed } : {}) });
  }
  return out;
}
