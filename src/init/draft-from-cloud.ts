import { createSession, listNetwork, loadCloudConfig } from '../openstack';
import { draftFromAgents, type NeutronAgent } from './draft-from-agents';
import type { InitDraft } from './types';

/**
 * The edge of `init --cloud NAME`: clouds.yaml (or OS_* with no name) through the openstack client
 * (src/openstack), one paginated GET /v2.0/agents, then the pure mapping. Read-only.
 */
export async function draftFromCloud(cloud: string | undefined, opts: { env?: NodeJS.ProcessEnv; cwd?: string; home?: string } = {}): Promise<InitDraft> {
  const cfg = loadCloudConfig({ cloud, env: opts.env, cwd: opts.cwd, home: opts.home });
  const session = createSession(cfg);
  const agents = await listNetwork<NeutronAgent>(session, 'agents');
  return draftFromAgents(agents, `cloud ${cfg.name}`);
}
