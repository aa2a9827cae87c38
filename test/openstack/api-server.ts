import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

/**
 * A recorded-API server for tests: Keystone's token call and neutron's list / show / create /
 * delete calls, over real HTTP or HTTPS, answering with the API reference's own bodies
 * (test/fixtures/openstack-api, see SOURCE) or with a cloud the test builds from them.
 * Faults: a token that stops working after N network calls (mid-run expiry), 5xx answers for
 * matching requests, pagination (neutron's pagination_max_limit behaviour: `<coll>_links` next).
 */

export const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'openstack-api');

export function readFixture(rel: string): any {
  return JSON.parse(readFileSync(path.join(FIXTURES, rel), 'utf8'));
}

/** neutron collections the server holds, keyed by collection name (routers, ports, …) */
export type CloudData = {
  /** collection name (routers, ports, …) → its items */
  [collection: string]: any;
  /** router id → L3 agents hosting it (GET /v2.0/routers/{id}/l3-agents) */
  l3AgentsByRouter?: Record<string, Record<string, unknown>[]>;
  /** nova's version document, served at the compute root (GET /) */
  computeVersions?: Record<string, unknown>[];
};

export interface Credentials {
  username?: string;
  userId?: string;
  password?: string;
  appCredId?: string;
  appCredSecret?: string;
}

export interface ServerOptions {
  tls?: { key: string | Buffer; cert: string | Buffer };
  cloud: CloudData;
  credentials: Credentials;
  /** page size neutron enforces (pagination_max_limit); undefined = no pagination */
  pageSize?: number;
  /** a token stops working (401) after this many network calls */
  tokenUses?: number;
  /** token lifetime written in expires_at, ms (default 1 h) */
  tokenTtlMs?: number;
  /** keystone sample used as the token body */
  tokenBody?: string;
}

export interface Fault {
  /** matched against "METHOD /path" (path without the query) */
  match: RegExp;
  status: number;
  /** how many answers to spoil (default: all) */
  times?: number;
  /** delay the answer by this long instead of failing (status ignored) */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  hadToken: boolean;
  status: number;
}

export interface ApiServer {
  /** base URL, e.g. https://127.0.0.1:PORT */
  url: string;
  /** auth_url for clouds.yaml */
  authUrl: string;
  requests: RecordedRequest[];
  faults: Fault[];
  /** token values issued so far (to check they never leak) */
  issuedTokens: string[];
  authBodies: unknown[];
  cloud: CloudData;
  close(): Promise<void>;
}

const NETWORK_PREFIX = '/port9696';

/** the keystone sample's catalog, its URLs moved onto this server (network → /port9696, identity → /identity) */
function rewriteCatalog(body: any, base: string): any {
  const copy = JSON.parse(JSON.stringify(body));
  for (const svc of copy.token.catalog ?? []) {
    for (const ep of svc.endpoints ?? []) {
      if (svc.type === 'network') ep.url = ep.url.replace(/^http:\/\/[^/]+:9696/, base + NETWORK_PREFIX);
      else ep.url = ep.url.replace(/^http:\/\/[^/]+/, base);
    }
  }
  // the application credential sample has no network service: give it the same one
  if (!copy.token.catalog.some((s: any) => s.type === 'network')) {
    copy.token.catalog.push({
      type: 'network',
      name: 'neutron',
      id: 'f0e1d2c3b4a5968778695a4b3c2d1e0f',
      endpoints: ['public', 'internal', 'admin'].map((i) => ({ region_id: 'RegionOne', region: 'RegionOne', interface: i, url: `${base}${NETWORK_PREFIX}/`, id: `${i}-network` })),
    });
  }
  return copy;
}

function credentialsOk(body: any, c: Credentials): boolean {
  const id = body?.auth?.identity;
  if (id?.methods?.[0] === 'password') {
    const u = id.password?.user;
    return u?.password === c.password && (u?.name === c.username || u?.id === c.userId);
  }
  if (id?.methods?.[0] === 'application_credential') {
    const a = id.application_credential;
    return a?.id === c.appCredId && a?.secret === c.appCredSecret;
  }
  return false;
}

export async function startApiServer(opts: ServerOptions): Promise<ApiServer> {
  const tokens = new Map<string, { uses: number }>();
  const state = {
    requests: [] as RecordedRequest[],
    faults: [] as Fault[],
    issuedTokens: [] as string[],
    authBodies: [] as unknown[],
  };
  let base = '';

  const send = (res: http.ServerResponse, rec: RecordedRequest, status: number, body?: unknown, headers: Record<string, string> = {}): void => {
    rec.status = status;
    state.requests.push(rec);
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(text);
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks).toString('utf8')));
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, text: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const token = req.headers['x-auth-token'];
    const rec: RecordedRequest = { method, path: url.pathname, query: url.search, hadToken: typeof token === 'string', status: 0 };
    const key = `${method} ${url.pathname}`;
    const fault = state.faults.find((f) => f.match.test(key) && (f.times === undefined || f.times > 0));
    if (fault) {
      if (fault.times !== undefined) fault.times -= 1;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      else return send(res, rec, fault.status, { NeutronError: { type: 'ServiceUnavailable', message: 'The server is currently unavailable.', detail: '' } });
    }
    if (method === 'POST' && url.pathname === '/identity/v3/auth/tokens') {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, rec, 400, { error: { code: 400, message: 'Malformed request', title: 'Bad Request' } });
      }
      state.authBodies.push(body);
      if (!credentialsOk(body, opts.credentials)) {
        return send(res, rec, 401, { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } });
      }
      const value = `gAAAAA${randomUUID().replace(/-/g, '')}`;
      tokens.set(value, { uses: 0 });
      state.issuedTokens.push(value);
      const tb = rewriteCatalog(readFixture(opts.tokenBody ?? 'keystone/auth-password-project-scoped-response.json'), base);
      tb.token.issued_at = new Date().toISOString();
      tb.token.expires_at = new Date(Date.now() + (opts.tokenTtlMs ?? 3_600_000)).toISOString();
      return send(res, rec, 201, tb, { 'X-Subject-Token': value });
    }
    if (method === 'GET' && url.pathname === '/' && opts.cloud.computeVersions) return send(res, rec, 200, { versions: opts.cloud.computeVersions });
    if (!url.pathname.startsWith(`${NETWORK_PREFIX}/`)) return send(res, rec, 404, { error: { message: 'not found' } });
    const t = typeof token === 'string' ? tokens.get(token) : undefined;
    if (!t || (opts.tokenUses !== undefined && t.uses >= opts.tokenUses)) {
      return send(res, rec, 401, { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } });
    }
    t.uses += 1;
    const p = url.pathname.slice(NETWORK_PREFIX.length);
    const m = /^\/v2\.0\/([a-z_-]+)(?:\/([^/]+))?(?:\/(l3-agents))?$/.exec(p);
    if (!m) return send(res, rec, 404, { NeutronError: { type: 'HTTPNotFound', message: `The resource could not be found: ${p}`, detail: '' } });
    const [, collection, id, sub] = m;
    const list = (opts.cloud[collection] ??= []) as Record<string, unknown>[];
    const single = collection.replace(/ies$/, 'y').replace(/s$/, '');
    if (sub === 'l3-agents' && method === 'GET') return send(res, rec, 200, { agents: opts.cloud.l3AgentsByRouter?.[id] ?? [] });
    if (method === 'GET' && id) {
      const item = list.find((x) => x.id === id);
      return item ? send(res, rec, 200, { [single]: item }) : send(res, rec, 404, { NeutronError: { type: `${single}NotFound`, message: `${single} ${id} could not be found.`, detail: '' } });
    }
    if (method === 'GET') {
      const filters = [...url.searchParams.entries()].filter(([k]) => !['limit', 'marker', 'page_reverse', 'fields'].includes(k));
      let items = list.filter((x) => filters.every(([k, v]) => String(x[k]) === v));
      const limit = Math.min(Number(url.searchParams.get('limit') ?? Infinity), opts.pageSize ?? Infinity);
      if (!Number.isFinite(limit)) return send(res, rec, 200, { [collection]: items });
      const marker = url.searchParams.get('marker');
      if (marker) items = items.slice(items.findIndex((x) => x.id === marker) + 1);
      const page = items.slice(0, limit);
      const links: { rel: string; href: string }[] = [];
      if (items.length > limit) {
        const q = new URLSearchParams(url.searchParams);
        q.set('limit', String(limit));
        q.set('marker', String(page[page.length - 1].id));
        // neutron behind a proxy writes its own internal host name into the link
        links.push({ rel: 'next', href: `http://neutron-internal.invalid:9696${p}?${q.toString()}` });
      }
      return send(res, rec, 200, { [collection]: page, ...(links.length ? { [`${collection}_links`]: links } : {}) });
    }
    if (method === 'POST' && !id) {
      const body = JSON.parse(text || '{}')[single] ?? {};
      const item = { id: randomUUID(), ...body };
      list.push(item);
      return send(res, rec, 201, { [single]: item });
    }
    if (method === 'PUT' && id) {
      const item = list.find((x) => x.id === id);
      if (!item) return send(res, rec, 404, { NeutronError: { type: `${single}NotFound`, message: `${single} ${id} could not be found.`, detail: '' } });
      Object.assign(item, JSON.parse(text || '{}')[single] ?? {});
      return send(res, rec, 200, { [single]: item });
    }
    if (method === 'DELETE' && id) {
      const i = list.findIndex((x) => x.id === id);
      if (i < 0) return send(res, rec, 404, { NeutronError: { type: `${single}NotFound`, message: `${single} ${id} could not be found.`, detail: '' } });
      list.splice(i, 1);
      return send(res, rec, 204);
    }
    return send(res, rec, 405, { NeutronError: { type: 'HTTPMethodNotAllowed', message: 'not allowed', detail: '' } });
  }

  const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  base = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url: base,
    authUrl: `${base}/identity`,
    ...state,
    get requests() {
      return state.requests;
    },
    get faults() {
      return state.faults;
    },
    cloud: opts.cloud,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
