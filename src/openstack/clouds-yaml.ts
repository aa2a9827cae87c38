import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfigYaml } from '../model/parse-config-yaml';
import { ApiError } from './errors';
import type { AuthType, CloudAuth, CloudConfig, EndpointInterface } from './types';

/**
 * clouds.yaml lookup as openstacksdk / python-openstackclient do it: the FIRST file found wins
 * (they are not merged with each other), then secure.yaml (found the same way) is deep-merged
 * over it, so passwords can live apart. Order: $OS_CLIENT_CONFIG_FILE, ./clouds.yaml,
 * ~/.config/openstack/clouds.yaml, /etc/openstack/clouds.yaml (each also as .yml).
 */
export function cloudsFileCandidates(env: NodeJS.ProcessEnv, cwd: string, home: string, base: 'clouds' | 'secure'): string[] {
  const override = base === 'clouds' ? env.OS_CLIENT_CONFIG_FILE : env.OS_CLIENT_SECURE_FILE;
  const dirs = [cwd, path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'openstack'), '/etc/openstack'];
  const files = dirs.flatMap((d) => [path.join(d, `${base}.yaml`), path.join(d, `${base}.yml`)]);
  return override ? [override, ...files] : files;
}

type Doc = Record<string, unknown>;

const isMap = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** secure.yaml over clouds.yaml: maps merge key by key, anything else is replaced */
export function mergeDeep(base: Doc, over: Doc): Doc {
  const out: Doc = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isMap(v) && isMap(out[k]) ? mergeDeep(out[k] as Doc, v) : v;
  return out;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const truthy = (v: unknown): boolean => v === true || (typeof v === 'string' && /^(1|true|yes|on)$/i.test(v));
const falsy = (v: unknown): boolean => v === false || (typeof v === 'string' && /^(0|false|no|off)$/i.test(v));

function toAuthType(raw: string | undefined, auth: CloudAuth, where: string): AuthType {
  const t = (raw ?? '').toLowerCase().replace(/[-_]/g, '');
  if (t === '' ) return auth.applicationCredentialSecret ? 'v3applicationcredential' : 'password';
  if (t === 'password' || t === 'v3password') return 'password';
  if (t === 'v3applicationcredential' || t === 'applicationcredential') return 'v3applicationcredential';
  throw new ApiError('config', `auth_type "${raw}" is not supported`, { where, hint: 'haprobe speaks Keystone v3 password and v3applicationcredential' });
}

function toInterface(raw: string | undefined, where: string): EndpointInterface {
  const v = (raw ?? 'public').toLowerCase().replace(/url$/, '');
  if (v === 'public' || v === 'internal' || v === 'admin') return v;
  throw new ApiError('config', `interface "${raw}" is not one of public, internal, admin`, { where });
}

/** the auth: section of a clouds.yaml entry; default_domain / domain fill user and project domains */
function readAuth(a: Doc, top: Doc): CloudAuth {
  const dflt = str(top.default_domain) ?? str(a.default_domain);
  const auth: CloudAuth = {
    authUrl: str(a.auth_url) ?? '',
    username: str(a.username),
    userId: str(a.user_id),
    password: str(a.password),
    userDomainName: str(a.user_domain_name),
    userDomainId: str(a.user_domain_id),
    projectName: str(a.project_name) ?? str(a.tenant_name),
    projectId: str(a.project_id) ?? str(a.tenant_id),
    projectDomainName: str(a.project_domain_name),
    projectDomainId: str(a.project_domain_id),
    domainName: str(a.domain_name),
    domainId: str(a.domain_id),
    applicationCredentialId: str(a.application_credential_id),
    applicationCredentialName: str(a.application_credential_name),
    applicationCredentialSecret: str(a.application_credential_secret),
  };
  // keystoneauth: with a project, domain_* is the default for user and project domains
  if (auth.projectName || auth.projectId) {
    const domName = auth.domainName;
    const domId = auth.domainId ?? dflt;
    if (!auth.userDomainName && !auth.userDomainId) {
      if (domName) auth.userDomainName = domName;
      else if (domId) auth.userDomainId = domId;
    }
    if (!auth.projectDomainName && !auth.projectDomainId) {
      if (domName) auth.projectDomainName = domName;
      else if (domId) auth.projectDomainId = domId;
    }
    delete auth.domainName;
    delete auth.domainId;
  }
  for (const k of Object.keys(auth) as (keyof CloudAuth)[]) if (auth[k] === undefined) delete auth[k];
  return auth;
}

/** a clouds.yaml cloud entry → CloudConfig (pure). `where` names the file for messages. */
export function readCloudEntry(name: string, entry: Doc, sources: string[]): CloudConfig {
  const where = `${sources.join(' + ')}: clouds.${name}`;
  if (entry.profile !== undefined) {
    throw new ApiError('config', `cloud "${name}" uses profile: "${String(entry.profile)}" (vendor profiles are not read)`, { where, hint: 'write auth_url and the other values into the entry' });
  }
  const auth = readAuth(isMap(entry.auth) ? entry.auth : {}, entry);
  const cfg: CloudConfig = {
    name,
    authType: toAuthType(str(entry.auth_type), auth, where),
    auth,
    interface: toInterface(str(entry.interface) ?? str(entry.endpoint_type), where),
    verify: !(falsy(entry.verify) || truthy(entry.insecure)),
    sources,
  };
  const region = str(entry.region_name) ?? (Array.isArray(entry.regions) && entry.regions.length === 1 ? str(entry.regions[0]) ?? str((entry.regions[0] as Doc)?.name) : undefined);
  if (region) cfg.regionName = region;
  const cacert = str(entry.cacert);
  if (cacert) cfg.cacert = cacert;
  if (str(entry.cert)) cfg.cert = str(entry.cert);
  if (str(entry.key)) cfg.key = str(entry.key);
  const t = Number(entry.api_timeout);
  if (entry.api_timeout !== undefined && Number.isFinite(t) && t > 0) cfg.timeoutMs = Math.round(t * 1000);
  checkComplete(cfg, where);
  return cfg;
}

/** OS_* variables → CloudConfig (the "envvars" cloud of openstacksdk), or undefined without OS_AUTH_URL */
export function readEnvCloud(env: NodeJS.ProcessEnv): CloudConfig | undefined {
  if (!env.OS_AUTH_URL) return undefined;
  const auth: Doc = {
    auth_url: env.OS_AUTH_URL,
    username: env.OS_USERNAME,
    user_id: env.OS_USER_ID,
    password: env.OS_PASSWORD,
    user_domain_name: env.OS_USER_DOMAIN_NAME,
    user_domain_id: env.OS_USER_DOMAIN_ID,
    project_name: env.OS_PROJECT_NAME ?? env.OS_TENANT_NAME,
    project_id: env.OS_PROJECT_ID ?? env.OS_TENANT_ID,
    project_domain_name: env.OS_PROJECT_DOMAIN_NAME,
    project_domain_id: env.OS_PROJECT_DOMAIN_ID,
    domain_name: env.OS_DOMAIN_NAME,
    domain_id: env.OS_DOMAIN_ID,
    application_credential_id: env.OS_APPLICATION_CREDENTIAL_ID,
    application_credential_name: env.OS_APPLICATION_CREDENTIAL_NAME,
    application_credential_secret: env.OS_APPLICATION_CREDENTIAL_SECRET,
  };
  const entry: Doc = {
    auth,
    auth_type: env.OS_AUTH_TYPE,
    region_name: env.OS_REGION_NAME,
    interface: env.OS_INTERFACE ?? env.OS_ENDPOINT_TYPE,
    cacert: env.OS_CACERT,
    cert: env.OS_CERT,
    key: env.OS_KEY,
    insecure: env.OS_INSECURE,
    default_domain: env.OS_DEFAULT_DOMAIN,
    api_timeout: env.OS_API_TIMEOUT,
  };
  return readCloudEntry('envvars', entry, ['OS_* variables']);
}

function checkComplete(cfg: CloudConfig, where: string): void {
  const a = cfg.auth;
  const missing: string[] = [];
  if (!a.authUrl) missing.push('auth_url');
  else if (!/^https?:\/\//i.test(a.authUrl)) throw new ApiError('config', `auth_url "${a.authUrl}" is not an http(s) URL`, { where });
  if (cfg.authType === 'password') {
    if (!a.username && !a.userId) missing.push('username or user_id');
    if (!a.password) missing.push('password');
    if (a.username && !a.userDomainName && !a.userDomainId) missing.push('user_domain_name or user_domain_id (or domain_name / default_domain)');
  } else {
    if (!a.applicationCredentialSecret) missing.push('application_credential_secret');
    if (!a.applicationCredentialId && !a.applicationCredentialName) missing.push('application_credential_id or application_credential_name');
    if (!a.applicationCredentialId && !a.userId && !a.username) missing.push('user_id or username (for application_credential_name)');
  }
  if (missing.length > 0) throw new ApiError('config', `cloud "${cfg.name}" lacks ${missing.join(', ')}`, { where });
}

export interface CloudLookup {
  /** --cloud; falls back to $OS_CLOUD, then to the OS_* variables */
  cloud?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  home?: string;
}

function firstExisting(files: string[]): string | undefined {
  return files.find((f) => existsSync(f));
}

function readYamlFile(file: string): Doc {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ApiError('config', `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { where: file });
  }
  const data = parseConfigYaml(text, 'facts', file);
  if (data === null || data === undefined) return {};
  if (!isMap(data)) throw new ApiError('config', 'not a mapping with a clouds: key', { where: file });
  return data;
}

/**
 * Resolve the cloud to talk to (the edge: reads files and the environment). A named cloud
 * (--cloud or OS_CLOUD) comes from clouds.yaml (+ secure.yaml); with no name, OS_AUTH_URL and
 * friends make an "envvars" cloud. Errors name the files looked at, never a secret.
 */
export function loadCloudConfig(opts: CloudLookup = {}): CloudConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const home = opts.home ?? (env.HOME || '/root');
  const name = opts.cloud ?? (env.OS_CLOUD || undefined);
  if (!name || name === 'envvars') {
    const fromEnv = readEnvCloud(env);
    if (fromEnv) return fromEnv;
    throw new ApiError('config', 'no cloud named and no OS_AUTH_URL in the environment', { hint: 'pass --cloud NAME (clouds.yaml), set OS_CLOUD, or source an openrc' });
  }
  const cloudsCandidates = cloudsFileCandidates(env, cwd, home, 'clouds');
  const cloudsFile = firstExisting(cloudsCandidates);
  if (!cloudsFile) {
    throw new ApiError('config', `cloud "${name}": no clouds.yaml found`, { hint: `looked at ${cloudsCandidates.filter((f) => f.endsWith('.yaml')).join(', ')}` });
  }
  let doc = readYamlFile(cloudsFile);
  const sources = [cloudsFile];
  const secureFile = firstExisting(cloudsFileCandidates(env, cwd, home, 'secure'));
  if (secureFile) {
    doc = mergeDeep(doc, readYamlFile(secureFile));
    sources.push(secureFile);
  }
  const clouds = isMap(doc.clouds) ? doc.clouds : {};
  const entry = clouds[name];
  if (!isMap(entry)) {
    const known = Object.keys(clouds);
    throw new ApiError('config', `no cloud "${name}" in clouds.yaml`, { where: sources.join(' + '), hint: known.length ? `known clouds: ${known.join(', ')}` : 'the file has no clouds: entries' });
  }
  return readCloudEntry(name, entry, sources);
}
