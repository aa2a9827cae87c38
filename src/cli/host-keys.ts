import type { Inventory } from '../inventory/types';
import type { RunResult } from '../report/result';

/**
 * `knownHosts: false` in an inventory turns host key checking off: anyone on the path can then
 * pose as a node and receive haprobe's root commands. Allowed (labs, first contact), but never
 * silently (issue 8): a warning on stderr, and the run file says so.
 */
export function warnIfHostKeysUnchecked(inventory: Inventory, warn: (text: string) => void): void {
  if (inventory.knownHosts !== false) return;
  warn(`haprobe: warning: ${inventory.source}: knownHosts: false, host keys are NOT checked (a man in the middle would not be noticed)\n`);
}

/** RunResult.inventory.hostKeysChecked: false when the inventory said `knownHosts: false` */
export function recordHostKeyPolicy(result: RunResult, inventory: Inventory): void {
  result.inventory.hostKeysChecked = inventory.knownHosts !== false;
}
