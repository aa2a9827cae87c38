import type { Role } from '../model/types';
import type { AnsibleGroup } from '../inventory/parse-ansible-ini';
import { buildAnsibleInventory } from '../inventory/build-ansible-inventory';
import { HaprobeError } from '../errors';
import { type RoleGroupTable, roleOfGroup } from './role-groups';
import { jumpOfProxyCommand, proxyCommandOfArgs } from './proxy-command';
import type { InitDraft, InitSourceKind } from './types';

/** the synthetic role groups handed to buildAnsibleInventory (names it maps to roles) */
const ROLE_GROUP_NAME: Record<Role, string> = { controller: 'controller', network: 'network', compute: 'compute', gateway: 'gateway' };
/** source groups are renamed so that only the table decides roles (kolla's `network` and a TripleO `Compute` would also match the loader's own names) */
const PREFIX = 'src:';

export interface GroupsBuildOptions {
  home?: string;
  /** extra hosts per role that are not a group of the source (OSA: physical hosts of controller containers) */
  extraRoleHosts?: Partial<Record<Role, string[]>>;
  /** hosts never to make nodes (OSA Ironic computes) */
  exclude?: Set<string>;
}

/**
 * Ansible groups (from an INI, YAML or JSON inventory) → an InitDraft, through the same builder
 * `run -i hosts.ini` uses (buildAnsibleInventory: var precedence, user/port/key/become, -J jumps,
 * validation), with the roles decided by the tool's table instead of the loader's group names.
 * A jump written as `ProxyCommand="ssh -W %h:%p user@bastion"` is carried over as `-J`.
 */
export function buildDraftFromGroups(
  groups: Map<string, AnsibleGroup>,
  table: RoleGroupTable,
  kind: InitSourceKind,
  source: string,
  opts: GroupsBuildOptions = {},
): InitDraft {
  const notes: string[] = [];
  const known = new Set(allHosts(groups));
  const carry = (vars: Record<string, string>, where: string): Record<string, string> => carryProxyCommand(vars, where, notes, known);
  const renamed = new Map<string, AnsibleGroup>();
  for (const g of groups.values()) {
    const name = g.name === 'all' ? 'all' : PREFIX + g.name;
    renamed.set(name, {
      name,
      hosts: g.hosts.filter((h) => !opts.exclude?.has(h.name)).map((h) => ({ ...h, vars: carry(h.vars, `host ${h.name}`) })),
      children: g.children.map((c) => PREFIX + c),
      vars: carry(g.vars, `group ${g.name}`),
    });
  }
  const why = new Map<string, string[]>();
  const roleGroups = new Map<Role, AnsibleGroup>();
  const roleGroup = (role: Role): AnsibleGroup => {
    let g = roleGroups.get(role);
    if (!g) roleGroups.set(role, (g = { name: ROLE_GROUP_NAME[role], hosts: [], children: [], vars: {} }));
    return g;
  };
  for (const g of groups.values()) {
    const role = roleOfGroup(table, g.name);
    if (!role) continue;
    const hosts = hostsUnder(groups, g.name).filter((h) => !opts.exclude?.has(h));
    if (hosts.length === 0) continue;
    roleGroup(role).children.push(PREFIX + g.name);
    for (const h of hosts) addWhy(why, h, `${role} ← group ${g.name}`);
  }
  for (const [role, hosts] of Object.entries(opts.extraRoleHosts ?? {}) as Array<[Role, string[]]>) {
    for (const h of hosts) {
      const host = findHost(groups, h);
      if (!host) continue;
      roleGroup(role).hosts.push({ ...host, vars: carry(host.vars, `host ${h}`) });
      addWhy(why, h, `${role} ← ${extraWhy(kind)}`);
    }
  }
  if (roleGroups.size === 0) {
    throw new HaprobeError('inventory', `no host in a group that gives a role (${describeTable(table)})`, { where: source });
  }
  for (const g of roleGroups.values()) renamed.set(g.name, g);
  const inventory = buildAnsibleInventory(renamed, source, { home: opts.home });
  const whyOut: Record<string, string> = {};
  for (const n of inventory.nodes) whyOut[n.name] = mergeWhy(why.get(n.name) ?? []);
  const skipped = allHosts(groups).filter((h) => !inventory.nodes.some((n) => n.name === h));
  if (!inventory.nodes.some((n) => n.roles.includes('network'))) {
    notes.push('no host runs an L3 agent by these groups (ML2/OVN deployment?): haprobe\'s profiles read the ML2/OVS L3 agents\' nodes; add role network by hand where they run');
  }
  if (skipped.length > 0) notes.push(`${skipped.length} host(s) in no role group, left out: ${abbreviate(skipped)}`);
  return { kind, source, inventory, why: whyOut, notes };
}

/** "network ← group a", "network ← group b" → "network ← groups a, b" */
function mergeWhy(lines: string[]): string {
  const byRole = new Map<string, string[]>();
  for (const l of new Set(lines)) {
    const [role, from] = l.split(' ← ');
    if (!byRole.has(role)) byRole.set(role, []);
    byRole.get(role)!.push(from);
  }
  return [...byRole].map(([role, froms]) => {
    const groups = froms.filter((f) => f.startsWith('group ')).map((f) => f.slice(6));
    const other = froms.filter((f) => !f.startsWith('group '));
    const parts = [...(groups.length > 0 ? [`${groups.length > 1 ? 'groups' : 'group'} ${groups.join(', ')}`] : []), ...other];
    return `${role} ← ${parts.join(', ')}`;
  }).join('; ');
}

function extraWhy(kind: InitSourceKind): string {
  return kind === 'osa-json' ? 'physical host of a neutron_server container' : 'source';
}

function addWhy(why: Map<string, string[]>, host: string, line: string): void {
  if (!why.has(host)) why.set(host, []);
  why.get(host)!.push(line);
}

/** every host in the group or below it through :children (cycle-safe) */
export function hostsUnder(groups: Map<string, AnsibleGroup>, name: string, seen = new Set<string>()): string[] {
  if (seen.has(name)) return [];
  seen.add(name);
  const g = groups.get(name);
  if (!g) return [];
  return [...new Set([...g.hosts.map((h) => h.name), ...g.children.flatMap((c) => hostsUnder(groups, c, seen))])];
}

function findHost(groups: Map<string, AnsibleGroup>, name: string): AnsibleGroup['hosts'][number] | undefined {
  for (const g of groups.values()) {
    const h = g.hosts.find((x) => x.name === name);
    if (h) return h;
  }
  return undefined;
}

function allHosts(groups: Map<string, AnsibleGroup>): string[] {
  return [...new Set([...groups.values()].flatMap((g) => g.hosts.map((h) => h.name)))];
}

function abbreviate(names: string[]): string {
  return names.length <= 6 ? names.join(', ') : `${names.slice(0, 6).join(', ')} … (+${names.length - 6})`;
}

function describeTable(t: RoleGroupTable): string {
  const exact = Object.entries(t.exact).map(([g, r]) => `${g}→${r}`);
  const prefixes = (t.prefixes ?? []).map(([p, r]) => `${p}*→${r}`);
  return [...exact, ...prefixes].join(', ');
}

/**
 * ansible_ssh_common_args with a ProxyCommand but no -J/ProxyJump: add the `-J user@host` the
 * builder understands. A ProxyCommand that is not a plain `ssh -W` hop is left alone and noted.
 */
function carryProxyCommand(vars: Record<string, string>, where: string, notes: string[], hosts: Set<string>): Record<string, string> {
  const key = ['ansible_ssh_common_args', 'ansible_ssh_extra_args'].find((k) => vars[k] !== undefined && /ProxyCommand/i.test(vars[k]));
  if (!key || /(^|\s)-J|ProxyJump/.test(vars[key])) return vars;
  const cmd = proxyCommandOfArgs(vars[key]);
  const jump = cmd !== undefined ? jumpOfProxyCommand(cmd) : undefined;
  if (!jump) {
    notes.push(`${where}: ProxyCommand ${JSON.stringify(cmd ?? vars[key])} is not a plain "ssh -W %h:%p host" hop; set jump by hand`);
    return vars;
  }
  // a bare word is a node name to the loader (jump-spec.ts): an outside bastion gets its :22
  const spec = /[@:]/.test(jump) || hosts.has(jump) ? jump : `${jump}:22`;
  return { ...vars, [key]: `${vars[key]} -J ${spec}` };
}
