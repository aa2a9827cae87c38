import type { Transport } from '../transport/types';
import { roleOverWindow, routerGatewayOf, type HaWindowRole } from '../capture/backup-emissions';
import { readHaStates } from './read-ha-states';

/**
 * The HA state file of each (node, router) whose qg- `garp watch` captures, read before and
 * after the capture, so the judge knows which replicas were backups for the whole window
 * (§7 row 13: a backup's qg- must send nothing). I/O edge; the decision is roleOverWindow.
 */
export interface HaWatchPoint {
  node: string;
  transport: Transport;
  sudo?: boolean;
  routerId: string;
}

const key = (node: string, routerId: string): string => `${node}\u0000${routerId}`;

/** one point per (node, router) among capture points labelled "ns:qrouter-<id>:qg-…" */
export function haWatchPoints(sources: readonly { node: string; transport: Transport; sudo?: boolean; device: string }[]): HaWatchPoint[] {
  const seen = new Map<string, HaWatchPoint>();
  for (const s of sources) {
    const gw = routerGatewayOf(s.device);
    if (gw && !seen.has(key(s.node, gw.routerId))) seen.set(key(s.node, gw.routerId), { node: s.node, transport: s.transport, sudo: s.sudo, routerId: gw.routerId });
  }
  return [...seen.values()];
}

/** state word per (node, router); undefined when unreadable (never throws) */
export async function readStateWords(points: readonly HaWatchPoint[], statePath?: string): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  await Promise.all(
    points.map(async (p) => {
      const [s] = await readHaStates([{ node: p.node, transport: p.transport, sudo: p.sudo }], p.routerId, { statePath }).catch(() => [undefined]);
      out.set(key(p.node, p.routerId), s?.error ? undefined : s?.state);
    }),
  );
  return out;
}

/** the judge's view: role over the window from the two reads */
export function windowRoles(before: Map<string, string | undefined>, after: Map<string, string | undefined>): (node: string, routerId: string) => HaWindowRole {
  return (node, routerId) => roleOverWindow(before.get(key(node, routerId)), after.get(key(node, routerId)));
}
