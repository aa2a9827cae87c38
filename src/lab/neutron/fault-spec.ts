import type { NeutronApi } from './api';
import type { NeutronLabPaths } from './names';
import type { NeutronFaultRecord, NeutronLabState } from './state';

/**
 * What a real-engine fault handler gets and what it is (faults.ts holds the registry): apart so
 * that fault files of their own (faults-brtun.ts) share them without importing the registry that
 * imports them.
 */
export interface NeutronFaultCtx {
  api: NeutronApi;
  state: NeutronLabState;
  p: NeutronLabPaths;
  /** --node; default: the HA primary (by keepalived's state file), else the router's L3 agent host */
  node?: string;
}

export interface NeutronFaultSpec {
  name: string;
  description: string;
  /**
   * for a fault that reproduces a ground-truth §7 row (issue 12): the row, the bug references the
   * check's finding carries, the check that must catch it and the subject it names; listed by
   * `haprobe lab faults` with the hand-built lab's faults
   */
  bug?: { row: number; refs: string[]; how: 'mechanism' | 'symptom' };
  check?: string;
  subject?: string;
  /** what `lab heal` does for it */
  heal: string;
  apply(ctx: NeutronFaultCtx): Promise<NeutronFaultRecord>;
  undo(ctx: NeutronFaultCtx, rec: NeutronFaultRecord): Promise<void>;
}
