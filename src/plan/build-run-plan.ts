import type { ResolvedProfile } from '../profile/types';
import type { Check } from '../engine/types';
import { planChecks, type CheckSelection } from './plan-checks';
import type { ExpectedStateSource, PlannedNodes, RunPlan } from './types';

export interface RunPlanInput extends CheckSelection {
  profile: ResolvedProfile;
  /** live runs: planNodes(inventory, flags); absent for `analyze` (nodes come from its sources) */
  nodes?: PlannedNodes;
  /** --facts / --cloud given */
  facts?: boolean;
  cloud?: boolean;
  /** the check registry (tests); checks/index.ts by default */
  registry?: readonly Check[];
}

/** The run plan of `run` and `analyze` (src/plan/types.ts): pure, every refusal a typed HaprobeError. */
export function buildRunPlan(input: RunPlanInput): RunPlan {
  const checks = planChecks(input.profile, { only: input.only, skip: input.skip }, input.registry);
  const expected: ExpectedStateSource = input.facts ? 'facts' : input.cloud ? 'cloud' : 'self-consistency';
  return { profile: input.profile, checks, ...(input.nodes ? { nodes: input.nodes } : {}), expected };
}

/** the registry checks of a plan, in report order (what the engine judges) */
export function checksOfPlan(plan: RunPlan): Check[] {
  return plan.checks.map((c) => c.check);
}
