import * as fs from 'node:fs';
import { HaprobeError } from '../../errors';
import { NEUTRON_OWNER_FILE, NFABRIC_NS, otherLiveNeutronLab, NMGMT_BRIDGE, mgmtLinkOf, neutronLabPaths, nodeNetnsOf, resolveNeutronStateDir, type NeutronLabPaths } from './names';
import { readNeutronState, writeNeutronState, type NeutronLabState } from './state';

/** One machine-wide owner of the real engine's names (hq-*): a second state dir is refused while the first is up. */
export function claimNeutronOwner(stateDir: string): void {
  try {
    fs.writeFileSync(NEUTRON_OWNER_FILE, stateDir + '\n', { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = otherLiveNeutronLab(stateDir);
    if (owner !== undefined) {
      throw new HaprobeError('lab', `another real-engine lab is up on this machine (state dir ${owner})`, { hint: `haprobe lab --state-dir ${owner} down --engine neutron` });
    }
    fs.writeFileSync(NEUTRON_OWNER_FILE, stateDir + '\n');
  }
}

export interface NeutronUpStart {
  stateDir: string;
  p: NeutronLabPaths;
  state: NeutronLabState;
  save(): void;
  say(message: string): void;
  /** runs one build step, says it, records its seconds in state.timings and saves */
  timed<T>(name: string, f: () => Promise<T>): Promise<T>;
  /** the pid holding a node's namespaces (set once the node is started) */
  holder(node: string): number;
}

/**
 * What every real-engine `up` (ML2/OVS and OVN) does before it builds anything: root, the binaries
 * its profile needs, no lab already in the state dir, the machine-wide owner, no leftover fabric
 * namespace; then lab.json written at once (phase building) so a failed up can always be torn down.
 */
export function beginNeutronUp(o: {
  stateDir?: string;
  progress?: (message: string) => void;
  profile: string;
  nodes: readonly { name: string; kind: NeutronLabState['nodes'][string]['kind']; mgmtIp: string }[];
  binaries: readonly string[];
  /** "the real engine needs OpenStack Zed" / "the OVN lab needs OpenStack Zed and OVN" */
  needs: string;
  extra?: Pick<NeutronLabState, 'ovn'>;
}): NeutronUpStart {
  if (process.getuid && process.getuid() !== 0) throw new HaprobeError('lab', 'the lab needs root (network namespaces, OVS, sshd)');
  for (const bin of o.binaries) {
    if (!fs.existsSync(bin)) throw new HaprobeError('lab', `${o.needs}: ${bin} is missing`, { hint: 'bash scripts/setup.sh --with-openstack' });
  }
  const stateDir = resolveNeutronStateDir(o.stateDir);
  const p = neutronLabPaths(stateDir);
  const existing = readNeutronState(p);
  if (existing && existing.phase !== 'down') {
    throw new HaprobeError('lab', `a real-engine lab (${existing.profile}, ${existing.phase}) already exists in this state dir`, { where: p.labJson, hint: 'haprobe lab down --engine neutron' });
  }
  claimNeutronOwner(stateDir);
  if (fs.existsSync(`/run/netns/${NFABRIC_NS}`)) throw new HaprobeError('lab', `namespace ${NFABRIC_NS} already exists`, { hint: 'haprobe lab down --engine neutron' });
  fs.mkdirSync(stateDir, { recursive: true });
  const state: NeutronLabState = {
    version: 1, engine: 'neutron', profile: o.profile, stateDir, phase: 'building', startedAt: new Date().toISOString(), control: [],
    hostLinks: [NMGMT_BRIDGE, ...o.nodes.map((n) => mgmtLinkOf(n.name))], netns: [NFABRIC_NS, ...o.nodes.map((n) => nodeNetnsOf(n.name))],
    nodes: Object.fromEntries(o.nodes.map((n) => [n.name, { name: n.name, kind: n.kind, mgmtIp: n.mgmtIp, dir: p.nodeDir(n.name) }])),
    resources: {}, timings: {}, ...o.extra,
  };
  const save = (): void => writeNeutronState(p, state);
  save();
  const say = o.progress ?? ((): void => undefined);
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    say(`${name}…`);
    const v = await f();
    state.timings[name] = Math.round((Date.now() - t) / 100) / 10;
    save();
    return v;
  };
  return { stateDir, p, state, save, say, timed, holder: (node) => state.nodes[node].holderPid! };
}
