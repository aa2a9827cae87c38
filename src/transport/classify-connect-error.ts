import type { TransportFailure } from './types';

const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTDOWN', 'ECONNRESET', 'EPIPE']);

/**
 * Map an ssh2 connection error to a typed failure. `where` is "user@host:port" (with "via jump"
 * when relevant) so the operator sees which hop failed.
 */
export function classifyConnectError(err: Error & { level?: string; code?: string }, where: string, timeoutMs: number): TransportFailure {
  const code = err.code;
  if (err.level === 'client-timeout' || code === 'ETIMEDOUT') {
    return { reason: 'timeout', message: `${where}: no SSH handshake within ${timeoutMs} ms` };
  }
  if (err.level === 'client-authentication') {
    return { reason: 'auth', message: `${where}: all authentication methods failed (${err.message})` };
  }
  if (code && UNREACHABLE.has(code)) {
    const what = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'name does not resolve' : code;
    return { reason: 'unreachable', message: `${where}: ${what}` };
  }
  if (/private ?key|passphrase/i.test(err.message)) {
    return { reason: 'auth', message: `${where}: cannot use the identity file: ${err.message}` };
  }
  return { reason: 'unreachable', message: `${where}: ${err.message}` };
}
