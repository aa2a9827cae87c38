import type { ParseWarning } from './types';

/** Splits text into lines (LF or CRLF); a missing or trailing newline adds no phantom line. */
export function splitLines(text: unknown): string[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/**
 * Calls `visit(raw, index)` for each line exactly as splitLines(text) gives them (LF or CRLF, no
 * phantom last line), walking the text in place instead of holding the array of all lines: the
 * big parsers (100k rules or flows) read this way (issue 10).
 */
export function forEachLine(text: unknown, visit: (raw: string, index: number) => void): void {
  if (typeof text !== 'string') return;
  const n = text.length;
  for (let pos = 0, i = 0; pos < n; i++) {
    let e = text.indexOf('\n', pos);
    if (e < 0) e = n;
    const raw = text.slice(pos, e > pos && text.charCodeAt(e - 1) === 13 ? e - 1 : e);
    pos = e + 1;
    visit(raw, i);
  }
}

/** Warnings kept per line; the rest are counted in one last warning for the line. */
export const MAX_WARNINGS_PER_LINE = 50;

/** the "N more" warning that closes a line's list, per warnings array */
const overflow = new WeakMap<ParseWarning[], { warning: ParseWarning; count: number }>();

/**
 * Appends one warning; `line` is 1-based within the text the parser was given. At most
 * MAX_WARNINGS_PER_LINE per line (counted over the line's consecutive warnings), then one
 * "N more warnings on this line" (issue 8: one hostile 512 KB line of unknown words made 130k
 * warnings, each quoting the line; the garbage made parsing super-linear and flooded the run file).
 */
export function addWarning(warnings: ParseWarning[], line: number, message: string, text?: string): void {
  const n = warnings.length;
  const more = overflow.get(warnings);
  if (more && n > 0 && warnings[n - 1] === more.warning && more.warning.line === line) {
    more.count++;
    more.warning.message = `${more.count} more warnings on this line not shown`;
    return;
  }
  if (n >= MAX_WARNINGS_PER_LINE && warnings[n - 1].line === line && warnings[n - MAX_WARNINGS_PER_LINE].line === line) {
    const warning: ParseWarning = { line, message: '1 more warning on this line not shown' };
    overflow.set(warnings, { warning, count: 1 });
    warnings.push(warning);
    return;
  }
  const w: ParseWarning = { line, message };
  if (text !== undefined) w.text = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  warnings.push(w);
}

/**
 * Publishers elide output with "...", "(...)", "…" or "... (stuff omitted) ..." lines
 * (corpus: kaplonski-*, 9506-*, mirantis-*). They are reported, never parsed as data.
 */
export function isElisionLine(trimmed: string): boolean {
  return /^(\(?\.{3,}\)?|…)(\s.*)?$/.test(trimmed) || /^\.{3}.*\.{3}$/.test(trimmed);
}

/**
 * A shell prompt pasted with the output: "$ ip a", "[root@net1 ~]# ip netns", "user@host:~$ …".
 * Linear in the line (issue 8): the former single regex `\S+@\S+?[:~][^\s]*\s*[#$]` nested three
 * overlapping quantifiers and backtracked cubically — one 16K-character `u@h:u@h:…` line in a
 * node's sysctl output stalled a whole run for minutes. Same language, decided token by token.
 */
export function isPromptLine(trimmed: string): boolean {
  if (/^(?:\[[^\]]*\]\s*[#$]|\$)\s+\S/.test(trimmed)) return true;
  const word = /^\S+/.exec(trimmed)?.[0];
  if (word === undefined) return false;
  const rest = trimmed.slice(word.length);
  const last = word[word.length - 1];
  // "user@host:~$ cmd": the prompt character ends the first word
  if ((last === '#' || last === '$') && isUserAtHost(word.slice(0, -1)) && /^\s+\S/.test(rest)) return true;
  // "user@host:~ $ cmd": the prompt character is a word of its own
  return isUserAtHost(word) && /^\s+[#$]\s+\S/.test(rest);
}

/** "user@host:path" / "user@host~": an '@' after at least one character, then a ':' or '~' at least two characters later. */
function isUserAtHost(word: string): boolean {
  const at = word.indexOf('@', 1);
  if (at < 0) return false;
  for (let i = at + 2; i < word.length; i++) {
    const c = word[i];
    if (c === ':' || c === '~') return true;
  }
  return false;
}

/**
 * Why a line a parser did not recognise is not data: "elided output", "shell prompt line", else
 * `otherwise` (the parser's own "not a … line"). The message of the warning for that line.
 */
export function whyNotData(trimmed: string, otherwise: string): string {
  return isElisionLine(trimmed) ? 'elided output' : isPromptLine(trimmed) ? 'shell prompt line' : otherwise;
}

/** Splits on runs of blanks (space or tab), dropping empty tokens. */
export function splitWords(s: string): string[] {
  const out: string[] = [];
  const re = /[^ \t]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) out.push(m[0]);
  return out;
}

/** Parses a base-10 integer token; undefined when it is not one. */
export function toInt(s: string | undefined): number | undefined {
  if (s === undefined || !/^-?\d+$/.test(s)) return undefined;
  return Number(s);
}
