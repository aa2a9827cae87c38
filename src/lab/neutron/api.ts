import { HaprobeError } from '../../errors';
import { createSession, isApiError, networkRequest, type CloudConfig, type HttpMethod } from '../../openstack';

/**
 * The lab's one long-lived OpenStack client (issue 16): one session of the shared client
 * (src/openstack, branch i14-cloud: Keystone v3 password auth once, the network endpoint from the
 * catalog, keep-alive agents, re-auth on 401), and every Neutron call through `neutronRequest` on
 * it — not one CLI process per call. The engine only depends on this small interface.
 */
export interface NeutronApi {
  neutronRequest<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

export interface AuthOptions {
  authUrl: string;
  username: string;
  password: string;
  projectName: string;
  timeoutMs?: number;
}

export function labCloudConfig(o: AuthOptions): CloudConfig {
  return {
    name: 'haprobe-lab', authType: 'password', interface: 'public', regionName: 'RegionOne', verify: true, timeoutMs: o.timeoutMs ?? 120_000,
    auth: { authUrl: o.authUrl, username: o.username, password: o.password, projectName: o.projectName, userDomainName: 'Default', projectDomainName: 'Default' },
    sources: ['haprobe lab engine'],
  };
}

export async function openNeutronApi(o: AuthOptions): Promise<NeutronApi> {
  const session = createSession(labCloudConfig(o), { retries: 2 });
  const api: NeutronApi = {
    async neutronRequest<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
      try {
        return ((await networkRequest(session, method, `/v2.0${path}`, body)).body ?? {}) as T;
      } catch (err) {
        if (isApiError(err)) throw new HaprobeError('lab', `neutron ${method} ${path}: ${err.message}`, { cause: err });
        throw err;
      }
    },
  };
  // authenticate now, so a wrong password or a missing endpoint fails here, once
  await api.neutronRequest('GET', '/networks?limit=1');
  return api;
}
