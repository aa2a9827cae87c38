import { ApiError } from './errors';
import type { CloudConfig } from './types';

/**
 * Keystone v3 token requests (POST /v3/auth/tokens), pure: the body to send and the reading of
 * the answer. The answer's X-Subject-Token header is the token; the body carries expires_at and
 * the service catalog (api-ref identity v3 "Password authentication with scoped authorization",
 * "Authenticating with an Application Credential").
 */

/** the Keystone v3 base: auth_url with or without a trailing /v3 */
export function identityV3Url(authUrl: string): string {
  const u = authUrl.replace(/\/+$/, '');
  if (/\/v3$/.test(u)) return u;
  if (/\/v2\.0$/.test(u)) return u.replace(/\/v2\.0$/, '/v3');
  return `${u}/v3`;
}

type Json = Record<string, unknown>;

function domainOf(name?: string, id?: string): Json | undefined {
  if (id) return { id };
  if (name) return { name };
  return undefined;
}

/** the JSON body of POST /v3/auth/tokens for this cloud (contains the secret: never log it) */
export function buildAuthRequest(cfg: CloudConfig): Json {
  const a = cfg.auth;
  if (cfg.authType === 'v3applicationcredential') {
    const cred: Json = { secret: a.applicationCredentialSecret };
    if (a.applicationCredentialId) cred.id = a.applicationCredentialId;
    else {
      cred.name = a.applicationCredentialName;
      const user: Json = a.userId ? { id: a.userId } : { name: a.username };
      const dom = domainOf(a.userDomainName, a.userDomainId);
      if (!a.userId && dom) user.domain = dom;
      cred.user = user;
    }
    // an application credential carries its own scope: no scope in the request
    return { auth: { identity: { methods: ['application_credential'], application_credential: cred } } };
  }
  const user: Json = a.userId ? { id: a.userId } : { name: a.username };
  const userDomain = domainOf(a.userDomainName, a.userDomainId);
  if (!a.userId && userDomain) user.domain = userDomain;
  user.password = a.password;
  const auth: Json = { identity: { methods: ['password'], password: { user } } };
  if (a.projectId) auth.scope = { project: { id: a.projectId } };
  else if (a.projectName) {
    const project: Json = { name: a.projectName };
    const pd = domainOf(a.projectDomainName, a.projectDomainId);
    if (pd) project.domain = pd;
    auth.scope = { project };
  } else if (a.domainId || a.domainName) auth.scope = { domain: domainOf(a.domainName, a.domainId) };
  return { auth };
}

export interface CatalogEndpoint {
  url: string;
  interface: string;
  region?: string;
  regionId?: string;
}
export interface CatalogService {
  type: string;
  name?: string;
  endpoints: CatalogEndpoint[];
}

export interface Token {
  /** the X-Subject-Token value (a secret) */
  value: string;
  /** ms since the epoch (Keystone's clock); undefined when Keystone gave no expires_at */
  expiresAt?: number;
  /** expires_at - issued_at, ms, when both are given */
  lifetimeMs?: number;
  catalog: CatalogService[];
}

const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** a token answer → Token; a catalog-less (unscoped) token is refused: haprobe needs endpoints */
export function readTokenResponse(subjectToken: string | undefined, body: unknown, where: string): Token {
  if (!subjectToken) throw new ApiError('auth', 'Keystone answered without an X-Subject-Token header', { where });
  const token = (body as Json | undefined)?.token as Json | undefined;
  if (!token || typeof token !== 'object') throw new ApiError('response', 'Keystone answer has no "token" object', { where });
  const rawCatalog = Array.isArray(token.catalog) ? (token.catalog as Json[]) : undefined;
  if (!rawCatalog || rawCatalog.length === 0) {
    throw new ApiError('auth', 'the token has no service catalog (unscoped?)', { where, hint: 'give a project (project_name + project_domain_name, or project_id) in clouds.yaml' });
  }
  const catalog: CatalogService[] = rawCatalog.map((s) => ({
    type: asString(s.type) ?? '',
    name: asString(s.name),
    endpoints: (Array.isArray(s.endpoints) ? (s.endpoints as Json[]) : []).map((e) => ({
      url: asString(e.url) ?? '',
      interface: asString(e.interface) ?? '',
      region: asString(e.region),
      regionId: asString(e.region_id),
    })),
  }));
  const exp = asString(token.expires_at);
  const expiresAt = exp ? Date.parse(exp) : NaN;
  const issuedAt = Date.parse(asString(token.issued_at) ?? '');
  // lifetime, when Keystone says when it issued the token: the expiry on OUR clock is then
  // receipt time + lifetime, so a client clock ahead of Keystone's does not re-authenticate forever
  const lifetimeMs = Number.isFinite(expiresAt) && Number.isFinite(issuedAt) && expiresAt > issuedAt ? expiresAt - issuedAt : undefined;
  return { value: subjectToken, catalog, ...(Number.isFinite(expiresAt) ? { expiresAt } : {}), ...(lifetimeMs !== undefined ? { lifetimeMs } : {}) };
}
