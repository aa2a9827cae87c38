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

function lexLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let inQuote = false;
  const push = (): void => {
    if (cur !== '' || quoted) out.push(cur);
    cur = '';
    quoted = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inQuote) {
      if (c === '"') inQuote = false;
      else cur += c;
      continue;
    }
    if (c === '"') {
      inQuote = true;
      quoted = true;
      continue;
    }
    if (c === '#' || c === '!') {
      // '!' is a comment only at a word start ("! comment"); inside words it is literal
      if (cur === '') break;
    }
    if (c === ' ' || c === '\t') {
      push();
      continue;
    }
    if (c === '{' || c === '}') {
      push();
      out.push(c);
      continue;
    }
    cur += c;
  }
  push();
  return out;
}
