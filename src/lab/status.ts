import { readHaStates } from './ha-state';
import { isNovaProfile } from './nova/plan';
import { labPaths, resolveStateDir } from './paths';
import { planOfState } from './plan';
import { isAlive } from './processes';
import { probeSshBanner } from './ssh-probe';
import { readLabState } from './state';

export interface LabNodeStatus {
  name: string;
  kind: string;
  address: string;
  holderAlive: boolean;
  /** sshd answered with an SSH banner on port 22 */
  ssh: boolean;
  /** HA state file content, HA nodes only */
  haState?: string;
}

export interface LabStatus {
  stateDir: string;
  up: boolean;
  profile?: string;
  phase?: string;
  nodes: LabNodeStatus[];
  fips: Record<string, string>;
  faults: { name: string; subject: string; check: string }[];
}

/** nodes and whether each answers SSH (banner check, no login) */
export async function labStatus(opts: { stateDir?: string } = {}): Promise<LabStatus> {
  const stateDir = resolveStateDir(opts.stateDir);
  const paths = labPaths(stateDir);
  const state = readLabState(paths);
  if (!state) return { stateDir, up: false, nodes: [], fips: {}, faults: [] };
  const ha = state.phase === 'up' && !isNovaProfile(state.profile) ? readHaStates(planOfState(state), paths) : {};
  const nodes = await Promise.all(Object.values(state.nodes).map(async (n) => ({
    name: n.name,
    kind: n.kind,
    address: n.mgmtIp,
    holderAlive: n.holderPid !== undefined && isAlive(n.holderPid),
    ssh: await probeSshBanner(n.mgmtIp, 22, 1000),
    haState: ha[n.name],
  })));
  return {
    stateDir, up: state.phase === 'up', profile: state.profile, phase: state.phase, nodes, fips: state.fips,
    faults: state.faults.map((f) => ({ name: f.name, subject: f.subject, check: f.check })),
  };
}
