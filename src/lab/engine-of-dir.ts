import * as fs from 'node:fs';
import * as path from 'node:path';
import { HaprobeError } from '../errors';

/**
 * Which engine built the lab in a state dir: the real engine writes `engine: "neutron"` into
 * lab.json from its first step and keeps its control plane under control/; the hand-built engine's
 * lab.json has no engine. Undefined when neither tells (no lab.json, no control/).
 */
export function labEngineOf(stateDir: string): 'neutron' | 'hand' | undefined {
  try {
    const engine = (JSON.parse(fs.readFileSync(path.join(stateDir, 'lab.json'), 'utf8')) as { engine?: unknown }).engine;
    return engine === 'neutron' ? 'neutron' : 'hand';
  } catch {
    return fs.existsSync(path.join(stateDir, 'control')) ? 'neutron' : undefined;
  }
}

/**
 * `down` of one engine on the other engine's lab would undo half of it (its nodes) and remove the
 * state dir that the rest (the real engine's control plane) is found by: refused, naming the right call.
 */
export function refuseOtherEngine(stateDir: string, engine: 'neutron' | 'hand'): void {
  const found = labEngineOf(stateDir);
  if (found === undefined || found === engine) return;
  throw new HaprobeError('usage', `${stateDir} holds a lab of the ${found === 'neutron' ? 'real (neutron)' : 'hand-built'} engine: nothing taken down`, {
    where: '--state-dir', hint: `haprobe lab down --engine ${found} --state-dir ${stateDir}`,
  });
}
