import type { IptablesChain, IptablesRule, IptablesRuleset } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning, forEachLine, isElisionLine } from './lines';
import { buildIptablesRuleFromWords, splitRuleSpec } from './parse-iptables-rule';

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
  forEachLine(text, (raw, i) => {
    const t = raw.trim();
    if (t === '' || t[0] === '#') return;
    const c0 = t[0];
    if (c0 === '*') {
      table = t.slice(1).trim();
      return;
    }
    if (t === 'COMMIT') {
      table = undefined;
      return;
    }
    if (c0 === ':') {
      const m = /^:(\S+)\s+(\S+)/.exec(t);
      if (!m) {
        addWarning(warnings, i + 1, 'bad chain line', raw);
        return;
      }
      const chain: IptablesChain = { table: table ?? tableMissing(warnings, i + 1, raw), name: m[1] };
      if (m[2] !== '-') chain.policy = m[2];
      chains.push(chain);
      return;
    }
    if (c0 === '-' && (t.startsWith('-A ') || t.startsWith('-I '))) {
      const rule = parseAppendLine(t, table ?? tableMissing(warnings, i + 1, raw), warnings, i + 1, raw);
      if (rule) rules.push(rule);
      return;
    }
    addWarning(warnings, i + 1, isElisionLine(t) ? 'elided output' : 'not an iptables-save line', raw);
  });
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
  const { values, raws, unterminated, collapse } = splitRuleSpec(spec);
  if (unterminated) addWarning(warnings, lineNo, 'unterminated quote (line truncated?)', raw);
  // spec keeps the text as printed; blanks are collapsed only when there are runs of them
  return buildIptablesRuleFromWords(table, m[1], values, collapse ? raws.join(' ') : spec);
}
