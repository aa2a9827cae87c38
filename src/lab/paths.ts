import * as path from 'node:path';
import type { LabPaths } from './types';

export const DEFAULT_LAB_DIR = '/var/tmp/haprobe-lab';

/** --state-dir, else $HAPROBE_LAB_DIR, else /var/tmp/haprobe-lab */
export function resolveStateDir(flag?: string): string {
  return path.resolve(flag ?? process.env.HAPROBE_LAB_DIR ?? DEFAULT_LAB_DIR);
}

export function labPaths(stateDir: string): LabPaths {
  return {
    stateDir,
    labJson: path.join(stateDir, 'lab.json'),
    inventory: path.join(stateDir, 'inventory.yaml'),
    facts: path.join(stateDir, 'facts.json'),
    knownHosts: path.join(stateDir, 'known_hosts'),
    key: path.join(stateDir, 'id_ed25519'),
    authorizedKeys: path.join(stateDir, 'authorized_keys'),
    nodeDir: (node: string) => path.join(stateDir, 'nodes', node),
  };
}
