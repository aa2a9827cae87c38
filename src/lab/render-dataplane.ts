import { renderInstances, renderRouterOnNode, SCRIPT_PRELUDE } from './render-node';
import { renderExtrasOnNode } from './render-extras';
import type { LabPlan } from './types';

/**
 * Everything neutron/nova build on `host` for the current FIP associations: the router and
 * instances (render-node) and the --extras routers and ports (render-extras, which borrows
 * render-node's helpers — so the whole lives here, not in render-node, and no import runs back).
 */
export function renderNodeDataplane(plan: LabPlan, host: string, fips: Record<string, string>): string {
  return [SCRIPT_PRELUDE, ...renderRouterOnNode(plan, host, fips), ...renderInstances(plan, host), ...renderExtrasOnNode(plan, host)].join('\n') + '\n';
}
