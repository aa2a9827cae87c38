import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LabPaths, LabPlan } from './types';

/** node → content of /var/lib/neutron/ha_confs/<router>/state ("primary"/"master" | "backup"), read host-side */
export function readHaStates(plan: LabPlan, paths: LabPaths): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const h of plan.router.haHosts) {
    try {
      out[h] = fs.readFileSync(path.join(paths.nodeDir(h), 'neutron', 'ha_confs', plan.router.id, 'state'), 'utf8').trim();
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
  const primaries = Object.entries(readHaStates(plan, paths)).filter(([, s]) => isPrimaryWord(s)).map(([h]) => h);
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
