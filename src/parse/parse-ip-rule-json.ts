import type { Rule } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning } from './lines';
import { num, parseJsonArray, previewJson, str } from './parse-json-array';

/**
 * `ip -j rule`: {"priority":57481,"src":"10.0.0.5","table":"16"}; src/dst carry srclen/dstlen
 * when not a host prefix; fwmark and fwmask are joined as the text form prints them ("0x4/0xffff").
 */
export function parseIpRuleJson(text: string): ParseResult<Rule[]> {
  const warnings: ParseWarning[] = [];
  const rules: Rule[] = [];
  parseJsonArray(text, warnings, 'ip -j rule').forEach((o, idx) => {
    const priority = num(o.priority);
    if (priority === undefined) {
      addWarning(warnings, 1, `ip -j rule: element ${idx} has no priority`, previewJson(o));
      return;
    }
    const rule: Rule = { priority, table: str(o.table) ?? '', raw: '' };
    const from = withLen(o.src, o.srclen);
    if (from !== undefined) rule.from = from;
    const to = withLen(o.dst, o.dstlen);
    if (to !== undefined) rule.to = to;
    const iif = str(o.iif);
    if (iif !== undefined) rule.iif = iif;
    const oif = str(o.oif);
    if (oif !== undefined) rule.oif = oif;
    const mark = str(o.fwmark);
    if (mark !== undefined) {
      const mask = str(o.fwmask);
      rule.fwmark = mask !== undefined && mask !== '0xffffffff' ? `${mark}/${mask}` : mark;
    }
    rule.raw = [
      `${priority}:`, o.not !== undefined ? 'not' : undefined, rule.from !== undefined ? `from ${rule.from}` : undefined,
      rule.to !== undefined ? `to ${rule.to}` : undefined, rule.fwmark !== undefined ? `fwmark ${rule.fwmark}` : undefined,
      iif !== undefined ? `iif ${iif}` : undefined, oif !== undefined ? `oif ${oif}` : undefined,
      rule.table !== '' ? `lookup ${rule.table}` : str(o.action),
    ].filter((p) => p !== undefined).join(' ');
    rules.push(rule);
  });
  return { value: rules, warnings };
}

function withLen(addr: unknown, len: unknown): string | undefined {
  const a = str(addr);
  if (a === undefined) return undefined;
  const l = num(len);
  return l !== undefined && a !== 'all' ? `${a}/${l}` : a;
}
