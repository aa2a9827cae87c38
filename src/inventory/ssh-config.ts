import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandPath } from './expand-path';

/** What an OpenSSH client config says about one host alias (the fields haprobe uses). */
export interface SshHostConfig {
  hostName?: string;
  user?: string;
  port?: number;
  identityFile?: string;
  /** ProxyJump as written (first hop used by `haprobe init`), or ProxyCommand when no ProxyJump */
  proxyJump?: string;
  proxyCommand?: string;
}

export interface SshConfigBlock {
  patterns: string[];
  options: Array<[string, string]>;
}

/**
 * Parse `~/.ssh/config`-style text: `Host` blocks with HostName, User, Port, IdentityFile.
 * `Match` blocks are skipped (their conditions need a live client); `Include` is not followed.
 */
export function parseSshConfig(text: string): SshConfigBlock[] {
  const blocks: SshConfigBlock[] = [{ patterns: ['*'], options: [] }];
  let current: SshConfigBlock | undefined = blocks[0];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    const value = m[2].trim().replace(/^"(.*)"$/, '$1');
    if (key === 'host') {
      current = { patterns: value.split(/\s+/), options: [] };
      blocks.push(current);
    } else if (key === 'match') {
      current = undefined;
    } else if (current) {
      current.options.push([key, value]);
    }
  }
  return blocks;
}

/** OpenSSH semantics: the first value obtained for an option wins, blocks in file order. */
export function resolveSshHost(blocks: SshConfigBlock[], alias: string, baseDir: string, home?: string): SshHostConfig {
  const out: SshHostConfig = {};
  for (const b of blocks) {
    if (!hostMatches(b.patterns, alias)) continue;
    for (const [key, value] of b.options) {
      if (key === 'hostname' && out.hostName === undefined) out.hostName = value.replace(/%h/g, alias);
      else if (key === 'user' && out.user === undefined) out.user = value;
      else if (key === 'port' && out.port === undefined && /^\d+$/.test(value)) out.port = Number(value);
      else if (key === 'identityfile' && out.identityFile === undefined) out.identityFile = expandPath(value, baseDir, home);
      else if (key === 'proxyjump' && out.proxyJump === undefined) out.proxyJump = value;
      else if (key === 'proxycommand' && out.proxyCommand === undefined) out.proxyCommand = value;
    }
  }
  return out;
}

/** read a client config file; a missing file is an empty config */
export function readSshConfig(file: string): SshConfigBlock[] {
  try {
    return parseSshConfig(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

export function sshConfigResolver(file: string, home?: string): (alias: string) => SshHostConfig {
  const blocks = readSshConfig(file);
  const baseDir = path.dirname(file);
  return (alias) => resolveSshHost(blocks, alias, baseDir, home);
}

function hostMatches(patterns: string[], name: string): boolean {
  let hit = false;
  for (const p of patterns) {
    const neg = p.startsWith('!');
    const re = new RegExp(`^${(neg ? p.slice(1) : p).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    if (re.test(name)) {
      if (neg) return false;
      hit = true;
    }
  }
  return hit;
}
