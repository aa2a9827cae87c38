import type { Check } from '../engine/types';
import type { InventoryNode } from '../inventory/types';
import type { ShardSpec } from '../inventory/shard';
import type { ResolvedProfile } from '../profile/types';

/** One check of a run, with the params it is judged with (the profile's, validated when it was loaded). */
export interface PlannedCheck {
  check: Check;
  /** profile params + haMode/release/roles + the check's own (load-profile.ts resolve); {} for a check the profile does not list (`--check X`) */
  params: Record<string, unknown>;
  /** false: the check runs only because `--check` named it */
  fromProfile: boolean;
}

/** The nodes a live run reads: the selection (--node/--role) and the shard of it (--shard). */
export interface PlannedNodes {
  /** every node --node/--role picked (a shard's run file records their count and positions) */
  selected: InventoryNode[];
  /** the nodes this run contacts: `selected`, or the shard of it */
  nodes: InventoryNode[];
  shard?: ShardSpec;
}

/** Where the expected state comes from (DESIGN.md: facts are optional, self-consistency otherwise). */
export type ExpectedStateSource = 'facts' | 'cloud' | 'self-consistency';

/**
 * What a run will do, decided before anything is read: the profile, the checks (in report
 * order, each with its params), the nodes (live runs only; `analyze` takes its nodes from the
 * sources) and where the expected state comes from. Built by buildRunPlan; pure data.
 */
export interface RunPlan {
  profile: ResolvedProfile;
  checks: PlannedCheck[];
  nodes?: PlannedNodes;
  expected: ExpectedStateSource;
}
