/** POSIX single-quote a string so `sh` reads it back byte for byte ('it'\''s'). */
export function quoteShell(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
