// FROZEN copy of src/parse/parse-iptables-rule.ts as of 29934fa (before the issue 10 speed-up): the reference of
// test/parse/parser-speed-differential.test.ts. Do not edit; do not import from src/ code.
import type { IptablesRule } from '../../../src/model/types';

export interface SpecToken {
  /** unquoted value */
  value: string;
  /** as written (quotes kept) */
  raw: string;
}

/**
 * Splits an iptables rule into words the way iptables-save quotes them: double quotes around
 * words with blanks (comments), backslash escapes inside quotes. Linear, never throws;
 * an unterminated quote runs to the end of the line (reported by the caller via `unterminated`).
 */
export function tokenizeRuleSpec(s: string): { tokens: SpecToken[]; unterminated: boolean } {
  const tokens: SpecToken[] = [];
  if (s.indexOf('"') < 0 && s.indexOf("'") < 0) {
    // fast path: most rules carry no quoted word
    const re = /[^ \t]+/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) tokens.push({ value: m[0], raw: m[0] });
    return { tokens, unterminated: false };
  }
  let i = 0;
  const n = s.length;
  let unterminated = false;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const start = i;
    let value = '';
    while (i < n) {
      const ch = s[i];
      if (ch === ' ' || ch === '\t') break;
      if (ch === '"' || ch === "'") {
        const q = ch;
        i++;
        let closed = false;
        while (i < n) {
          const d = s[i];
          if (d === '\\' && q === '"' && i + 1 < n) {
            value += s[i + 1];
            i += 2;
            continue;
          }
          if (d === q) {
            closed = true;
            i++;
            break;
          }
          value += d;
          i++;
        }
        if (!closed) unterminated = true;
        continue;
      }
      value += ch;
      i++;
    }
    tokens.push({ value, raw: s.slice(start, i) });
  }
  return { tokens, unterminated };
}

const NEGATABLE: Record<string, 'source' | 'destination' | 'inIface' | 'outIface'> = {
  '-s': 'source', '--source': 'source', '--src': 'source',
  '-d': 'destination', '--destination': 'destination', '--dst': 'destination',
  '-i': 'inIface', '--in-interface': 'inIface',
  '-o': 'outIface', '--out-interface': 'outIface',
};
const TO_OPTIONS = new Set(['--to-destination', '--to-source', '--to', '--to-ports']);

/**
 * Builds one IptablesRule from the words after "-A CHAIN". Understands both negation styles:
 * "! -s X" (iptables ≥ 1.4.3) and the old "-s ! X". Unknown options are kept in spec only.
 */
export function buildIptablesRule(table: string, chain: string, tokens: SpecToken[], spec?: string): IptablesRule {
  const rule: IptablesRule = { table, chain, spec: spec ?? tokens.map((t) => t.raw).join(' ') };
  let negateNext = false;
  for (let i = 0; i < tokens.length; i++) {
    const opt = tokens[i].value;
    if (opt === '!') {
      negateNext = true;
      continue;
    }
    const field = NEGATABLE[opt];
    if (field !== undefined && i + 1 < tokens.length) {
      let v = tokens[++i].value;
      let negated = negateNext;
      if (v === '!' && i + 1 < tokens.length) {
        negated = true;
        v = tokens[++i].value;
      }
      rule[field] = v;
      if (negated) (rule.negated ??= {})[field] = true;
      negateNext = false;
      continue;
    }
    negateNext = false;
    if ((opt === '-p' || opt === '--protocol') && i + 1 < tokens.length) rule.protocol = tokens[++i].value;
    else if ((opt === '-j' || opt === '--jump' || opt === '-g' || opt === '--goto') && i + 1 < tokens.length) rule.target = tokens[++i].value;
    else if (TO_OPTIONS.has(opt) && i + 1 < tokens.length) rule.toAddress = tokens[++i].value;
    else if (opt === '--comment' && i + 1 < tokens.length) rule.comment = tokens[++i].value;
  }
  return rule;
}
