export type * from './types';
export { buildRunPlan, checksOfPlan, type RunPlanInput } from './build-run-plan';
export { planChecks, selectCheckIds, checksByIds, type CheckSelection } from './plan-checks';
export { planNodes, type NodeFlags } from './plan-nodes';
