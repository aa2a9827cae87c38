import * as path from 'node:path';
import { HaprobeError } from '../errors';
import type { Role } from '../model/types';
import { buildInventory } from '../inventory/build-inventory';
import { parseSshConfig, resolveSshHost, type SshConfigBlock } from '../inventory/ssh-config';
import { isRole } from '../inventory/roles';
import { rolesOfName } from './role-groups';
import { jumpOfProxyCommand } from './proxy-command';
import type { InitDraft } from './types';

export interface SshConfigDraftOptions {
  /** home folder for `~` (tests) */
  home?: string;
  /** `PATTERN=ROLE[,ROLE]` from --role: glob on the host alias/name, overrides the guessed roles */
  roles?: string[];
}

/**
 * ~/.ssh/config → draft: one node per concrete `Host` alias (no wildcard), address/user/port/key
 * as ssh would resolve them, ProxyJump (first hop) or a `ssh -W` ProxyCommand as the jump.
 * Roles are guessed from the alias (or given with --role); aliases without a role are left out
 * and listed, so that a bastion or an unrelated host does not become a node.
 */
export function draftFromSshConfig(text: string, source: string, opts: SshConfigDraftOptions = {}): InitDraft {
  const blocks = parseSshConfig(text);
  const baseDir = path.dirname(path.resolve(source));
  const aliases = [...new Set(blocks.flatMap((b) => b.patterns).filter((p) => !/[*?!]/.test(p)))];
  const overrides = parseRoleOverrides(opts.roles ?? []);
  const notes: string[] = [];
  const why: Record<string, string> = {};
  const nodes: Record<string, unknown>[] = [];
  const skipped: string[] = [];
  const chosen = aliases.filter((a) => rolesFor(a, overrides).roles.length > 0);
  for (const alias of aliases) {
    const { roles, reason } = rolesFor(alias, overrides);
    if (roles.length === 0) {
      skipped.push(alias);
      continue;
    }
    const cfg = resolveSshHost(blocks, alias, baseDir, opts.home);
    const node: Record<string, unknown> = { name: alias, address: cfg.hostName ?? alias, roles };
    if (cfg.user !== undefined) node.user = cfg.user;
    if (cfg.port !== undefined) node.port = cfg.port;
    if (cfg.identityFile !== undefined) node.identityFile = cfg.identityFile;
    const jump = jumpOf(cfg.proxyJump, cfg.proxyCommand, alias, chosen, blocks, baseDir, opts.home, notes);
    if (jump !== undefined) node.jump = jump;
    nodes.push(node);
    why[alias] = reason;
  }
  if (nodes.length === 0) {
    throw new HaprobeError('inventory', 'no Host alias with a role (none is named like controller/network/compute)', {
      where: source,
      hint: `give roles with --role 'PATTERN=network' (aliases: ${aliases.join(', ') || 'none'})`,
    });
  }
  if (skipped.length > 0) notes.push(`alias(es) with no role, left out (use --role PATTERN=ROLE): ${skipped.join(', ')}`);
  const inventory = buildInventory({ nodes }, source, { home: opts.home });
  return { kind: 'ssh-config', source, inventory, why, notes };
}

function rolesFor(alias: string, overrides: Array<{ re: RegExp; pattern: string; roles: Role[] }>): { roles: Role[]; reason: string } {
  const o = overrides.find((x) => x.re.test(alias));
  if (o) return { roles: o.roles, reason: `${o.roles.join('+')} ← --role ${o.pattern}` };
  const roles = rolesOfName(alias);
  return { roles, reason: roles.map((r) => `${r} ← name`).join('; ') };
}

/** `--role 'net*=network'` → matcher; throws a usage error for a bad role */
export function parseRoleOverrides(specs: string[]): Array<{ re: RegExp; pattern: string; roles: Role[] }> {
  return specs.map((spec) => {
    const eq = spec.lastIndexOf('=');
    const pattern = spec.slice(0, eq);
    const roles = spec.slice(eq + 1).split(/[,+]/).filter(Boolean);
    if (eq <= 0 || roles.length === 0 || !roles.every(isRole)) {
      throw new HaprobeError('usage', `expected PATTERN=ROLE[,ROLE] with roles controller|network|compute|gateway, got "${spec}"`, { where: '--role' });
    }
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    return { re, pattern, roles: roles as Role[] };
  });
}

function jumpOf(
  proxyJump: string | undefined,
  proxyCommand: string | undefined,
  alias: string,
  nodeAliases: string[],
  blocks: SshConfigBlock[],
  baseDir: string,
  home: string | undefined,
  notes: string[],
): string | undefined {
  let hop: string | undefined;
  if (proxyJump !== undefined && proxyJump.toLowerCase() !== 'none') {
    const hops = proxyJump.split(',');
    if (hops.length > 1) notes.push(`${alias}: ProxyJump ${proxyJump} has ${hops.length} hops; haprobe uses the last one, and that one's own jump from the inventory`);
    hop = hops[hops.length - 1].trim().replace(/^ssh:\/\//, '');
  } else if (proxyCommand !== undefined && proxyCommand.toLowerCase() !== 'none') {
    hop = jumpOfProxyCommand(proxyCommand);
    if (hop === undefined) notes.push(`${alias}: ProxyCommand ${JSON.stringify(proxyCommand)} is not a plain "ssh -W %h:%p host" hop; set jump by hand`);
  }
  if (hop === undefined) return undefined;
  const m = /^(?:([^@]+)@)?([^@:]+)(?::(\d+))?$/.exec(hop);
  if (!m) return hop;
  const [, user, host, port] = m;
  if (user === undefined && port === undefined && nodeAliases.includes(host)) return host;
  // an alias of the config that is no node: spell it out as user@host:port
  const cfg = resolveSshHost(blocks, host, baseDir, home);
  const u = user ?? cfg.user;
  // a bare word would be read as a node name (jump-spec.ts): an outside bastion always gets @ or :port
  const p = port ?? (cfg.port !== undefined && cfg.port !== 22 ? String(cfg.port) : u === undefined ? '22' : undefined);
  return `${u !== undefined ? `${u}@` : ''}${cfg.hostName ?? host}${p !== undefined ? `:${p}` : ''}`;
}
