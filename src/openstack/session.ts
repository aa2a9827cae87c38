import { readFileSync } from 'node:fs';
import { ApiError } from './errors';
import { selectEndpoint } from './catalog';
import { buildAuthRequest, identityV3Url, readTokenResponse, type Token } from './keystone';
import { formatQuery, mergePageQuery, nextPageQuery, type Query } from './paginate';
import { redactSecrets } from './redact';
import { createAgents, sendHttp, type HttpAnswer, type HttpRequest, type TlsOptions } from './http';
import type { ApiResponse, CloudConfig, HttpMethod } from './types';

export interface SessionOptions {
  /** per-request budget, ms (default: the cloud's api_timeout, else 30 s) */
  timeoutMs?: number;
  /** debug lines (method, URL, status, time): secrets are redacted before this is called */
  debug?: (line: string) => void;
  /** retries of an idempotent request (GET/HEAD) answered 502/503/504; default 2 */
  retries?: number;
  /** first retry delay, ms (doubles each time); default 500 */
  retryDelayMs?: number;
  /** re-authenticate this long before expires_at, ms; default 60 s */
  expirySkewMs?: number;
  /** clock, for tests */
  now?: () => number;
  /** the HTTP exchange, for tests of pure logic; default sendHttp */
  send?: (req: HttpRequest) => Promise<HttpAnswer>;
}

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  /** statuses that are not an error (default: any 2xx) */
  accept?: number[];
  /** send to this base URL instead of the catalog endpoint (a service's version document at its root) */
  rootUrl?: string;
}

/**
 * An authenticated conversation with one cloud. request() is the generic call (GET/POST/PUT/
 * DELETE on a service by catalog type, path relative to the endpoint, e.g. '/v2.0/routers');
 * listAll() follows neutron's pagination links. A 401 re-authenticates once and repeats the
 * request; a token past its expires_at (minus the skew) is renewed before use.
 */
export interface ApiSession {
  readonly cloud: CloudConfig;
  request(service: string, method: HttpMethod, path: string, opts?: RequestOptions): Promise<ApiResponse>;
  listAll<T = Record<string, unknown>>(service: string, path: string, collection: string, query?: Query): Promise<T[]>;
  /** the endpoint URL the catalog gives for a service type (authenticates if needed) */
  endpoint(service: string): Promise<string>;
  /** how many times a token was obtained (1 = no re-authentication) */
  readonly authCount: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_PAGES = 100_000;

/** endpoint + path, without doubling a version segment the catalog URL already ends with */
export function joinEndpoint(base: string, path: string): string {
  const b = base.replace(/\/+$/, '');
  const p = path.startsWith('/') ? path : `/${path}`;
  const m = /^\/(v\d+(?:\.\d+)?)(\/.*)?$/.exec(p);
  if (m && b.endsWith(`/${m[1]}`)) return b + (m[2] ?? '');
  return b + p;
}

function readTls(cfg: CloudConfig): TlsOptions {
  const read = (file: string | undefined, what: string): Buffer | undefined => {
    if (!file) return undefined;
    try {
      return readFileSync(file);
    } catch (err) {
      throw new ApiError('config', `cannot read ${what} file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { where: `${cfg.sources.join(' + ')}: ${file}` });
    }
  };
  return { rejectUnauthorized: cfg.verify, ca: read(cfg.cacert, 'cacert'), cert: read(cfg.cert, 'cert'), key: read(cfg.key, 'key') };
}

/** the message an OpenStack error body carries (neutron NeutronError, keystone error, or text) */
export function errorBodyMessage(text: string): string {
  try {
    const j = JSON.parse(text) as Record<string, any>;
    const m = j?.NeutronError?.message ?? j?.error?.message ?? j?.message ?? j?.badRequest?.message ?? j?.itemNotFound?.message;
    if (typeof m === 'string') return m.slice(0, 300);
  } catch {
    /* not JSON */
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

function parseJson(text: string, label: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('response', 'answer is not JSON', { where: label });
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function createSession(cloud: CloudConfig, opts: SessionOptions = {}): ApiSession {
  const tls = readTls(cloud);
  const agents = createAgents(tls);
  const agentFor = (url: string): HttpRequest['agent'] => (url.startsWith('https:') ? agents.https : agents.http);
  const timeoutMs = opts.timeoutMs ?? cloud.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const send = opts.send ?? sendHttp;
  const now = opts.now ?? Date.now;
  const skew = opts.expirySkewMs ?? 60_000;
  const retries = opts.retries ?? 2;
  const retryDelay = opts.retryDelayMs ?? 500;
  const secrets = new Set<string | undefined>([cloud.auth.password, cloud.auth.applicationCredentialSecret]);
  const redact = (t: string): string => redactSecrets(t, secrets);
  const debug = (line: string): void => opts.debug?.(redact(line));
  const cloudWhere = `cloud ${cloud.name}`;
  let token: Token | undefined;
  let pending: Promise<Token> | undefined;
  let authCount = 0;

  async function exchange(req: HttpRequest): Promise<HttpAnswer> {
    const t0 = now();
    try {
      const ans = await send({ ...req, agent: agentFor(req.url) });
      debug(`${req.method} ${req.url} -> ${ans.status} in ${now() - t0} ms`);
      return ans;
    } catch (err) {
      debug(`${req.method} ${req.url} -> ${err instanceof ApiError ? err.reason : 'error'} in ${now() - t0} ms`);
      if (err instanceof ApiError) {
        throw new ApiError(err.reason, redact(err.message.replace(/^cloud API \w+: /, '')), { where: `${cloudWhere}: ${req.label}`, hint: err.hint, status: err.status });
      }
      throw err;
    }
  }

  async function authenticate(): Promise<Token> {
    const url = `${identityV3Url(cloud.auth.authUrl)}/auth/tokens`;
    const label = 'POST identity /v3/auth/tokens';
    const ans = await exchange({ method: 'POST', url, headers: {}, body: JSON.stringify(buildAuthRequest(cloud)), timeoutMs, tls, label });
    const where = `${cloudWhere}: ${label}`;
    if (ans.status === 401 || ans.status === 403) {
      throw new ApiError('auth', `Keystone refused the ${cloud.authType === 'password' ? 'password' : 'application credential'} (HTTP ${ans.status}: ${redact(errorBodyMessage(ans.text))})`, {
        where,
        status: ans.status,
        hint: 'check the credentials, domains and project in clouds.yaml / OS_* (secure.yaml is merged over clouds.yaml)',
      });
    }
    if (ans.status >= 500) throw new ApiError('server', `HTTP ${ans.status}: ${redact(errorBodyMessage(ans.text))}`, { where, status: ans.status });
    if (ans.status < 200 || ans.status > 299) throw new ApiError('http', `HTTP ${ans.status}: ${redact(errorBodyMessage(ans.text))}`, { where, status: ans.status });
    const subject = ans.headers['x-subject-token'];
    const read = readTokenResponse(Array.isArray(subject) ? subject[0] : subject, parseJson(ans.text, where), where);
    // expiry on the local clock: receipt time + lifetime (Keystone's clock may differ from ours)
    const t: Token = read.lifetimeMs !== undefined ? { ...read, expiresAt: now() + read.lifetimeMs } : read;
    secrets.add(t.value);
    authCount += 1;
    return t;
  }

  /** the current token, renewed when missing or about to expire; concurrent callers share one renewal */
  async function currentToken(force = false, stale?: Token): Promise<Token> {
    if (pending) return pending;
    const expired = token?.expiresAt !== undefined && now() >= token.expiresAt - skew;
    if (token && !expired && !(force && token === stale)) return token;
    pending = authenticate().finally(() => {
      pending = undefined;
    });
    token = await pending;
    return token;
  }

  async function endpoint(service: string): Promise<string> {
    const t = await currentToken();
    try {
      return selectEndpoint(t.catalog, { type: service, interface: cloud.interface, region: cloud.regionName });
    } catch (err) {
      if (err instanceof ApiError) throw new ApiError(err.reason, err.message.replace(/^cloud API \w+: /, ''), { where: cloudWhere, hint: err.hint });
      throw err;
    }
  }

  async function request(service: string, method: HttpMethod, path: string, ro: RequestOptions = {}): Promise<ApiResponse> {
    const base = ro.rootUrl ?? (await endpoint(service));
    const url = (path === '/' ? base.replace(/\/*$/, '/') : joinEndpoint(base, path)) + formatQuery(ro.query);
    const label = `${method} ${service} ${path}`;
    const where = `${cloudWhere}: ${label}`;
    const body = ro.body === undefined ? undefined : JSON.stringify(ro.body);
    const idempotent = method === 'GET' || method === 'HEAD';
    let reauthed = false;
    for (let attempt = 0; ; attempt++) {
      const t = await currentToken();
      const ans = await exchange({ method, url, headers: { 'X-Auth-Token': t.value }, body, timeoutMs, tls, label });
      if (ans.status === 401 && !reauthed) {
        // lp-style mid-run expiry or revocation: one fresh token, one more try
        reauthed = true;
        debug(`${label}: 401, re-authenticating once`);
        await currentToken(true, t);
        attempt -= 1;
        continue;
      }
      const ok = ro.accept ? ro.accept.includes(ans.status) : ans.status >= 200 && ans.status <= 299;
      if (ok) return { status: ans.status, headers: ans.headers, body: method === 'HEAD' ? undefined : parseJson(ans.text, where) };
      const msg = `HTTP ${ans.status}: ${redact(errorBodyMessage(ans.text))}`;
      if (ans.status === 401) throw new ApiError('auth', `${msg} (still refused after re-authenticating)`, { where, status: 401 });
      if (ans.status === 403) throw new ApiError('auth', msg, { where, status: 403, hint: 'the user lacks the role for this call (agents and L3 agent scheduling need admin)' });
      if (ans.status >= 500) {
        if (idempotent && [502, 503, 504].includes(ans.status) && attempt < retries) {
          debug(`${label}: ${ans.status}, retry ${attempt + 1}/${retries}`);
          await sleep(retryDelay * 2 ** attempt);
          continue;
        }
        throw new ApiError('server', `${msg}${idempotent && attempt > 0 ? ` (after ${attempt} retries)` : ''}`, { where, status: ans.status });
      }
      throw new ApiError('http', msg, { where, status: ans.status });
    }
  }

  async function listAll<T>(service: string, path: string, collection: string, query: Query = {}): Promise<T[]> {
    const out: T[] = [];
    const seen = new Set<string>();
    let q: Query = query;
    for (let page = 0; page < MAX_PAGES; page++) {
      const ans = await request(service, 'GET', path, { query: q });
      const items = (ans.body as Record<string, unknown> | undefined)?.[collection];
      if (!Array.isArray(items)) throw new ApiError('response', `answer has no "${collection}" list`, { where: `${cloudWhere}: GET ${service} ${path}` });
      out.push(...(items as T[]));
      const next = nextPageQuery(ans.body, collection);
      if (!next || items.length === 0) return out;
      const key = next.marker ?? JSON.stringify(next);
      if (seen.has(key)) throw new ApiError('response', `pagination loops (marker ${key} twice)`, { where: `${cloudWhere}: GET ${service} ${path}` });
      seen.add(key);
      q = mergePageQuery(query, next);
    }
    throw new ApiError('response', `more than ${MAX_PAGES} pages`, { where: `${cloudWhere}: GET ${service} ${path}` });
  }

  return {
    cloud,
    request,
    listAll,
    endpoint,
    get authCount() {
      return authCount;
    },
  };
}
