import type { PlanOptions } from './plan';
import type { LabVariant } from './types';

/** what `lab up` takes and gives, for the neutron labs (up.ts) and the nova-network labs (nova/up.ts) alike */
export interface LabUpOptions extends PlanOptions {
  profile: string;
  stateDir?: string;
  /** progress on stderr: listr2's animated renderer on a TTY, plain lines otherwise or under CI; 'silent' for none */
  renderer?: 'default' | 'simple' | 'silent';
  /** tear down what was built when up fails (default true) */
  cleanupOnFailure?: boolean;
}

export interface LabUpResult {
  profile: string;
  /** neutron release the lab renders (facts.json `release`) */
  release: string;
  variant: LabVariant;
  stateDir: string;
  inventory: string;
  facts: string;
  labJson: string;
  nodes: { name: string; address: string; roles: string[] }[];
  haPrimary?: string;
  upMs: number;
}
