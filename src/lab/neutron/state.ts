import * as fs from 'node:fs';
import { HaprobeError } from '../../errors';
import type { NeutronLabPaths } from './names';
import type { HostProcess } from './spawn';

/** lab.json of the real engine, rewritten after every step so `down` can undo a half-built lab */
export interface NeutronLabState {
  version: 1;
  engine: 'neutron';
  profile: string;
  stateDir: string;
  phase: 'building' | 'up' | 'failed' | 'down';
  startedAt: string;
  /** host processes (control plane), each in its own process group */
  control: HostProcess[];
  hostLinks: string[];
  netns: string[];
  nodes: Record<string, { name: string; kind: string; mgmtIp: string; dir: string; holderPid?: number; netnsInode?: number }>;
  /** ids the lab created through the API */
  resources: { extNetId?: string; tenantNetId?: string; tenantSubnetId?: string; routerId?: string; instancePortId?: string; fipId?: string; fip?: string };
  /** ML2/OVN lab (issue 11): instance ports and FIPs by instance name, the chassis that claimed cr-lrp at up */
  ovn?: { instances: Record<string, { portId: string; host: string; fipId?: string; fip?: string }>; crLrp?: string; crLrpChassis?: string; faults?: OvnFaultRecord[] };
  /** seconds each phase took (for the bench and docs) */
  timings: Record<string, number>;
  /** faults applied with `lab fault --engine neutron` and not healed yet (faults.ts) */
  faults?: NeutronFaultRecord[];
}

/** one applied real-engine fault: what was done, where, and what was observed while doing it */
export interface NeutronFaultRecord {
  name: string;
  node: string;
  subject: string;
  appliedAt: string;
  /** observations (e.g. whether the kill landed before the agent finished the update) and ids to undo */
  detail: Record<string, string | number | boolean>;
}

/** one applied ML2/OVN lab fault (ovn-faults.ts): what it names and what its heal undoes */
export interface OvnFaultRecord {
  name: string;
  node?: string;
  subject: string;
  check: string;
  appliedAt: string;
  undo: Record<string, string>;
}

export function writeNeutronState(p: NeutronLabPaths, s: NeutronLabState): void {
  const tmp = `${p.labJson}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(s, null, 2) + '\n');
  fs.renameSync(tmp, p.labJson);
}

export function readNeutronState(p: NeutronLabPaths): NeutronLabState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(p.labJson, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as NeutronLabState;
  } catch (err) {
    throw new HaprobeError('lab', 'lab.json is not valid JSON', { where: p.labJson, cause: err });
  }
}
