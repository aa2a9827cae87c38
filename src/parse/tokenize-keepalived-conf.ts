import type { ParseWarning } from './types';
import { addWarning, splitLines } from './lines';

/** One statement of a keepalived config: its words, 1-based line, and its block if it opened one. */
export interface ConfNode {
  words: string[];
  line: number;
  children?: ConfNode[];
}

/**
 * keepalived.conf → statement tree. Comments start with '#' or '!' outside quotes; braces may
 * stand alone or touch words ("group{", "{ ha-x }" on one line). Unbalanced braces are warnings:
 * a missing '}' closes at end of input, an extra '}' is ignored.
 */
export function tokenizeKeepalivedConf(text: string, warnings: ParseWarning[]): ConfNode[] {
  const root: ConfNode[] = [];
  const stack: ConfNode[][] = [root];
  const open: ConfNode[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let words: string[] = [];
    const flush = (): void => {
      if (words.length > 0) stack[stack.length - 1].push({ words, line: lineNo });
      words = [];
    };
    for (const tok of lexLine(lines[i])) {
      if (tok === '{') {
        const node: ConfNode = { words, line: lineNo, children: [] };
        if (words.length === 0) addWarning(warnings, lineNo, 'block without a name', lines[i]);
        stack[stack.length - 1].push(node);
        stack.push(node.children as ConfNode[]);
        open.push(node);
        words = [];
      } else if (tok === '}') {
        flush();
        if (stack.length > 1) {
          stack.pop();
          open.pop();
        } else addWarning(warnings, lineNo, "unmatched '}'", lines[i]);
      } else words.push(tok);
    }
    flush();
  }
  for (const node of open) addWarning(warnings, node.line, `block "${node.words.join(' ')}" not closed (truncated input?)`);
  return root;
}

/**
 * One line's words and braces. Ordinary characters are taken as runs (slices), not appended one
 * by one: a 2 MB line built a million-piece string and cost 670 ms (issue 8).
 */
function lexLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  const push = (): void => {
    if (cur !== '' || quoted) out.push(cur);
    cur = '';
    quoted = false;
  };
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '"') {
      quoted = true;
      const end = line.indexOf('"', i + 1);
      cur += line.slice(i + 1, end < 0 ? line.length : end); // an unclosed quote runs to the end of the line
      i = end < 0 ? line.length : end + 1;
      continue;
    }
    // '#' and '!' start a comment only at a word start ("! comment"); inside words they are literal
    if ((c === '#' || c === '!') && cur === '') break;
    if (c === ' ' || c === '\t') {
      push();
      i++;
      continue;
    }
    if (c === '{' || c === '}') {
      push();
      out.push(c);
      i++;
      continue;
    }
    let j = i + 1;
    while (j < line.length && !WORD_END.has(line[j])) j++;
    cur += line.slice(i, j);
    i = j;
  }
  push();
  return out;
}

/** characters that end a run of ordinary characters */
const WORD_END = new Set(['"', ' ', '\t', '{', '}']);
