import { HaprobeError } from '../errors';
import { buildOvnSbGatewaysCommand, NO_SB_SOCKET } from './ovn-drill-commands';
import type { InventoryNode } from '../inventory/types';
import type { ExecResult, Transport } from '../transport/types';

/**
 * The nodes to read OVN's southbound database from, in the order `drill failover` and
 * `garp verify` try them until one answers: the central node first (roles controller/central),
 * then the others.
 */
export function centralCandidates(nodes: readonly InventoryNode[]): InventoryNode[] {
  const rank = (n: InventoryNode): number => ((n.roles as string[]).some((r) => r === 'controller' || r === 'central') ? 0 : 1);
  return [...nodes].sort((a, b) => rank(a) - rank(b));
}

/**
 * Why one candidate's southbound read gave nothing, when that matters: it could not be read
 * (transport, sudo, timeout) or it has the socket but ovn-sbctl failed. Undefined when it was read
 * and simply is not the central node (no socket: exit 3 with NO_SB_SOCKET), or it answered.
 */
export function sbReadProblem(r: { failure?: { reason: string; message: string }; exitCode: number | null; stderr: string } | Error): string | undefined {
  if (r instanceof Error) return r.message;
  if (r.failure) return `${r.failure.reason}: ${r.failure.message}`;
  if (r.exitCode === 0 || (r.exitCode === 3 && r.stderr.includes(NO_SB_SOCKET))) return undefined;
  return `ovn-sbctl failed: exit ${String(r.exitCode)}${r.stderr.trim() ? ` ${r.stderr.trim().split('\n').slice(-1)[0]}` : ''}`;
}

/**
 * The error when no candidate gave the southbound database: a node error (exit 3) naming the nodes
 * not read — the central node may be among them, or have the socket with ovn-sbctl failing — else
 * (every node read, none has the socket) an inventory error (exit 2).
 */
export function noSouthboundError(purpose: string, where: string, notRead: readonly string[]): HaprobeError {
  if (notRead.length > 0) {
    return new HaprobeError('node', `no inventory node gave the OVN southbound database (ovnsb_db.sock); not read: ${notRead.join(', ')}: ${purpose}`, {
      where, hint: 'check SSH and sudo on those nodes (haprobe doctor) and that ovn-sbctl answers there, then run again',
    });
  }
  return new HaprobeError('inventory', `no inventory node has the OVN southbound database socket (ovnsb_db.sock): ${purpose}`, { where, hint: 'add the OVN central node to the inventory' });
}

/**
 * The southbound database as `ovn-sbctl` lists gateways, claims and nat_addresses, from the first
 * candidate (centralCandidates) that answers with it; throws noSouthboundError when none does.
 * Read-only: one command per candidate, stopping at the first answer.
 */
export async function readSouthbound(
  nodes: readonly InventoryNode[],
  io: { transportOf: (node: string) => Transport; sudoOf: (node: string) => boolean | undefined },
  purpose: { why: string; where: string },
): Promise<{ central: string; sbText: string }> {
  const notRead: string[] = [];
  for (const n of centralCandidates(nodes)) {
    const r: ExecResult | Error = await io.transportOf(n.name)
      .exec(buildOvnSbGatewaysCommand(), { sudo: io.sudoOf(n.name), timeoutMs: 20_000 })
      .catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
    const problem = sbReadProblem(r);
    if (problem !== undefined) notRead.push(`${n.name} (${problem})`);
    if (!(r instanceof Error) && !r.failure && r.exitCode === 0 && r.stdout.trim() !== '') return { central: n.name, sbText: r.stdout };
  }
  throw noSouthboundError(purpose.why, purpose.where, notRead);
}
