import type { Inventory } from '../inventory/types';

/** the deployment tools `haprobe init` reads an inventory from */
export type InitSourceKind = 'kolla-ini' | 'ansible-ini' | 'osa-json' | 'tripleo-yaml' | 'ssh-config' | 'cloud';

/**
 * What `init` derived, before it is written: the inventory (already in haprobe's model, so it can
 * be rendered and re-validated by the loader) and, per node, where its roles came from, so the
 * operator can review the derivation. `notes` are lines for the review (skipped hosts, guesses).
 */
export interface InitDraft {
  kind: InitSourceKind;
  source: string;
  inventory: Inventory;
  /** node name → "network ← group neutron_l3_agent; compute ← group nova_compute" */
  why: Record<string, string>;
  notes: string[];
}
