import type { ApiBodies, Json } from './api-bodies';
import { ApiError } from './errors';
import { listNetwork, networkRequest } from './network';
import type { ApiSession } from './session';

export interface ReadApiOptions {
  /** L3-agent lookups in flight at once (one GET per router); default 8 */
  concurrency?: number;
  /** progress lines (no secrets) */
  onProgress?: (line: string) => void;
}

/** run fn over items, at most n at once, results in order */
async function mapLimited<T, R>(items: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/**
 * Read what buildFactsFromApi needs (the edge; read-only: GETs only). Lists are followed
 * through their pagination. Admin-only reads (agents, L3 agents per router) answered 403 are
 * recorded in `unread` and the facts go on without them (their checks then skip); every other
 * failure is an ApiError for the caller.
 */
export async function readApiBodies(session: ApiSession, opts: ReadApiOptions = {}): Promise<ApiBodies> {
  const unread: string[] = [];
  const progress = opts.onProgress ?? ((): void => undefined);
  const [routers, ports, floatingips, networks, subnets] = await Promise.all(
    ['routers', 'ports', 'floatingips', 'networks', 'subnets'].map((c) => listNetwork<Json>(session, c)),
  );
  progress(`read ${routers.length} routers, ${ports.length} ports, ${floatingips.length} floating IPs, ${networks.length} networks, ${subnets.length} subnets`);
  let agents: Json[] | undefined;
  try {
    agents = await listNetwork<Json>(session, 'agents');
  } catch (err) {
    if (!(err instanceof ApiError && (err.status === 403 || err.status === 404))) throw err;
    unread.push(`agents (HTTP ${err.status}: listing agents needs the admin role)`);
  }
  const l3AgentsByRouter: Record<string, Json[]> = {};
  let refused: number | undefined;
  await mapLimited(routers, opts.concurrency ?? 8, async (r) => {
    const id = typeof r.id === 'string' ? r.id : undefined;
    if (!id || refused !== undefined) return;
    try {
      const ans = await networkRequest(session, 'GET', `/v2.0/routers/${encodeURIComponent(id)}/l3-agents`);
      const list = (ans.body as Json | undefined)?.agents;
      l3AgentsByRouter[id] = Array.isArray(list) ? (list as Json[]) : [];
    } catch (err) {
      if (!(err instanceof ApiError && (err.status === 403 || err.status === 404))) throw err;
      refused = err.status;
    }
  });
  if (refused !== undefined) unread.push(`L3 agents hosting each router (HTTP ${refused}: needs the admin role and the l3_agent_scheduler extension)`);
  progress(`read the L3 agents of ${Object.keys(l3AgentsByRouter).length} routers`);
  let computeVersions: Json[] | undefined;
  try {
    const base = await session.endpoint('compute');
    // the version document lives at the root of the compute service, above /v2.1[/<project>]
    const root = base.replace(/\/v2(\.1)?(\/[^/]*)?\/?$/, '');
    const ans = await session.request('compute', 'GET', '/', { accept: [200, 300], rootUrl: root });
    const v = (ans.body as Json | undefined)?.versions;
    if (Array.isArray(v)) computeVersions = v as Json[];
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    unread.push(`compute API version (${err.reason}: ${err.message.replace(/^cloud API \w+: /, '')}), so the release`);
  }
  return { routers, ports, floatingips, networks, subnets, ...(agents ? { agents } : {}), l3AgentsByRouter, ...(computeVersions ? { computeVersions } : {}), unread };
}
