import { isHostOrIp } from '../model/formats';
import { USER_RE } from '../inventory/jump-spec';

/**
 * The bastion of an ssh `ProxyCommand` (as Ansible inventories write it in
 * ansible_ssh_common_args, and TripleO's tripleo-ansible-inventory with an ssh undercloud
 * connection): `ssh [opts] -W %h:%p [opts] [user@]host` → `user@host[:port]`. Pure; undefined
 * when the command is not a plain ssh hop (netcat, `-o ProxyCommand=none`, a script), which the
 * caller reports rather than guesses.
 */
export function jumpOfProxyCommand(command: string): string | undefined {
  const words = command.trim().replace(/^["']|["']$/g, '').split(/\s+/);
  if (words.length === 0 || !/(^|\/)ssh$/.test(words[0])) return undefined;
  if (!words.includes('-W')) return undefined;
  const withValue = new Set(['-W', '-i', '-o', '-p', '-l', '-F', '-J', '-b', '-c', '-D', '-E', '-e', '-I', '-L', '-m', '-O', '-Q', '-R', '-S', '-w', '-B']);
  let host: string | undefined;
  let port: string | undefined;
  let user: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w === '-p') port = words[++i];
    else if (w === '-l') user = words[++i];
    else if (w === '-o' && /^Port=/i.test(words[i + 1] ?? '')) port = words[++i].split('=')[1];
    else if (w === '-o' && /^User=/i.test(words[i + 1] ?? '')) user = words[++i].split('=')[1];
    else if (withValue.has(w)) i++;
    else if (w.startsWith('-')) continue;
    else if (host === undefined) host = w;
  }
  if (host === undefined) return undefined;
  const at = host.lastIndexOf('@');
  if (at >= 0) {
    user = host.slice(0, at);
    host = host.slice(at + 1);
  }
  if (!isHostOrIp(host) || (user !== undefined && !USER_RE.test(user))) return undefined;
  if (port !== undefined && !/^\d+$/.test(port)) return undefined;
  return `${user !== undefined ? `${user}@` : ''}${host}${port !== undefined && port !== '22' ? `:${port}` : ''}`;
}

/** the ProxyCommand inside ssh args (`-o ProxyCommand="ssh -W %h:%p bastion"`), if any */
export function proxyCommandOfArgs(args: string): string | undefined {
  const m = /ProxyCommand[= ]\s*(?:"([^"]*)"|'([^']*)'|(\S+))/i.exec(args);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}
