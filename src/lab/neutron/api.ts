import { HaprobeError } from '../../errors';

/**
 * The lab's one long-lived OpenStack client (issue 16): Keystone v3 password auth once, then every
 * Neutron call through `neutronRequest` on the same keep-alive connection pool (Node's fetch), not
 * one CLI process per call. Small on purpose so the shared client of branch i14-cloud
 * (src/openstack/) can replace it behind the same interface.
 */
export interface NeutronApi {
  neutronRequest<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** the token's project id (admin project) */
  projectId: string;
}

export interface AuthOptions {
  authUrl: string;
  username: string;
  password: string;
  projectName: string;
  /** neutron endpoint; default: from the token's catalog */
  neutronUrl?: string;
  timeoutMs?: number;
}

interface TokenBody {
  token: { project?: { id: string }; catalog?: { type: string; endpoints: { interface: string; url: string }[] }[] };
}

async function call(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new HaprobeError('lab', `${init.method ?? 'GET'} ${url}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export async function openNeutronApi(o: AuthOptions): Promise<NeutronApi> {
  const timeoutMs = o.timeoutMs ?? 120_000;
  const body = {
    auth: {
      identity: { methods: ['password'], password: { user: { name: o.username, domain: { name: 'Default' }, password: o.password } } },
      scope: { project: { name: o.projectName, domain: { name: 'Default' } } },
    },
  };
  const res = await call(`${o.authUrl}/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, timeoutMs);
  if (res.status !== 201) throw new HaprobeError('lab', `keystone auth failed: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  const token = res.headers.get('x-subject-token') ?? '';
  const tb = (await res.json()) as TokenBody;
  const endpoint = o.neutronUrl ?? tb.token.catalog?.find((c) => c.type === 'network')?.endpoints.find((e) => e.interface === 'public')?.url;
  if (!endpoint) throw new HaprobeError('lab', 'no network endpoint in the keystone catalog');
  const base = endpoint.replace(/\/$/, '');
  return {
    projectId: tb.token.project?.id ?? '',
    async neutronRequest<T>(method: string, path: string, reqBody?: unknown): Promise<T> {
      const r = await call(`${base}/v2.0${path}`, {
        method,
        headers: { 'x-auth-token': token, 'content-type': 'application/json', accept: 'application/json' },
        body: reqBody === undefined ? undefined : JSON.stringify(reqBody),
      }, timeoutMs);
      const text = await r.text();
      if (r.status >= 300) throw new HaprobeError('lab', `neutron ${method} ${path}: HTTP ${r.status} ${text.slice(0, 300)}`);
      return (text ? JSON.parse(text) : {}) as T;
    },
  };
}
