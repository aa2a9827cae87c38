import { HaprobeError } from '../errors';

/**
 * Why a cloud API call failed, as data (like the SSH transport's FailureReason):
 * - config: no usable cloud (clouds.yaml / OS_* missing or incomplete)
 * - auth: Keystone refused the credentials, or a 401 survived one re-authentication, or a 403
 * - endpoint: the service catalog has no endpoint for the type / interface / region asked
 * - tls: certificate not trusted, wrong host name, expired … (cacert / verify: false are the fixes)
 * - timeout: no complete answer within the request budget
 * - unreachable: connection refused / reset, DNS failure
 * - server: a 5xx answer (after the retries a GET gets)
 * - http: any other non-2xx answer (404, 409, 400 …)
 * - response: a 2xx answer haprobe cannot read (not JSON, wrong shape, pagination loop)
 */
export type ApiFailureReason = 'config' | 'auth' | 'endpoint' | 'tls' | 'timeout' | 'unreachable' | 'server' | 'http' | 'response';

/**
 * A failed cloud API call. A HaprobeError of code 'facts' (the API stands in for the facts file:
 * same exit code, same one-line report in cli/main.ts); `where` names the cloud and the request
 * ("cloud lab: GET network /v2.0/ports"), never a token, password or secret (see redact.ts).
 */
export class ApiError extends HaprobeError {
  readonly reason: ApiFailureReason;
  /** HTTP status, when an answer came */
  readonly status?: number;

  constructor(reason: ApiFailureReason, message: string, opts: { where?: string; hint?: string; cause?: unknown; status?: number } = {}) {
    super('facts', `cloud API ${reason}: ${message}`, opts);
    this.name = 'ApiError';
    this.reason = reason;
    this.status = opts.status;
  }
}

/** a type guard usable on unknown errors */
export function isApiError(err: unknown, reason?: ApiFailureReason): err is ApiError {
  return err instanceof ApiError && (reason === undefined || err.reason === reason);
}
