import { HaprobeError } from '../errors';
import type { Role } from '../model/types';
import type { Inventory, InventoryNode } from './types';

export interface NodeSelection {
  /** node names; unknown names are an error (a typo must not shrink the run silently) */
  names?: string[];
  /** keep nodes having at least one of these roles */
  roles?: Role[];
}

/** Nodes matching names AND roles (each filter applies only when given). Empty result = error. */
export function selectNodes(inv: Inventory, sel: NodeSelection = {}): InventoryNode[] {
  const known = new Set(inv.nodes.map((n) => n.name));
  const unknown = (sel.names ?? []).filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new HaprobeError('inventory', `unknown node${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`, {
      where: inv.source,
      hint: `nodes in the inventory: ${[...known].join(', ')}`,
    });
  }
  const names = sel.names && sel.names.length > 0 ? new Set(sel.names) : undefined;
  const roles = sel.roles && sel.roles.length > 0 ? sel.roles : undefined;
  const picked = inv.nodes.filter(
    (n) => (!names || names.has(n.name)) && (!roles || n.roles.some((r) => roles.includes(r))),
  );
  if (picked.length === 0) {
    const what = [names ? `names ${[...names].join(',')}` : '', roles ? `roles ${roles.join(',')}` : '']
      .filter(Boolean)
      .join(' and ');
    throw new HaprobeError('inventory', `no node selected${what ? ` by ${what}` : ''}`, { where: inv.source });
  }
  return picked;
}
