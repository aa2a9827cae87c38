/** what `lab up --engine neutron` takes and gives, for the ML2/OVS (up.ts) and ML2/OVN (ovn-up.ts) labs alike */
export interface NeutronUpOptions {
  profile: string;
  stateDir?: string;
  /** one line per phase on stderr */
  progress?: (msg: string) => void;
  cleanupOnFailure?: boolean;
}

export interface NeutronUpResult {
  engine: 'neutron';
  profile: string;
  stateDir: string;
  inventory: string;
  facts: string;
  cloudsYaml: string;
  labJson: string;
  nodes: { name: string; address: string; roles: string[] }[];
  fip?: string;
  haPrimary?: string;
  timings: Record<string, number>;
  upMs: number;
}
