import type { SavedOutput } from '../collect/snapshot-from-files';
import { redactSecrets } from '../collect/redact';
import type { TarContents } from './read-tar';
import { classifyOutputFile, type ClassifiedFile, type ExtraKind } from './classify-output-file';

/**
 * One node's saved outputs from a file tree (an unpacked or in-memory sosreport, a folder of
 * pasted outputs): every file classifyOutputFile knows becomes a SavedOutput whose `source` is
 * `<label>:<path>`, so the evidence of each finding names the file it came from. Where two files
 * give the same output (sos's `ip -d address` and `ip address`), the preferred one is read and
 * the other is listed as unused. Pure.
 */
export interface NodeFiles {
  /** the node's name from a `hostname` command output or the sos manifest, if the files have one */
  hostname?: string;
  /** the copied /etc/hostname: the configured name, which sos's archive name may contradict */
  etcHostname?: string;
  outputs: SavedOutput[];
  /** outputs `where` reads and the checks do not (OVS FDB, bridge FDB, ovs-vsctl list interface) */
  extras: { kind: ExtraKind; bridge?: string; text: string; source: string }[];
  /** files read, relative paths */
  used: string[];
  /** known files not read because a preferred one said the same */
  unused: string[];
  /** which sos plugins left outputs (by sos_commands/<plugin>/ or the files they copy) */
  plugins: string[];
}

/** keep only files the classifier knows (and the sos manifest): what read-tar / read-directory keep */
export function isWantedOutputFile(rel: string): boolean {
  if (/(^|\/)sos_reports\/manifest\.json$/.test(rel)) return true;
  return classifyOutputFile(rel) !== undefined;
}

function slotOf(c: ClassifiedFile): string {
  return [c.kind, c.namespace ?? '', c.bridge ?? '', c.router ?? '', c.table ?? ''].join('\u0000');
}

export function readNodeFiles(tree: TarContents, label: string): NodeFiles {
  const best = new Map<string, { rel: string; c: ClassifiedFile }>();
  const unused: string[] = [];
  for (const rel of [...tree.files.keys()].sort()) {
    const c = classifyOutputFile(rel);
    if (!c) continue;
    const slot = slotOf(c);
    const prev = best.get(slot);
    if (!prev || c.preference < prev.c.preference) {
      if (prev) unused.push(prev.rel);
      best.set(slot, { rel, c });
    } else {
      unused.push(rel);
    }
  }
  const outputs: SavedOutput[] = [];
  const extras: NodeFiles['extras'] = [];
  let hostname: string | undefined;
  let etcHostname: string | undefined;
  for (const { rel, c } of best.values()) {
    // issue 8: secrets (keepalived auth_pass …) leave before anything is parsed, stored or rendered, as live
    const text = redactSecrets(tree.files.get(rel) as string);
    const source = `${label}:${rel}`;
    if (c.kind === 'hostname') {
      const h = text.trim().split(/\s+/)[0];
      if (h && c.preference === 0) hostname = h;
      else if (h) etcHostname = h;
    } else if (c.kind === 'ovs-fdb' || c.kind === 'bridge-fdb' || c.kind === 'ovs-list-interface') {
      extras.push({ kind: c.kind, ...(c.bridge ? { bridge: c.bridge } : {}), text, source });
    } else {
      outputs.push({
        kind: c.kind,
        text,
        source,
        ...(c.namespace ? { namespace: c.namespace } : {}),
        ...(c.bridge ? { bridge: c.bridge } : {}),
        ...(c.router ? { router: c.router } : {}),
      });
    }
  }
  if (hostname === undefined) hostname = manifestHostname(tree);
  const plugins = new Set<string>();
  for (const n of tree.names) {
    const m = /(?:^|\/)sos_commands\/([^/]+)\//.exec(n);
    if (m) plugins.add(m[1]);
    if (/(?:^|\/)var\/lib\/neutron\//.test(n)) plugins.add('openstack_neutron');
  }
  return { hostname, ...(etcHostname ? { etcHostname } : {}), outputs, extras, used: [...best.values()].map((b) => b.rel).sort(), unused: unused.sort(), plugins: [...plugins].sort() };
}

/** sos 4.x writes sos_reports/manifest.json; its hostname is the node's */
function manifestHostname(tree: TarContents): string | undefined {
  for (const [rel, text] of tree.files) {
    if (!/(^|\/)sos_reports\/manifest\.json$/.test(rel)) continue;
    try {
      const m = JSON.parse(text) as { hostname?: unknown; components?: { report?: { hostname?: unknown } } };
      const h = m.hostname ?? m.components?.report?.hostname;
      if (typeof h === 'string' && h.trim() !== '') return h.trim().split('.')[0];
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** `sosreport-<host>[-label]-<date>-<rand>` (sos "friendly" names) or `sosreport-<host>.<case>-<stamp>` (legacy) */
export function hostnameFromSosName(name: string): string | undefined {
  const base = name.split('/').filter(Boolean).pop() ?? '';
  const m = /^sosreport-(.+?)(?:-[^-]*)?-\d{4}-\d{2}-\d{2}-[a-z]{7}(?:\.tar.*)?$/.exec(base) ?? /^sosreport-([^.]+?)(?:\.[^-]*)?-\d{14}(?:\.tar.*)?$/.exec(base);
  return m?.[1];
}
