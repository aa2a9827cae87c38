/**
 * Host key algorithms ssh2 offers, in its default order. When known_hosts already holds keys of
 * some types for the host, those go first — otherwise a server with both an ed25519 and an rsa
 * key could present the one known_hosts does not have and fail as "unknown" (OpenSSH does the same
 * reordering).
 */
const DEFAULT_ORDER = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** known_hosts key type → the signature algorithms that present such a key */
const ALGOS_OF_TYPE: Record<string, string[]> = {
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

export function orderHostKeyAlgorithms(knownTypes: string[]): string[] {
  const preferred = knownTypes.flatMap((t) => ALGOS_OF_TYPE[t] ?? [t]).filter((a) => DEFAULT_ORDER.includes(a));
  return [...new Set([...preferred, ...DEFAULT_ORDER])];
}
