/**
 * Secrets never reach an error message, a debug line or a facts file: every text built from a
 * request or an answer goes through redactSecrets with the session's secrets (password,
 * application credential secret, current and past tokens). Known header names are masked too.
 */
export const REDACTED = '<redacted>';

/** replace every occurrence of each secret (of 4+ characters: shorter ones would mangle text) */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  const list = [...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length);
  for (const s of list) out = out.split(s).join(REDACTED);
  return out;
}

const SECRET_HEADERS = new Set(['x-auth-token', 'x-subject-token', 'authorization', 'cookie', 'set-cookie']);

/** headers for a debug line: secret ones masked */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? REDACTED : Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

const SECRET_KEYS = /^(password|secret|token|application_credential_secret|passcode|totp)$/i;

/** a deep copy of a JSON value with secret-named keys masked (for printing a resolved cloud config) */
export function redactObject(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactObject);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) && v !== undefined && v !== null ? REDACTED : redactObject(v);
    return out;
  }
  return value;
}
