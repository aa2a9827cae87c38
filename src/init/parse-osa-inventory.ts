import { HaprobeError } from '../errors';
import type { AnsibleGroup } from '../inventory/parse-ansible-ini';
import { scalars } from './parse-ansible-yaml';

/** what `init` needs of an OSA host beyond its vars: is it a container, and on which host */
export interface OsaHostFacts {
  physicalHost?: string;
  /** true for the physical host itself (is_metal, or container_name == physical_host) */
  metal: boolean;
}

/**
 * openstack-ansible's generated inventory (/etc/openstack_deploy/openstack_inventory.json, what
 * its dynamic_inventory.py prints): `{ "_meta": { "hostvars": {…} }, "<group>": { "hosts": […],
 * "children": […] } }` → the group map parseAnsibleIni gives, host vars attached to each host
 * entry, plus each host's container facts. Throws HaprobeError('inventory').
 */
export function parseOsaInventory(text: string, source: string): { groups: Map<string, AnsibleGroup>; hosts: Map<string, OsaHostFacts> } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new HaprobeError('inventory', `not JSON: ${(err as Error).message}`, { where: source });
  }
  if (!isMap(data) || !isMap(data._meta) || !isMap(data._meta.hostvars)) {
    throw new HaprobeError('inventory', 'not an openstack-ansible inventory (no _meta.hostvars)', { where: source });
  }
  const hostvars = data._meta.hostvars as Record<string, unknown>;
  const groups = new Map<string, AnsibleGroup>();
  const hosts = new Map<string, OsaHostFacts>();
  for (const [name, vars] of Object.entries(hostvars)) {
    const v = isMap(vars) ? vars : {};
    const physicalHost = typeof v.physical_host === 'string' ? v.physical_host : undefined;
    const props = isMap(v.properties) ? v.properties : {};
    const metal = v.is_metal === true || props.is_metal === true || (physicalHost !== undefined && v.container_name === physicalHost);
    hosts.set(name, { physicalHost, metal });
  }
  for (const [name, body] of Object.entries(data)) {
    if (name === '_meta' || !isMap(body)) continue;
    const hostNames = Array.isArray(body.hosts) ? body.hosts.filter((h): h is string => typeof h === 'string') : [];
    const children = Array.isArray(body.children) ? body.children.filter((c): c is string => typeof c === 'string') : [];
    groups.set(name, {
      name,
      hosts: hostNames.map((h) => ({ name: h, vars: isMap(hostvars[h]) ? connectionVars(hostvars[h] as Record<string, unknown>) : {}, line: 0 })),
      children,
      vars: isMap(body.vars) ? connectionVars(body.vars) : {},
    });
  }
  return { groups, hosts };
}

/** only ansible_* settings: OSA host vars also carry container networks, QoS specs, swift vars */
function connectionVars(m: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(scalars(m)).filter(([k]) => k.startsWith('ansible_')));
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
