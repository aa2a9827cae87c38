/**
 * Secrets out of evidence (issue 8). Evidence is stored verbatim in run files and rendered into
 * HTML, Markdown and JUnit, and neutron's keepalived.conf carries the VRRP password
 * (`auth_pass`, from ha_vrrp_auth_password). Every collected section goes through
 * redactSecrets BEFORE it is parsed or stored, so neither evidence nor parser warnings hold it.
 *
 * What is replaced by REDACTED (the key stays, so a reader sees a secret was there):
 * - keepalived `auth_pass VALUE`, anywhere on a line (also `authentication { auth_pass x }`);
 * - a config line whose key (first word, optionally quoted) names a secret: password, passwd,
 *   passphrase, secret, token, api key, private key, credential(s), psk, auth_pass, or a compound
 *   of these (`admin_password`, `metadata_proxy_shared_secret`), written `key value`,
 *   `key = value`, `key: value` or `"key": value`;
 * - inline pairs with such a key: `psk=VALUE` (OVS tunnel options), `"password":"VALUE"` (JSON),
 *   `["psk","VALUE"]` (OVSDB maps in --data=json);
 * - the password of a URL with credentials (`rabbit://user:PASSWORD@host`).
 * Pure and linear in the text.
 */
export const REDACTED = '<redacted>';

const SECRET_WORDS = new Set(['pass', 'password', 'passwd', 'passphrase', 'secret', 'token', 'apikey', 'credential', 'credentials', 'psk', 'privatekey']);

/** "admin_password" → true; "passive", "bypass", "tokenize" → false (whole words only) */
export function isSecretKey(key: string): boolean {
  const words = key.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  // "api_key", "private-key", "auth_key": a key word after api/private/auth
  return words.some((w, i) => w === 'key' && i > 0 && ['api', 'private', 'auth', 'secret'].includes(words[i - 1]));
}

const AUTH_PASS = /\bauth_pass(\s+)("[^"]*"|\S+)/g;
const KEY_LINE = /^(\s*)("?)([A-Za-z][A-Za-z0-9_.-]*)(\2)(\s*[=:]\s*|\s+)(\S.*)$/;
// keys are word characters only, so each match attempt stops at the next boundary (linear time)
const INLINE_EQ = /\b([A-Za-z]\w*)=("[^"]*"|[^\s,}\]]+)/g;
const JSON_MEMBER = /"([^"\\]{1,64})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
const OVSDB_PAIR = /\["([^"\\]{1,64})","((?:[^"\\]|\\.)*)"\]/g;
const URL_PASSWORD = /\b([a-z][a-z0-9+]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;

export function redactSecrets(text: string): string {
  if (!/pass|secret|token|key|credential|psk|:\/\//i.test(text)) return text;
  return text
    .split('\n')
    .map((line) => redactLine(line))
    .join('\n');
}

function redactLine(line: string): string {
  let out = line.replace(AUTH_PASS, (_m, space: string) => `auth_pass${space}${REDACTED}`);
  const m = KEY_LINE.exec(out);
  if (m && isSecretKey(m[3]) && m[6] !== REDACTED) out = `${m[1]}${m[2]}${m[3]}${m[4]}${m[5]}${REDACTED}`;
  out = out.replace(INLINE_EQ, (whole, key: string) => (isSecretKey(key) ? `${key}=${REDACTED}` : whole));
  out = out.replace(JSON_MEMBER, (whole, key: string, colon: string) => (isSecretKey(key) ? `"${key}"${colon}"${REDACTED}"` : whole));
  out = out.replace(OVSDB_PAIR, (whole, key: string) => (isSecretKey(key) ? `["${key}","${REDACTED}"]` : whole));
  return out.replace(URL_PASSWORD, `$1${REDACTED}@`);
}
