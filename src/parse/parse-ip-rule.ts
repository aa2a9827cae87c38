import type { Rule } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning, splitLines, splitWords, whyNotData } from './lines';

const VALUE_KEYS = new Set([
  'from', 'to', 'iif', 'oif', 'fwmark', 'lookup', 'table', 'tos', 'dsfield', 'goto', 'realms', 'suppress_prefixlength',
  'suppress_ifgroup', 'uidrange', 'ipproto', 'sport', 'dport', 'proto', 'l3mdev', 'nat', 'map-to', 'pref', 'priority',
]);
const FLAG_WORDS = new Set(['not', 'nop', 'unreachable', 'prohibit', 'blackhole', '[detached]', 'detached', 'unresolved', 'l3mdev']);

/**
 * `ip rule [show]`: "N:<TAB>from all iif fpr-x lookup 16" (neutron DVR; bug-free tables are numbers
 * such as 3232238081 = 192.168.10.1). `table` is "" for rules without lookup (goto/nop/blackhole).
 */
export function parseIpRule(text: string): ParseResult<Rule[]> {
  const warnings: ParseWarning[] = [];
  const rules: Rule[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '') continue;
    const m = /^(\d+):\s*(.*)$/.exec(t);
    if (!m) {
      addWarning(warnings, i + 1, whyNotData(t, 'not a rule line'), raw);
      continue;
    }
    const rule: Rule = { priority: Number(m[1]), table: '', raw: t.replace(/\s+/g, ' ') };
    const words = splitWords(m[2]);
    for (let j = 0; j < words.length; j++) {
      const w = words[j];
      if (VALUE_KEYS.has(w) && j + 1 < words.length) {
        const v = words[++j];
        if (w === 'from') rule.from = v;
        else if (w === 'to') rule.to = v;
        else if (w === 'iif') rule.iif = v;
        else if (w === 'oif') rule.oif = v;
        else if (w === 'fwmark') rule.fwmark = v;
        else if (w === 'lookup' || w === 'table') rule.table = v;
        continue;
      }
      if (FLAG_WORDS.has(w)) continue;
      addWarning(warnings, i + 1, `unknown word in rule: ${w}`, raw);
    }
    rules.push(rule);
  }
  return { value: rules, warnings };
}
