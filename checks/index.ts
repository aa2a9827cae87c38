import type { Check } from '../src/engine/types';
import { check as namespacePlacement } from './namespace-placement';
import { check as deviceMac } from './device-mac';
import { check as fipPlacement } from './fip-placement';

/**
 * The check registry. One file per check under checks/, named after its id
 * (the registry test enforces it). Order = report order.
 */
export const CHECKS: readonly Check[] = [namespacePlacement, deviceMac, fipPlacement];

export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
