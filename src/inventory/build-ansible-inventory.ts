import * as path from 'node:path';
import { HaprobeError } from '../errors';
import type { Role } from '../model/types';
import type { Inventory, InventoryNode } from './types';
import type { AnsibleGroup, AnsibleHost } from './parse-ansible-ini';
import { expandPath } from './expand-path';
import { checkJumps } from './check-jumps';
import { USER_RE } from './jump-spec';
import { isHostOrIp } from '../model/formats';

/** the same node-name rule as the YAML inventory (build-inventory.ts) */
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Group names that give a role. Ansible inventories of OpenStack deployers use several
 * spellings (kolla-ansible: control/network/compute).
 */
const ROLE_GROUPS: Record<string, Role> = {
  controller: 'controller',
  controllers: 'controller',
  control: 'controller',
  network: 'network',
  networks: 'network',
  network_nodes: 'network',
  compute: 'compute',
  computes: 'compute',
  compute_nodes: 'compute',
  gateway: 'gateway',
  gateways: 'gateway',
};

export interface AnsibleBuildOptions {
  knownHosts?: string | false;
  home?: string;
}

/**
 * Ansible groups → Inventory. Only hosts in a role group (directly or through :children) become
 * nodes. Var precedence: host line > vars of the groups holding the host > [all:vars].
 * Default user is root (haprobe's default, not Ansible's "current user").
 */
export function buildAnsibleInventory(
  groups: Map<string, AnsibleGroup>,
  source: string,
  opts: AnsibleBuildOptions = {},
): Inventory {
  const baseDir = path.dirname(path.resolve(source));
  const roleOf = new Map<string, Set<Role>>();
  const hostVars = new Map<string, { host: AnsibleHost; vars: Record<string, string> }>();
  const order: string[] = [];
  const allVars = groups.get('all')?.vars ?? {};

  const visit = (g: AnsibleGroup, role: Role, inherited: Record<string, string>, seen: Set<string>): void => {
    if (seen.has(g.name)) return;
    seen.add(g.name);
    const vars = { ...inherited, ...g.vars };
    for (const h of g.hosts) {
      if (!roleOf.has(h.name)) {
        roleOf.set(h.name, new Set());
        order.push(h.name);
      }
      roleOf.get(h.name)!.add(role);
      const prev = hostVars.get(h.name);
      hostVars.set(h.name, { host: h, vars: { ...allVars, ...prev?.vars, ...vars, ...h.vars } });
    }
    for (const child of g.children) {
      const cg = groups.get(child);
      if (cg) visit(cg, role, vars, seen);
    }
  };
  for (const g of groups.values()) {
    const role = ROLE_GROUPS[g.name.toLowerCase()];
    if (role) visit(g, role, {}, new Set());
  }
  if (order.length === 0) {
    throw new HaprobeError('inventory', 'no host in a controller, network, compute or gateway group', {
      where: source,
      hint: `groups found: ${[...groups.keys()].filter((n) => n !== 'ungrouped' && n !== 'all').join(', ') || 'none'}`,
    });
  }
  const nodes = order.map((name) => {
    const { host, vars } = hostVars.get(name)!;
    return hostToNode(name, [...roleOf.get(name)!], vars, `${source}:${host.line}`, baseDir, opts.home);
  });
  const jumpProblem = checkJumps(nodes);
  if (jumpProblem) {
    const line = hostVars.get(nodes[jumpProblem.index].name)!.host.line;
    throw new HaprobeError('inventory', jumpProblem.message, { where: `${source}:${line}` });
  }
  const knownHosts = opts.knownHosts ?? expandPath('~/.ssh/known_hosts', baseDir, opts.home);
  return { source, knownHosts, nodes };
}

function hostToNode(
  name: string,
  roles: Role[],
  vars: Record<string, string>,
  where: string,
  baseDir: string,
  home: string | undefined,
): InventoryNode {
  const fail = (message: string): never => {
    throw new HaprobeError('inventory', `host ${name}: ${message}`, { where });
  };
  if (!NAME_RE.test(name)) fail(`host name may only contain letters, digits, '.', '_' and '-'`);
  const address = vars.ansible_host ?? vars.ansible_ssh_host ?? name;
  if (!isHostOrIp(address)) fail(`ansible_host '${address}' is not a host name or an IP address`);
  const user = vars.ansible_user ?? vars.ansible_ssh_user ?? 'root';
  if (!USER_RE.test(user)) fail(`bad ansible_user '${user}'`);
  const portText = vars.ansible_port ?? vars.ansible_ssh_port;
  let port = 22;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) fail(`bad ansible_port '${portText}'`);
  }
  const become = vars.ansible_become;
  const sudo = become === undefined ? user !== 'root' : /^(true|yes|1)$/i.test(become);
  const node: InventoryNode = { name, address, port, user, roles, sudo };
  const key = vars.ansible_ssh_private_key_file ?? vars.ansible_private_key_file;
  if (key) node.identityFile = expandPath(key, baseDir, home);
  const jump = proxyJumpOf(`${vars.ansible_ssh_common_args ?? ''} ${vars.ansible_ssh_extra_args ?? ''}`);
  if (jump) node.jump = jump;
  return node;
}

/** `-J user@host` or `-o ProxyJump=user@host` in ssh args; only the first hop is used */
function proxyJumpOf(args: string): string | undefined {
  const m = /(?:-J\s*|ProxyJump[= ])\s*([^\s,'"]+)/.exec(args);
  return m?.[1];
}
