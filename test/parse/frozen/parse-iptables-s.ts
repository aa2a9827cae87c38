// FROZEN copy of src/parse/parse-iptables-s.ts as of 29934fa (before the issue 10 speed-up): the reference of
// test/parse/parser-speed-differential.test.ts. Do not edit; do not import from src/ code.
import type { IptablesChain, IptablesRule, IptablesRuleset } from '../../../src/model/types';
import type { ParseResult, ParseWarning } from '../../../src/parse/types';
import { addWarning, splitLines, splitWords, whyNotData } from './lines';
import { parseAppendLine } from './parse-iptables-save';

/**
 * `iptables -S [-t TABLE]`: "-P CHAIN POLICY", "-N CHAIN", "-A CHAIN …". The table is not
 * printed, so the caller says which one it asked for (default filter).
 */
export function parseIptablesS(text: string, table = 'filter'): ParseResult<IptablesRuleset> {
  const warnings: ParseWarning[] = [];
  const chains: IptablesChain[] = [];
  const rules: IptablesRule[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '') continue;
    if (t.startsWith('-P ') || t.startsWith('-N ')) {
      const w = splitWords(t);
      if (w.length < 2 || (w[0] === '-P' && w.length < 3)) {
        addWarning(warnings, i + 1, 'bad chain line', raw);
        continue;
      }
      const chain: IptablesChain = { table, name: w[1] };
      if (w[0] === '-P') chain.policy = w[2];
      chains.push(chain);
      continue;
    }
    if (t.startsWith('-A ') || t.startsWith('-I ')) {
      const rule = parseAppendLine(t, table, warnings, i + 1, raw);
      if (rule) rules.push(rule);
      continue;
    }
    const why = whyNotData(t, 'not an iptables -S line');
    addWarning(warnings, i + 1, why, raw);
  }
  return { value: { chains, rules }, warnings };
}
