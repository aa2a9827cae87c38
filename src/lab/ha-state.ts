import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LabPaths, LabPlan } from './types';

/** node → content of /var/lib/neutron/ha_confs/<router>/state ("primary"/"master" | "backup"), read host-side */
export function readHaStates(plan: LabPlan, paths: LabPaths): Record<string, string | undefined> {
  return readRouterStates(plan.router.id, plan.router.haHosts, paths);
}

/** same for any HA router of the lab (the --extras router too) */
export function readRouterStates(routerId: string, hosts: string[], paths: LabPaths): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const h of hosts) {
    try {
      out[h] = fs.readFileSync(path.join(paths.nodeDir(h), 'neutron', 'ha_confs', routerId, 'state'), 'utf8').trim();
    } catch {
      out[h] = undefined;
    }
  }
  return out;
}

/** a state file word meaning primary: `primary` (Victoria+) or `master` (Kilo–Ussuri, Juno's notify scripts) */
export function isPrimaryWord(s: string | undefined): boolean {
  return s === 'primary' || s === 'master';
}

/** the one primary, or undefined when there is none or more than one */
export function haPrimaryOf(plan: LabPlan, paths: LabPaths): string | undefined {
  return singlePrimary(readHaStates(plan, paths));
}

/** the --extras HA router's one primary */
export function extraPrimaryOf(plan: LabPlan, paths: LabPaths): string | undefined {
  const r2 = plan.extras?.router;
  return r2 ? singlePrimary(readRouterStates(r2.id, r2.hosts, paths)) : undefined;
}

function singlePrimary(states: Record<string, string | undefined>): string | undefined {
  const primaries = Object.entries(states).filter(([, s]) => isPrimaryWord(s)).map(([h]) => h);
  return primaries.length === 1 ? primaries[0] : undefined;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** poll until `pred` holds or the deadline passes; returns whether it held */
export async function waitFor(pred: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 200): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await pred()) return true;
    if (Date.now() > end) return false;
    await sleep(stepMs);
  }
}
