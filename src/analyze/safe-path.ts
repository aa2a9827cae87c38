/**
 * A member name of a foreign archive or directory as a safe relative path: `./` and empty parts
 * dropped, `\` kept as a character; undefined for an absolute name, a `..` part or a NUL.
 * Such a path only ever names an entry in memory (read-tar.ts) or is joined under a root that
 * was walked without following symlinks (read-directory.ts).
 */
export function safeRelativePath(name: string): string | undefined {
  if (name.includes('\0') || name.startsWith('/')) return undefined;
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..')) return undefined;
  return parts.join('/');
}
