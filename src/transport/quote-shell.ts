/**
 * The one way a value enters shell text (issue 8, "Shell injection"). haprobe runs as root on
 * production nodes and every Transport command is a `sh -c` string, so remote commands are built
 * as argv arrays and turned into text here; a value is never pasted into a command any other way.
 * Shell syntax a builder needs (pipes, `;`, `2>/dev/null`, `$(…)`) is written as constant text
 * around quoted words, never around a value.
 */

/** characters that are never special to sh in any position of a word */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX single-quote a string so `sh` reads it back byte for byte ('it'\''s'). */
export function quoteShell(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * One sh word that reads back as exactly `s`: left bare when it only has characters sh never
 * interprets (so recorded commands stay readable: `ip -n qrouter-1 …`), single-quoted otherwise.
 * The empty string is `''` (an empty argument, not none).
 */
export function quoteWord(s: string): string {
  return PLAIN.test(s) ? s : quoteShell(s);
}

/** argv → sh text that runs exactly that argv: each element one word, nothing expanded */
export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('quoteArgv: empty argv');
  // a bare first word with `=` would be a variable assignment, not the command
  return argv.map((a, i) => (i === 0 && a.includes('=') ? quoteShell(a) : quoteWord(a))).join(' ');
}
