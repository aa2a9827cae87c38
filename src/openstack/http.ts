import http from 'node:http';
import https from 'node:https';
import { ApiError, type ApiFailureReason } from './errors';

/** TLS material for https requests (file contents, already read) */
export interface TlsOptions {
  /** PEM CA bundle; undefined = Node's default trust store */
  ca?: string | Buffer;
  /** false = accept any server certificate (clouds.yaml verify: false) */
  rejectUnauthorized: boolean;
  cert?: string | Buffer;
  key?: string | Buffer;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** JSON text */
  body?: string;
  /** whole-request budget (connect + answer), ms */
  timeoutMs: number;
  tls: TlsOptions;
  /** "GET network /v2.0/ports": names the request in errors (no query secrets, no token) */
  label: string;
  /** a keep-alive agent of the session (its TLS options win over `tls`); none = one connection per request */
  agent?: http.Agent;
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** answers larger than this are refused (a facts read of a big cloud is a few MB per list page) */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * Keep-alive agents for one session: one TLS handshake per connection instead of per request
 * (a cloud with a thousand routers means a thousand l3-agents calls). Idle sockets do not keep
 * the process alive (Node unrefs free keep-alive sockets).
 */
export function createAgents(tls: TlsOptions, maxSockets = 8): { http: http.Agent; https: https.Agent } {
  return {
    http: new http.Agent({ keepAlive: true, maxSockets }),
    https: new https.Agent({ keepAlive: true, maxSockets, rejectUnauthorized: tls.rejectUnauthorized, ...(tls.ca ? { ca: tls.ca } : {}), ...(tls.cert ? { cert: tls.cert } : {}), ...(tls.key ? { key: tls.key } : {}) }),
  };
}

/** a socket / TLS error → the reason it stands for (pure) */
export function classifyNetworkError(err: NodeJS.ErrnoException): ApiFailureReason {
  const code = err.code ?? '';
  if (TLS_CODES.has(code) || /^ERR_SSL_|^ERR_TLS_/.test(code) || /certificate|ssl|tls/i.test(err.message)) return 'tls';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (UNREACHABLE_CODES.has(code)) return 'unreachable';
  return 'unreachable';
}

const HINTS: Partial<Record<ApiFailureReason, string>> = {
  tls: 'set cacert: <CA bundle> for the cloud in clouds.yaml (or OS_CACERT); verify: false only for a lab',
  timeout: 'raise --api-timeout, or check that the endpoint is reachable from here',
  unreachable: 'check the URL in clouds.yaml / the service catalog and that it is reachable from here',
};

/**
 * One HTTP(S) exchange (the only place that opens sockets). Never throws for an HTTP status:
 * statuses are the caller's to judge. Throws ApiError tls / timeout / unreachable otherwise.
 */
export function sendHttp(req: HttpRequest): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      reject(new ApiError('config', `not a URL: ${req.url}`, { where: req.label }));
      return;
    }
    const isHttps = url.protocol === 'https:';
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'haprobe', ...req.headers };
    if (req.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(req.body));
    }
    const options: https.RequestOptions = { method: req.method, headers, agent: req.agent ?? false };
    if (isHttps && !req.agent) {
      options.rejectUnauthorized = req.tls.rejectUnauthorized;
      if (req.tls.ca !== undefined) options.ca = req.tls.ca;
      if (req.tls.cert !== undefined) options.cert = req.tls.cert;
      if (req.tls.key !== undefined) options.key = req.tls.key;
    }
    let settled = false;
    const fail = (reason: ApiFailureReason, message: string, cause?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(new ApiError(reason, message, { where: req.label, hint: HINTS[reason], cause }));
    };
    const request = (isHttps ? https : http).request(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER_BYTES) fail('response', `answer larger than ${MAX_ANSWER_BYTES} bytes`);
        else chunks.push(c);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (err: NodeJS.ErrnoException) => fail(classifyNetworkError(err), `answer cut: ${err.code ?? err.message}`, err));
    });
    const timer = setTimeout(() => fail('timeout', `no complete answer within ${req.timeoutMs} ms`), req.timeoutMs);
    request.on('error', (err: NodeJS.ErrnoException) => {
      const reason = classifyNetworkError(err);
      fail(reason, `${reason === 'tls' ? 'TLS: ' : ''}${err.code ?? ''}${err.code ? ' ' : ''}${err.message}`.trim(), err);
    });
    if (req.body !== undefined) request.write(req.body);
    request.end();
  });
}
