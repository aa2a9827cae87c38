/**
 * A cloud as haprobe uses it: the resolved clouds.yaml entry / OS_* variables.
 * Secrets live only in `auth` and in the session; nothing here is ever printed unredacted.
 */
export type AuthType = 'password' | 'v3applicationcredential';
export type EndpointInterface = 'public' | 'internal' | 'admin';

export interface CloudAuth {
  /** Keystone URL, with or without /v3 */
  authUrl: string;
  username?: string;
  userId?: string;
  password?: string;
  userDomainName?: string;
  userDomainId?: string;
  projectName?: string;
  projectId?: string;
  projectDomainName?: string;
  projectDomainId?: string;
  /** domain scope (no project) */
  domainName?: string;
  domainId?: string;
  applicationCredentialId?: string;
  applicationCredentialName?: string;
  applicationCredentialSecret?: string;
}

export interface CloudConfig {
  /** the clouds.yaml key, or "envvars" for OS_* only */
  name: string;
  authType: AuthType;
  auth: CloudAuth;
  regionName?: string;
  /** endpoint interface, default public */
  interface: EndpointInterface;
  /** PEM CA bundle file (clouds.yaml cacert / OS_CACERT) */
  cacert?: string;
  /** false = do not verify the server certificate (clouds.yaml verify: false / OS_INSECURE) */
  verify: boolean;
  /** client certificate and key files (clouds.yaml cert / key) */
  cert?: string;
  key?: string;
  /** per-request budget, ms (clouds.yaml api_timeout is in seconds) */
  timeoutMs?: number;
  /** which files the entry came from, for messages */
  sources: string[];
}

/** one HTTP answer, body parsed as JSON when it is JSON */
export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';
