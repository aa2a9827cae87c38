import type { Role } from '../model/types';

/** Roles an inventory may give a node (model Role; gateway = upstream router read-only). */
export const INVENTORY_ROLES: readonly Role[] = ['controller', 'network', 'compute', 'gateway'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (INVENTORY_ROLES as readonly string[]).includes(value);
}
