import { parseDocument } from 'yaml';
import { HaprobeError } from '../errors';
import type { AnsibleGroup, AnsibleHost } from '../inventory/parse-ansible-ini';

/**
 * An Ansible YAML inventory (TripleO's tripleo-ansible-inventory.yaml, or any `group: {hosts,
 * children, vars}` file) → the same group map parseAnsibleIni gives. Groups may be defined at the
 * top level or inline under a parent's `children`, as Ansible allows. Only scalar vars are kept
 * (lists and maps are never connection settings). Throws HaprobeError('inventory').
 */
export function parseAnsibleYaml(text: string, source: string): Map<string, AnsibleGroup> {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) throw new HaprobeError('inventory', `YAML syntax error: ${doc.errors[0].message.split('\n')[0]}`, { where: source });
  const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  if (!isMap(data)) throw new HaprobeError('inventory', 'an Ansible YAML inventory is a mapping of group names', { where: source });
  const groups = new Map<string, AnsibleGroup>();
  const group = (name: string): AnsibleGroup => {
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { name, hosts: [], children: [], vars: {} }));
    return g;
  };
  const define = (name: string, body: unknown): void => {
    const g = group(name);
    if (!isMap(body)) return;
    if (isMap(body.hosts)) {
      for (const [host, vars] of Object.entries(body.hosts)) {
        if (!g.hosts.some((h) => h.name === host)) g.hosts.push(hostOf(host, vars));
      }
    }
    if (isMap(body.vars)) Object.assign(g.vars, scalars(body.vars));
    if (isMap(body.children)) {
      for (const [child, childBody] of Object.entries(body.children)) {
        if (!g.children.includes(child)) g.children.push(child);
        define(child, childBody);
      }
    }
  };
  for (const [name, body] of Object.entries(data)) define(name, body);
  return groups;
}

function hostOf(name: string, vars: unknown): AnsibleHost {
  return { name, vars: isMap(vars) ? scalars(vars) : {}, line: 0 };
}

export function scalars(m: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
