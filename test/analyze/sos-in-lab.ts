import * as fs from 'node:fs';
import * as path from 'node:path';
import { labPaths, readLabState } from '../../src/lab';
import { nodeArgv, runArgv } from '../../src/lab/shell';

/** the sos plugins analyze reads (docs/analyze-and-where.md) */
export const SOS_PLUGINS = 'networking,openvswitch,openstack_neutron,keepalived';

/**
 * Runs Debian's real `sosreport` inside one lab node: nsenter into the node holder's mount, net,
 * UTS and PID namespaces (its private /run/netns, OVS sockets, /var/lib/neutron and hostname), with
 * only the plugins analyze reads, in batch mode. The tarball is written to `outDir` (a host path:
 * the holder shares the host's /var/tmp). Returns the tarball's path.
 */
export async function sosreportInLabNode(stateDir: string, node: string, outDir: string, timeoutMs = 300_000): Promise<string> {
  const state = readLabState(labPaths(stateDir));
  const pid = state?.nodes[node]?.holderPid;
  if (pid === undefined) throw new Error(`lab node ${node} has no holder (is the lab up?)`);
  const dir = path.join(outDir, node);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // ethtool per namespace device is most of the networking plugin's time and analyze reads none of
  // it (the option exists for large nodes: sos's networking plugin documents it)
  const argv = nodeArgv(pid, ['sos', 'report', '--batch', '-o', (await knownPlugins()).join(','), '-k', 'networking.ethtool_namespaces=off', '--tmp-dir', dir, '-z', 'xz']);
  const r = await runArgv(argv, '', timeoutMs);
  const tarball = fs.readdirSync(dir).find((f) => /^sosreport-.*\.tar\.xz$/.test(f));
  if (r.code !== 0 || !tarball) throw new Error(`sosreport on ${node} failed (exit ${r.code}): ${r.stderr.slice(-2000)} ${r.stdout.slice(-1000)}`);
  return path.join(dir, tarball);
}

let plugins: Promise<string[]> | undefined;

/**
 * sos 4.0 (Debian 12) has no keepalived plugin (neutron's keepalived files come with
 * openstack_neutron's copy of /var/lib/neutron): ask only for the plugins this sos knows. Listed
 * once per test run (`sos report -l` costs seconds).
 */
function knownPlugins(): Promise<string[]> {
  plugins ??= runArgv(['sos', 'report', '-l'], '', 60_000).then((listed) =>
    SOS_PLUGINS.split(',').filter((p) => new RegExp(`^\\s*${p}\\s`, 'm').test(listed.stdout)));
  return plugins;
}

/** lab nodes by name */
export function labNodes(stateDir: string): string[] {
  return Object.keys(readLabState(labPaths(stateDir))?.nodes ?? {});
}
