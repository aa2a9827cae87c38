import { renderInstances, renderPortSecurityFlows, renderRouterOnNode, SCRIPT_PRELUDE } from './render-node';
import { renderSecondNic, renderSecondRouter } from './multinic';
import { renderExtrasOnNode } from './render-extras';
import type { LabPlan } from './types';

/**
 * Everything neutron/nova build on `host` for the current FIP associations: the router and
 * instances (render-node) and the --extras routers and ports (render-extras, which borrows
 * render-node's helpers — so the whole lives here, not in render-node, and no import runs back).
 */
export function renderNodeDataplane(plan: LabPlan, host: string, fips: Record<string, string>): string {
  const mn = plan.multiNic;
  const multiNic = !mn ? [] : [
    ...(mn.paths[1].host === host ? renderSecondRouter(plan, mn, host) : []),
    ...(mn.host === host ? renderSecondNic(plan, mn, (i) => renderPortSecurityFlows(plan, i)) : []),
  ];
  return [SCRIPT_PRELUDE, ...renderRouterOnNode(plan, host, fips), ...renderInstances(plan, host), ...renderExtrasOnNode(plan, host), ...multiNic].join('\n') + '\n';
}
