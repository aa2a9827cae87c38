/**
 * Glob → RegExp over a whole string. With `separator` ("/" for subject strings) `*` and `?` stay
 * within one part and `**` crosses parts; without it `*` matches anything. Everything else is literal.
 */
export function globToRegExp(glob: string, separator?: string): RegExp {
  const notSep = separator ? `[^${escapeRegExp(separator)}]` : '.';
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (ch === '*') re += `${notSep}*`;
    else if (ch === '?') re += notSep;
    else re += escapeRegExp(ch);
  }
  return new RegExp(`^${re}$`, 's');
}

export function matchGlob(glob: string, text: string, separator?: string): boolean {
  return globToRegExp(glob, separator).test(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
