import type { CheckContext } from '../../src/engine/types';
import type { HaMode } from '../../src/model/facts';
import { observeRouters, type ObservedRouter } from '../../src/intent/observe-routers';

const MODES: HaMode[] = ['legacy', 'ha', 'dvr', 'dvr-ha'];

/** the profile's HA mode (params.haMode, set from the profile's `haMode`) */
export function profileMode(params: Record<string, unknown>): HaMode | undefined {
  const m = params['haMode'];
  return typeof m === 'string' && (MODES as string[]).includes(m) ? (m as HaMode) : undefined;
}

/** routers observed in the snapshot, with the profile mode as fallback (self-consistency) */
export function observed(ctx: CheckContext): ObservedRouter[] {
  return observeRouters(ctx.snapshot, profileMode(ctx.params));
}

/** mode of one router: facts first, then what the data plane looks like, then the profile */
export function routerMode(ctx: CheckContext, routerId: string, obs?: ObservedRouter[]): HaMode {
  const fr = ctx.facts?.routers.find((r) => r.id === routerId);
  if (fr) return fr.mode;
  const o = (obs ?? observed(ctx)).find((r) => r.id === routerId);
  return o?.mode ?? profileMode(ctx.params) ?? 'legacy';
}

export const isHaMode = (m: HaMode): boolean => m === 'ha' || m === 'dvr-ha';
export const isDvrMode = (m: HaMode): boolean => m === 'dvr' || m === 'dvr-ha';

/** boolean param with default */
export function boolParam(params: Record<string, unknown>, name: string, dflt: boolean): boolean {
  const v = params[name];
  return typeof v === 'boolean' ? v : dflt;
}

export function numParam(params: Record<string, unknown>, name: string, dflt: number): number {
  const v = params[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : dflt;
}
