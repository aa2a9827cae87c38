import * as os from 'node:os';
import * as path from 'node:path';
import { Document, isMap, isSeq } from 'yaml';
import type { Inventory, InventoryNode } from '../inventory/types';
import type { InitDraft } from './types';

/**
 * The draft as a haprobe inventory YAML (the format build-inventory.ts reads), with a header that
 * says where it came from and, per node, which group gave which role: the operator reviews this
 * text before it is written. Values equal to the loader's defaults (port 22, user root, sudo when
 * the user is not root, ~/.ssh/known_hosts) are left out so that the file stays short.
 */
export function renderInventoryYaml(draft: InitDraft, opts: { home?: string; generatedAt?: string } = {}): string {
  const inv = draft.inventory;
  const home = opts.home ?? os.homedir();
  const doc: Record<string, unknown> = {};
  const defaultKnown = path.join(home, '.ssh', 'known_hosts');
  if (inv.knownHosts === false) doc.knownHosts = false;
  else if (inv.knownHosts !== defaultKnown) doc.knownHosts = tilde(inv.knownHosts, home);
  doc.nodes = inv.nodes.map((n) => nodeEntry(n, home));
  // roles on one line (`roles: [network, compute]`): a 50-node inventory stays readable
  const yaml = new Document(doc);
  const nodesSeq = yaml.get('nodes');
  if (isSeq(nodesSeq)) for (const item of nodesSeq.items) if (isMap(item)) { const r = item.get('roles'); if (isSeq(r)) r.flow = true; }
  const body = yaml.toString({ lineWidth: 0 });
  const header = [
    `# haprobe inventory written by \`haprobe init\` from ${draft.kind} ${draft.source}${opts.generatedAt ? ` at ${opts.generatedAt}` : ''}`,
    '# Review the roles before use: they are derived from the source groups:',
    ...inv.nodes.map((n) => `#   ${n.name}: ${draft.why[n.name] || n.roles.join(', ')}`),
    ...draft.notes.map((line) => `# note: ${line}`),
  ];
  return `${header.join('\n')}\n${body}`;
}

function nodeEntry(n: InventoryNode, home: string): Record<string, unknown> {
  const e: Record<string, unknown> = { name: n.name, address: n.address, roles: n.roles };
  if (n.port !== 22) e.port = n.port;
  if (n.user !== 'root') e.user = n.user;
  if (n.identityFile !== undefined) e.identityFile = tilde(n.identityFile, home);
  if (n.jump !== undefined) e.jump = n.jump;
  if (n.sudo !== (n.user !== 'root')) e.sudo = n.sudo;
  return e;
}

function tilde(p: string, home: string): string {
  return p === home ? '~' : p.startsWith(`${home}/`) ? `~/${p.slice(home.length + 1)}` : p;
}

/** Inventory equality for the round-trip check (what was derived is what the loader reads back) */
export function sameNodes(a: Inventory, b: Inventory): string | undefined {
  if (a.nodes.length !== b.nodes.length) return `${a.nodes.length} node(s) derived, ${b.nodes.length} read back`;
  for (const [i, x] of a.nodes.entries()) {
    const y = b.nodes[i];
    const fields: Array<keyof InventoryNode> = ['name', 'address', 'port', 'user', 'identityFile', 'jump', 'sudo'];
    for (const f of fields) if (x[f] !== y[f]) return `node ${x.name}: ${f} ${String(x[f])} became ${String(y[f])}`;
    if (x.roles.join(',') !== y.roles.join(',')) return `node ${x.name}: roles ${x.roles.join(',')} became ${y.roles.join(',')}`;
  }
  return undefined;
}
