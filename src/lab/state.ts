import * as fs from 'node:fs';
import { HaprobeError } from '../errors';
import type { LabPaths, LabState } from './types';

/** lab.json is rewritten after every step of `up`, so `down` can undo a half-built lab */
export function writeLabState(paths: LabPaths, state: LabState): void {
  const tmp = `${paths.labJson}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  fs.renameSync(tmp, paths.labJson);
}

export function readLabState(paths: LabPaths): LabState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(paths.labJson, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as LabState;
  } catch (err) {
    throw new HaprobeError('lab', 'lab.json is not valid JSON', { where: paths.labJson, cause: err,
      hint: 'run `haprobe lab down` (it falls back to the hp- name prefix)' });
  }
}

/** the state of a lab that must be up (fip, failover, fault commands) */
export function requireLabUp(paths: LabPaths): LabState {
  const state = readLabState(paths);
  if (!state || state.phase !== 'up') {
    throw new HaprobeError('lab', 'no lab is up in this state dir', { where: paths.stateDir, hint: 'run `haprobe lab up --profile ID` first' });
  }
  return state;
}
