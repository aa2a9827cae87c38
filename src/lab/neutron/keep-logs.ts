import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NeutronLabPaths } from './names';
import type { NeutronLabState } from './state';

/** where a failed `up` copies its logs before tearing down: /var/tmp/haprobe-neutron-lab-failed-<UTC stamp> */
export function failedLogDirOf(now: Date, base = '/var/tmp'): string {
  return path.join(base, `haprobe-neutron-lab-failed-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`);
}

function copyIfThere(from: string, to: string): boolean {
  if (!fs.existsSync(from)) return false;
  try {
    fs.cpSync(from, to, { recursive: true, dereference: false, filter: (src) => {
      try {
        const st = fs.lstatSync(src);
        return st.isDirectory() || st.isFile();
      } catch {
        return false;
      }
    } });
    return true;
  } catch {
    return false;
  }
}

/**
 * Copy what explains a failed real-engine `up` out of the state dir before `down` removes it
 * (issue 16: the clean-clone run of neutron-dvr-snat-ha lost its logs): the control plane's logs
 * (neutron-server, Keystone), each node's /var/log/neutron (L3 and OVS agents, OVS, sshd), each
 * node's ha_confs (keepalived.conf, the state-change daemon's log, the `state` files), lab.json,
 * and `extra` texts written by the caller (e.g. the router's l3-agents at the failure). Best effort:
 * returns the directory, or undefined when nothing could be copied.
 */
export function keepFailedLogs(p: NeutronLabPaths, state: NeutronLabState, dest: string, extra: Record<string, string> = {}): string | undefined {
  try {
    fs.mkdirSync(dest, { recursive: true });
  } catch {
    return undefined;
  }
  let any = copyIfThere(p.logDir, path.join(dest, 'control-log'));
  any = copyIfThere(p.labJson, path.join(dest, 'lab.json')) || any;
  for (const n of Object.keys(state.nodes)) {
    const dir = p.nodeDir(n);
    any = copyIfThere(path.join(dir, 'log'), path.join(dest, 'nodes', n, 'log')) || any;
    any = copyIfThere(path.join(dir, 'neutron', 'ha_confs'), path.join(dest, 'nodes', n, 'ha_confs')) || any;
    any = copyIfThere(path.join(dir, 'neutron', 'external'), path.join(dest, 'nodes', n, 'external')) || any;
  }
  for (const [name, text] of Object.entries(extra)) {
    try {
      fs.writeFileSync(path.join(dest, name), text);
      any = true;
    } catch {
      /* best effort */
    }
  }
  return any ? dest : undefined;
}
