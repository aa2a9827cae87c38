import type { IptablesRule } from '../model/types';

export interface SpecToken {
  /** unquoted value */
  value: string;
  /** as written (quotes kept) */
  raw: string;
}

/**
 * An iptables rule split into words: `values` unquoted, `raws` as written (the same array when
 * the rule has no quote). `collapse`: the spec has a tab or two blanks in a row, so the rule's spec
 * is printed again with single blanks. Parallel string arrays instead of one object per word:
 * 100k-rule dumps (issue 10) spent most of their time allocating and collecting those objects.
 */
export interface SplitRuleSpec {
  values: string[];
  raws: string[];
  unterminated: boolean;
  collapse: boolean;
}

/**
 * Splits an iptables rule into words the way iptables-save quotes them: double quotes around
 * words with blanks (comments), backslash escapes inside quotes. Linear, never throws;
 * an unterminated quote runs to the end of the line (reported by the caller via `unterminated`).
 * Words are cut with slice (never built a character at a time: issue 10).
 */
export function splitRuleSpec(s: string): SplitRuleSpec {
  if (s.indexOf('"') < 0 && s.indexOf("'") < 0) {
    // fast path: most rules carry no quoted word. Without tabs, words are cut at the spaces found
    // by indexOf (a loop over every character cost most of the time of 100k-rule dumps, issue 10).
    const words: string[] = [];
    const n = s.length;
    if (s.indexOf('\t') < 0) {
      let collapse = false;
      let i = 0;
      while (i < n) {
        if (s.charCodeAt(i) === 32) {
          // a run of spaces: one space is the printed form, more are collapsed
          if (i + 1 < n && s.charCodeAt(i + 1) === 32) collapse = true;
          i++;
          continue;
        }
        let end = s.indexOf(' ', i);
        if (end < 0) end = n;
        words.push(s.slice(i, end));
        i = end;
      }
      return { values: words, raws: words, unterminated: false, collapse };
    }
    let i = 0;
    while (i < n) {
      let c = s.charCodeAt(i);
      if (c === 32 || c === 9) {
        i++;
        continue;
      }
      const start = i;
      do c = s.charCodeAt(++i);
      while (i < n && c !== 32 && c !== 9);
      words.push(s.slice(start, i));
    }
    // a tab is always collapsed
    return { values: words, raws: words, unterminated: false, collapse: true };
  }
  const values: string[] = [];
  const raws: string[] = [];
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
    let seg = i; // start of the part of the word not yet appended to value
    while (i < n) {
      const ch = s.charCodeAt(i);
      if (ch === 32 || ch === 9) break;
      if (ch === 34 || ch === 39) {
        // '"' or "'"
        value += s.slice(seg, i);
        i++;
        seg = i;
        let closed = false;
        while (i < n) {
          const d = s.charCodeAt(i);
          if (d === 92 && ch === 34 && i + 1 < n) {
            // backslash escape inside double quotes: keep the next character
            value += s.slice(seg, i) + s[i + 1];
            i += 2;
            seg = i;
            continue;
          }
          if (d === ch) {
            closed = true;
            value += s.slice(seg, i);
            i++;
            seg = i;
            break;
          }
          i++;
        }
        if (!closed) {
          unterminated = true;
          value += s.slice(seg, i);
          seg = i;
        }
        continue;
      }
      i++;
    }
    value += s.slice(seg, i);
    values.push(value);
    raws.push(s.slice(start, i));
  }
  return { values, raws, unterminated, collapse: /[ \t]{2}|\t/.test(s) };
}

/** {value, raw} per word: see splitRuleSpec (kept for callers that want one object per word). */
export function tokenizeRuleSpec(s: string): { tokens: SpecToken[]; unterminated: boolean } {
  const { values, raws, unterminated } = splitRuleSpec(s);
  const tokens: SpecToken[] = [];
  for (let i = 0; i < values.length; i++) tokens.push({ value: values[i], raw: raws[i] });
  return { tokens, unterminated };
}

type NegatableField = 'source' | 'destination' | 'inIface' | 'outIface';
/**
 * The rule field an address/interface option fills, without a keyed lookup per word (it interned every word: issue 10). Only the
 * options themselves answer: a bare word that happens to be an Object.prototype name
 * ("constructor", "toString", "__proto__") is not an option and must not become a rule field.
 */
function negatableField(opt: string): NegatableField | undefined {
  switch (opt) {
    case '-s':
    case '--source':
    case '--src':
      return 'source';
    case '-d':
    case '--destination':
    case '--dst':
      return 'destination';
    case '-i':
    case '--in-interface':
      return 'inIface';
    case '-o':
    case '--out-interface':
      return 'outIface';
  }
  return undefined;
}
const TO_OPTIONS = new Set(['--to-destination', '--to-source', '--to', '--to-ports']);

/**
 * Builds one IptablesRule from the words after "-A CHAIN". Understands both negation styles:
 * "! -s X" (iptables ≥ 1.4.3) and the old "-s ! X". Unknown options are kept in spec only.
 */
export function buildIptablesRule(table: string, chain: string, tokens: SpecToken[], spec?: string): IptablesRule {
  return buildIptablesRuleFromWords(table, chain, tokens.map((t) => t.value), spec ?? tokens.map((t) => t.raw).join(' '));
}

/** buildIptablesRule on unquoted words (splitRuleSpec's `values`) and the rule's spec as printed. */
export function buildIptablesRuleFromWords(table: string, chain: string, words: string[], spec: string): IptablesRule {
  const rule: IptablesRule = { table, chain, spec };
  let negateNext = false;
  const n = words.length;
  for (let i = 0; i < n; i++) {
    const opt = words[i];
    if (opt === '!') {
      negateNext = true;
      continue;
    }
    const field = negatableField(opt);
    if (field !== undefined && i + 1 < n) {
      let v = words[++i];
      let negated = negateNext;
      if (v === '!' && i + 1 < n) {
        negated = true;
        v = words[++i];
      }
      rule[field] = v;
      if (negated) (rule.negated ??= {})[field] = true;
      negateNext = false;
      continue;
    }
    negateNext = false;
    if (i + 1 >= n || opt.charCodeAt(0) !== 45) continue; // every option below starts with '-'
    if (opt === '-p' || opt === '--protocol') rule.protocol = words[++i];
    else if (opt === '-j' || opt === '--jump' || opt === '-g' || opt === '--goto') rule.target = words[++i];
    else if (TO_OPTIONS.has(opt)) rule.toAddress = words[++i];
    else if (opt === '--comment') rule.comment = words[++i];
  }
  return rule;
}
