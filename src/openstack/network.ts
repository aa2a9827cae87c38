import type { ApiSession, RequestOptions } from './session';
import type { ApiResponse, HttpMethod } from './types';
import type { Query } from './paginate';

/**
 * The network (neutron) service, for readers (facts) and writers (the lab engine creating
 * routers / networks / ports / floating IPs). Paths are neutron's, with the version:
 * networkRequest(s, 'POST', '/v2.0/routers', { router: { name: 'r1', ha: true } }).
 */
export const NETWORK_SERVICE = 'network';

export function networkRequest(session: ApiSession, method: HttpMethod, path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}): Promise<ApiResponse> {
  return session.request(NETWORK_SERVICE, method, path, { ...opts, ...(body !== undefined ? { body } : {}) });
}

/** every item of a neutron collection, following pagination: listNetwork(s, 'ports', { device_owner: … }) */
export function listNetwork<T = Record<string, unknown>>(session: ApiSession, collection: string, query: Query = {}, path = `/v2.0/${collection}`): Promise<T[]> {
  return session.listAll<T>(NETWORK_SERVICE, path, collection, query);
}
