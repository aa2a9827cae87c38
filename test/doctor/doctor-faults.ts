import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeScript } from '../../src/lab/shell';
import { quoteArgv } from '../../src/transport/quote-shell';

/**
 * Faults of the doctor's lab test, applied inside ONE lab node's own mount namespace (the node's
 * sshd runs there, so haprobe sees them over SSH), never on the host: they vanish with the node's
 * holder at `lab down`. Files they need live in `dir` (removed by the test's after()).
 */

/** hide a tool: a non-executable empty file bind-mounted over it (`command -v` then finds nothing) */
export async function hideTool(holderPid: number, dir: string, toolPath: string): Promise<void> {
  const empty = path.join(dir, 'not-executable');
  fs.writeFileSync(empty, '', { mode: 0o644 });
  await nodeScript(holderPid, `${quoteArgv(['mount', '--bind', empty, toolPath])}\n`, `hide ${toolPath}`);
}

/**
 * Thomas Habets' arping (Debian package `arping`) in place of iputils' /usr/bin/arping on one node:
 * the .debs are downloaded (`apt-get download`, nothing installed on the host, which keeps
 * iputils-arping), unpacked into `dir`, and a wrapper that finds libnet there is bind-mounted over
 * /usr/bin/arping in the node. Returns false when the packages cannot be downloaded.
 */
export async function installHabetsArping(holderPid: number, dir: string): Promise<boolean> {
  const debs = path.join(dir, 'debs');
  const root = path.join(dir, 'habets');
  fs.mkdirSync(debs, { recursive: true });
  fs.chmodSync(debs, 0o777); // apt's _apt user writes the download here
  try {
    execFileSync('apt-get', ['download', 'arping', 'libnet1'], { cwd: debs, stdio: 'ignore', timeout: 120_000 });
  } catch {
    return false;
  }
  for (const deb of fs.readdirSync(debs).filter((f) => f.endsWith('.deb'))) execFileSync('dpkg-deb', ['-x', path.join(debs, deb), root]);
  const bin = path.join(root, 'usr/sbin/arping');
  if (!fs.existsSync(bin)) return false;
  const wrapper = path.join(dir, 'arping-habets');
  fs.writeFileSync(wrapper, `#!/bin/sh\nLD_LIBRARY_PATH=${quoteArgv([path.join(root, 'usr/lib/x86_64-linux-gnu')])} exec ${quoteArgv([bin])} "$@"\n`, { mode: 0o755 });
  await nodeScript(holderPid, `${quoteArgv(['mount', '--bind', wrapper, '/usr/bin/arping'])}\n`, 'Habets arping over /usr/bin/arping');
  return true;
}
