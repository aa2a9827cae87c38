import type { EvidenceItem } from '../result/run-result';
import type { IptablesRuleset, NodeSnapshot, Role } from '../model/types';
import type { ParseResult } from '../parse/types';
import { parseIpRoute, parseIptablesList, parseIptablesS } from '../parse';
import type { RawSection } from './sections';
import { buildNodeSnapshot, ELIDED, evidenceId, type SectionWarning } from './snapshot';
import { rowOfSavedKind, sectionKeyOf, type OutputKind } from './catalogue';

/**
 * What one saved command output is (catalogue.ts). The kinds the live snapshot script collects go
 * through the live parse path (`buildNodeSnapshot` over the same section keys: the `saved` kind of
 * a catalogue row); the rest are outputs an operator or a publisher typically has instead
 * (`iptables -S`, `iptables -L`, `ip route show table N`: OFFLINE_OUTPUTS) and are parsed by their
 * own parser into the same model.
 */
export type { OutputKind };

export interface SavedOutput {
  kind: OutputKind;
  /** the command output as printed (no header) */
  text: string;
  /** network namespace it was run in; "" or absent = the node's root namespace */
  namespace?: string;
  /** ovs-ofctl dump-flows: the bridge */
  bridge?: string;
  /** keepalived-*: the router id (ha_confs/<router>) */
  router?: string;
  /** iptables -S/-L: the table (default filter); ip route: the table it lists (`ip route show table N`) */
  table?: string;
  /** where the text comes from (a file name), shown as the evidence's command */
  source?: string;
}

export interface SavedNode {
  node: string;
  roles: Role[];
  outputs: SavedOutput[];
  /** versions as `haprobe run` records them (keepalived, arping, ovs, …) when known */
  versions?: Record<string, string>;
}

export interface SnapshotFromFiles {
  snapshot: NodeSnapshot;
  evidence: EvidenceItem[];
  warnings: SectionWarning[];
}

/**
 * One node's snapshot from saved outputs (pure; the offline counterpart of collectNode, for
 * replaying published outputs and for a later offline `analyze`). Several outputs of one kind
 * for one namespace/bridge are concatenated (e.g. dump-flows of single tables). A namespace
 * some output was run in is part of the snapshot even when no `ip netns` listing names it
 * (publishers often show only the line they discuss). Every parser warning is returned with
 * node and section; nothing is dropped.
 */
export function buildSnapshotFromFiles(saved: SavedNode): SnapshotFromFiles {
  const { node } = saved;
  const sections = new Map<string, RawSection>();
  const sources = new Map<string, string[]>();
  const add = (key: string, text: string, source?: string): void => {
    const prev = sections.get(key);
    const body = text.endsWith('\n') || text === '' ? text : `${text}\n`;
    sections.set(key, { key, output: prev ? prev.output + body : body, exitCode: 0 });
    if (source) sources.set(key, [...(sources.get(key) ?? []), source]);
  };
  const later: SavedOutput[] = [];
  const namespaces = new Set<string>();
  for (const o of saved.outputs) {
    const ns = o.namespace ?? '';
    if (ns !== '') namespaces.add(ns);
    const key = sectionKey(o);
    if (key === undefined) later.push(o);
    else add(key, o.text, o.source);
  }
  const listing = sections.get('netns')?.output ?? '';
  const listed = new Set(listing.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((n) => n));
  const unlisted = [...namespaces].filter((n) => !listed.has(n));
  if (unlisted.length > 0) add('netns', unlisted.join('\n'));
  if (saved.versions) add('versions', Object.entries(saved.versions).map(([k, v]) => `${k}: ${v}`).join('\n'));

  const raw = [...sections.values()];
  const { snapshot, warnings } = buildNodeSnapshot(node, saved.roles, raw);
  const evidence: EvidenceItem[] = raw.map((s) => ({
    id: evidenceId(node, s.key),
    node,
    command: sources.has(s.key) ? `file:${(sources.get(s.key) as string[]).join(' + ')}` : `section:${s.key}`,
    exitCode: s.exitCode,
    output: s.output,
  }));

  for (const o of later) {
    const ns = o.namespace ?? '';
    const target = ns === '' ? snapshot.root : snapshot.namespaces.find((n) => n.name === ns);
    if (!target) continue; // cannot happen: every namespace of an output is listed above
    const key = `${o.kind}${o.table ? `(${o.table})` : ''}:${ns}`;
    const take = <T>(result: ParseResult<T>): T => {
      for (const w of result.warnings) {
        warnings.push({ ...w, node, section: key });
        // checks ask about the live key (iptables:<ns>, route:<ns>) the output stands in for
        const live = o.kind === 'ip-route' ? `route:${ns}` : `iptables:${ns}`;
        if (w.message === ELIDED) (snapshot.partial ??= {})[live] ??= `${ELIDED} at line ${w.line} of ${o.source ?? o.kind}`;
      }
      return result.value;
    };
    if (o.kind === 'ip-route') {
      for (const r of take(parseIpRoute(o.text))) target.routes.push(r.table === undefined && o.table ? { ...r, table: o.table } : r);
    } else {
      const table = o.table ?? 'filter';
      const value = take(o.kind === 'iptables-S' ? parseIptablesS(o.text, table) : parseIptablesList(o.text, table));
      target.iptables = mergeRulesets(target.iptables, value);
      snapshot.evidence[`iptables:${ns}`] ??= evidenceId(node, key);
    }
    snapshot.evidence[key] = evidenceId(node, key);
    evidence.push({ id: evidenceId(node, key), node, command: `file:${o.source ?? o.kind}`, exitCode: 0, output: o.text });
  }
  return { snapshot, evidence, warnings };
}

/**
 * The live section key an output stands for (its catalogue row's); undefined for kinds the live
 * script never collects, and for `ip route show table N` (one table, not the live `table all`).
 */
function sectionKey(o: SavedOutput): string | undefined {
  const row = rowOfSavedKind(o.kind);
  if (!row || (o.kind === 'ip-route' && o.table !== undefined)) return undefined;
  const scope = { node: '', namespace: o.namespace, bridge: o.bridge, router: o.router, instance: undefined }[row.scope];
  return sectionKeyOf(row, scope ?? '');
}

function mergeRulesets(a: IptablesRuleset | undefined, b: IptablesRuleset): IptablesRuleset {
  if (!a) return b;
  return { chains: [...a.chains, ...b.chains], rules: [...a.rules, ...b.rules] };
}
