import type { InventoryNode } from './types';
import { isExternalJump, parseExternalJump } from './jump-spec';

export interface JumpProblem {
  /** index of the node in the inventory's node list */
  index: number;
  message: string;
}

/**
 * Jumps must resolve (to a node, or a well-formed user@host[:port]) and must not loop:
 * a cycle would make connect() recurse forever.
 */
export function checkJumps(nodes: InventoryNode[]): JumpProblem | undefined {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const [index, node] of nodes.entries()) {
    if (node.jump === undefined) continue;
    if (isExternalJump(node.jump)) {
      if (!parseExternalJump(node.jump)) {
        return { index, message: `node ${node.name}: malformed jump '${node.jump}' (expected user@host[:port])` };
      }
    } else if (!byName.has(node.jump)) {
      return {
        index,
        message: `node ${node.name}: jump '${node.jump}' is not a node of this inventory (use user@host[:port] for an outside bastion)`,
      };
    }
  }
  for (const [index, node] of nodes.entries()) {
    const chain = [node.name];
    let cur: InventoryNode | undefined = node;
    while (cur?.jump !== undefined && !isExternalJump(cur.jump)) {
      const next: string = cur.jump;
      if (chain.includes(next)) {
        return { index, message: `node ${node.name}: jump cycle ${[...chain, next].join(' → ')}` };
      }
      chain.push(next);
      cur = byName.get(next);
    }
  }
  return undefined;
}
