import * as path from 'node:path';
import { HaprobeError } from '../errors';
import type { Role } from '../model/types';
import type { Inventory, InventoryNode } from './types';
import { expandPath } from './expand-path';
import { INVENTORY_ROLES, isRole } from './roles';
import { checkJumps } from './check-jumps';
import type { SshHostConfig } from './ssh-config';
import { isHostOrIp } from '../model/formats';
import { USER_RE } from './jump-spec';

export interface BuildOptions {
  /** home folder for `~` (tests) */
  home?: string;
  /**
   * ssh client config lookup by address (see ssh-config.ts). Precedence per field:
   * the node's own value > ssh config > inventory defaults > built-in default.
   */
  sshConfig?: (alias: string) => SshHostConfig;
}

const TOP_KEYS = ['knownHosts', 'defaults', 'nodes'];
const DEFAULT_KEYS = ['user', 'port', 'identityFile', 'sudo'];
const NODE_KEYS = ['name', 'address', 'roles', 'port', 'user', 'identityFile', 'jump', 'sudo'];
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

interface Defaults {
  user: string;
  port: number;
  identityFile?: string;
  sudo?: boolean;
}

/**
 * Turn the parsed YAML document into an Inventory. Pure apart from `~` expansion.
 * Every error names the file and the field path: `inv.yaml: nodes[2].roles`.
 */
export function buildInventory(doc: unknown, source: string, opts: BuildOptions = {}): Inventory {
  const { home } = opts;
  const baseDir = path.dirname(path.resolve(source));
  const fail = (field: string, message: string, hint?: string): never => {
    throw new HaprobeError('inventory', message, { where: field ? `${source}: ${field}` : source, hint });
  };
  if (!isMapping(doc)) fail('', 'the inventory must be a mapping with a "nodes" list');
  const top = doc as Record<string, unknown>;
  rejectUnknownKeys(top, TOP_KEYS, '', fail);

  let knownHosts: string | false = expandPath('~/.ssh/known_hosts', baseDir, home);
  if (top.knownHosts === false) knownHosts = false;
  else if (typeof top.knownHosts === 'string' && top.knownHosts !== '') knownHosts = expandPath(top.knownHosts, baseDir, home);
  else if (top.knownHosts !== undefined && top.knownHosts !== null) {
    fail('knownHosts', 'knownHosts must be a path or false (false = do not check host keys)');
  }

  const defaults = readDefaults(top.defaults, baseDir, home, fail);
  if (!Array.isArray(top.nodes) || top.nodes.length === 0) fail('nodes', 'the inventory needs a non-empty "nodes" list');
  const firstIndex = new Map<string, number>();
  const nodes = (top.nodes as unknown[]).map((raw, i) => {
    const node = readNode(raw, `nodes[${i}]`, defaults, baseDir, opts, fail);
    const prev = firstIndex.get(node.name);
    if (prev !== undefined) fail(`nodes[${i}].name`, `duplicate node name '${node.name}' (first at nodes[${prev}])`);
    firstIndex.set(node.name, i);
    return node;
  });
  const jumpProblem = checkJumps(nodes);
  if (jumpProblem) fail(`nodes[${jumpProblem.index}].jump`, jumpProblem.message);
  return { source, knownHosts, nodes };
}

type Fail = (field: string, message: string, hint?: string) => never;

function readDefaults(raw: unknown, baseDir: string, home: string | undefined, fail: Fail): Defaults {
  const d: Defaults = { user: 'root', port: 22 };
  if (raw === undefined || raw === null) return d;
  if (!isMapping(raw)) fail('defaults', 'defaults must be a mapping');
  const m = raw as Record<string, unknown>;
  rejectUnknownKeys(m, DEFAULT_KEYS, 'defaults', fail);
  if (m.user !== undefined) d.user = readUser(m.user, 'defaults.user', fail);
  if (m.port !== undefined) d.port = readPort(m.port, 'defaults.port', fail);
  if (m.identityFile !== undefined) d.identityFile = readPath(m.identityFile, 'defaults.identityFile', baseDir, home, fail);
  if (m.sudo !== undefined) d.sudo = readBool(m.sudo, 'defaults.sudo', fail);
  return d;
}

function readNode(raw: unknown, at: string, d: Defaults, baseDir: string, opts: BuildOptions, fail: Fail): InventoryNode {
  const { home } = opts;
  if (!isMapping(raw)) fail(at, 'each node must be a mapping with name, address and roles');
  const m = raw as Record<string, unknown>;
  if (typeof m.name !== 'string' || m.name === '') fail(`${at}.name`, 'node has no name');
  const name = m.name as string;
  if (!NAME_RE.test(name)) fail(`${at}.name`, `node name '${name}' may only contain letters, digits, '.', '_' and '-'`);
  const fieldFail: Fail = (field, message, hint) => fail(field, `node ${name}: ${message}`, hint);
  rejectUnknownKeys(m, NODE_KEYS, at, fieldFail);
  if (typeof m.address !== 'string' || m.address.trim() === '') fieldFail(`${at}.address`, 'missing address');
  const written = (m.address as string).trim();
  if (/\s/.test(written)) fieldFail(`${at}.address`, `address '${written}' contains spaces`);
  // issue 8: an address starting with '-' or holding shell text must never reach ssh or a log line
  if (!isHostOrIp(written)) fieldFail(`${at}.address`, `address '${written}' is not a host name or an IP address`);
  const roles = readRoles(m.roles, `${at}.roles`, fieldFail);
  const cfg = opts.sshConfig?.(written) ?? {};
  const address = cfg.hostName ?? written;
  if (!isHostOrIp(address)) fieldFail(`${at}.address`, `ssh config HostName '${address}' for '${written}' is not a host name or an IP address`);
  const user = m.user !== undefined ? readUser(m.user, `${at}.user`, fieldFail) : (cfg.user ?? d.user);
  const port = m.port !== undefined ? readPort(m.port, `${at}.port`, fieldFail) : (cfg.port ?? d.port);
  const identityFile =
    m.identityFile !== undefined
      ? readPath(m.identityFile, `${at}.identityFile`, baseDir, home, fieldFail)
      : (cfg.identityFile ?? d.identityFile);
  const sudo = m.sudo !== undefined ? readBool(m.sudo, `${at}.sudo`, fieldFail) : (d.sudo ?? user !== 'root');
  const node: InventoryNode = { name, address, port, user, roles, sudo };
  if (identityFile !== undefined) node.identityFile = identityFile;
  if (m.jump !== undefined && m.jump !== null) {
    if (typeof m.jump !== 'string' || m.jump.trim() === '') fieldFail(`${at}.jump`, 'jump must be a node name or user@host[:port]');
    node.jump = (m.jump as string).trim();
  }
  return node;
}

function readRoles(raw: unknown, at: string, fail: Fail): Role[] {
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list) || list.length === 0) fail(at, `roles must be a non-empty list of ${INVENTORY_ROLES.join(', ')}`);
  const roles: Role[] = [];
  for (const r of list as unknown[]) {
    if (!isRole(r)) fail(at, `unknown role '${String(r)}' (allowed: ${INVENTORY_ROLES.join(', ')})`);
    if (!roles.includes(r as Role)) roles.push(r as Role);
  }
  return roles;
}

function readPort(raw: unknown, at: string, fail: Fail): number {
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
    fail(at, `bad port '${String(raw)}' (expected an integer 1-65535)`);
  }
  return n as number;
}

function readUser(raw: unknown, at: string, fail: Fail): string {
  if (typeof raw !== 'string' || !USER_RE.test(raw)) fail(at, `bad user '${String(raw)}'`);
  return raw as string;
}

function readBool(raw: unknown, at: string, fail: Fail): boolean {
  if (typeof raw !== 'boolean') fail(at, `expected true or false, got '${String(raw)}'`);
  return raw as boolean;
}

function readPath(raw: unknown, at: string, baseDir: string, home: string | undefined, fail: Fail): string {
  if (typeof raw !== 'string' || raw === '') fail(at, 'expected a file path');
  return expandPath(raw as string, baseDir, home);
}

function rejectUnknownKeys(m: Record<string, unknown>, allowed: string[], at: string, fail: Fail): void {
  for (const key of Object.keys(m)) {
    if (!allowed.includes(key)) {
      fail(at ? `${at}.${key}` : key, `unknown field '${key}'`, `allowed here: ${allowed.join(', ')}`);
    }
  }
}

function isMapping(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
