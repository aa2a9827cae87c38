// FROZEN copy of src/parse/parse-iptables-save.ts as of 29934fa (before the issue 10 speed-up): the reference of
// test/parse/parser-speed-differential.test.ts. Do not edit; do not import from src/ code.
import type { IptablesChain, IptablesRule, IptablesRuleset } from '../../../src/model/types';
import type { ParseResult, ParseWarning } from '../../../src/parse/types';
import { addWarning, isElisionLine, splitLines } from './lines';
import { buildIptablesRule, tokenizeRuleSpec } from './parse-iptables-rule';

/**
 * `iptables-save` (and ip6tables-save): several "*table" blocks, ":CHAIN POLICY [p:b]",
 * "-A CHAIN …", "COMMIT", "# Generated/Completed" comments. Chains with policy "-" (user
 * chains) get no policy. Rules before any "*table" are kept under table "filter" with a warning.
 */
export function parseIptablesSave(text: string): ParseResult<IptablesRuleset> {
  const warnings: ParseWarning[] = [];
  const chains: IptablesChain[] = [];
  const rules: IptablesRule[] = [];
  let table: string | undefined;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '' || t[0] === '#') continue;
    const c0 = t[0];
    if (c0 === '*') {
      table = t.slice(1).trim();
      continue;
    }
    if (t === 'COMMIT') {
      table = undefined;
      continue;
    }
    if (c0 === ':') {
      const m = /^:(\S+)\s+(\S+)/.exec(t);
      if (!m) {
        addWarning(warnings, i + 1, 'bad chain line', raw);
        continue;
      }
      const chain: IptablesChain = { table: table ?? tableMissing(warnings, i + 1, raw), name: m[1] };
      if (m[2] !== '-') chain.policy = m[2];
      chains.push(chain);
      continue;
    }
    if (c0 === '-' && (t.startsWith('-A ') || t.startsWith('-I '))) {
      const rule = parseAppendLine(t, table ?? tableMissing(warnings, i + 1, raw), warnings, i + 1, raw);
      if (rule) rules.push(rule);
      continue;
    }
    addWarning(warnings, i + 1, isElisionLine(t) ? 'elided output' : 'not an iptables-save line', raw);
  }
  return { value: { chains, rules }, warnings };
}

function tableMissing(warnings: ParseWarning[], lineNo: number, raw: string): string {
  addWarning(warnings, lineNo, 'line outside a *table block (assumed filter)', raw);
  return 'filter';
}

/** "-A CHAIN spec…" (or "-I CHAIN [n] spec…") → rule; shared with the `iptables -S` parser. */
export function parseAppendLine(
  t: string,
  table: string,
  warnings: ParseWarning[],
  lineNo: number,
  raw: string,
): IptablesRule | undefined {
  const m = /^-[AI][ \t]+(\S+)[ \t]*/.exec(t);
  if (!m) {
    addWarning(warnings, lineNo, 'rule without chain', raw);
    return undefined;
  }
  let spec = t.slice(m[0].length);
  if (t.charCodeAt(1) === 73 /* I */) spec = spec.replace(/^\d+[ \t]*/, '');
  const { tokens, unterminated } = tokenizeRuleSpec(spec);
  if (unterminated) addWarning(warnings, lineNo, 'unterminated quote (line truncated?)', raw);
  // spec keeps the text as printed; blanks are collapsed only when there are runs of them
  if (/[ \t]{2}|\t/.test(spec)) spec = tokens.map((x) => x.raw).join(' ');
  return buildIptablesRule(table, m[1], tokens, spec);
}
