import { createHash, createHmac } from 'node:crypto';

/** One line of an OpenSSH known_hosts file. */
export interface KnownHostEntry {
  marker?: '@revoked' | '@cert-authority';
  /** comma-separated patterns as written: plain, `[host]:port`, wildcards, `!negated`, or `|1|salt|hash` */
  patterns: string[];
  keyType: string;
  /** the key blob (SSH wire format), base64 as in the file */
  keyBase64: string;
  line: number;
}

export type HostKeyVerdict =
  | { ok: true }
  | { ok: false; kind: 'unknown' | 'changed' | 'revoked'; message: string };

/** Parse known_hosts text; malformed lines are skipped (OpenSSH does the same). */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker'];
    if (fields.length < 3) continue;
    const [hosts, keyType, keyBase64] = fields;
    entries.push({ marker, patterns: hosts.split(','), keyType, keyBase64, line: i + 1 });
  }
  return entries;
}

/** `host` on port 22, else `[host]:port` — the name OpenSSH writes and hashes */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** SHA256 fingerprint as `ssh-keygen -l` prints it */
export function fingerprintKey(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** the key type written at the start of an SSH public key blob ("ssh-ed25519", "ssh-rsa", …) */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

/**
 * Decide on a server's host key like OpenSSH with StrictHostKeyChecking=yes:
 * a matching entry with the same key → ok; an entry of the same key type with another key →
 * changed (possible man-in-the-middle); otherwise unknown. @revoked keys are refused.
 */
export function verifyHostKey(entries: KnownHostEntry[], host: string, port: number, blob: Buffer): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const type = keyTypeOf(blob);
  const b64 = blob.toString('base64');
  const fp = fingerprintKey(blob);
  const mine = entries.filter((e) => e.marker !== '@cert-authority' && hostMatches(e.patterns, name));
  if (mine.some((e) => e.marker === '@revoked' && e.keyBase64 === b64)) {
    return { ok: false, kind: 'revoked', message: `host key for ${name} is marked @revoked (${type} ${fp})` };
  }
  const valid = mine.filter((e) => e.marker === undefined);
  if (valid.some((e) => e.keyType === type && e.keyBase64 === b64)) return { ok: true };
  const sameType = valid.filter((e) => e.keyType === type);
  if (sameType.length > 0) {
    return {
      ok: false,
      kind: 'changed',
      message:
        `host key for ${name} CHANGED: server offers ${type} ${fp}, known_hosts line ${sameType[0].line} ` +
        `has ${fingerprintOfBase64(sameType[0].keyBase64)}`,
    };
  }
  const others = [...new Set(valid.map((e) => e.keyType))];
  const also = others.length > 0 ? ` (known_hosts has only ${others.join(', ')} for it)` : '';
  return { ok: false, kind: 'unknown', message: `unknown host key for ${name}: ${type} ${fp}${also}` };
}

/** key types known_hosts holds for this host, to prefer them in key exchange */
export function knownKeyTypes(entries: KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  return [
    ...new Set(
      entries.filter((e) => e.marker === undefined && hostMatches(e.patterns, name)).map((e) => e.keyType),
    ),
  ];
}

function fingerprintOfBase64(b64: string): string {
  return fingerprintKey(Buffer.from(b64, 'base64'));
}

/** OpenSSH match_hostname: any positive match and no negated match */
function hostMatches(patterns: string[], name: string): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('|1|')) {
      if (hashedMatches(p, name)) matched = true;
    } else if (p.startsWith('!')) {
      if (globMatches(p.slice(1), name)) return false;
    } else if (globMatches(p, name)) {
      matched = true;
    }
  }
  return matched;
}

/** `|1|base64(salt)|base64(HMAC-SHA1(salt, name))` */
function hashedMatches(p: string, name: string): boolean {
  const [, , salt, hash] = p.split('|');
  if (!salt || !hash) return false;
  const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return mac === hash;
}

function globMatches(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern.toLowerCase() === name.toLowerCase();
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}
