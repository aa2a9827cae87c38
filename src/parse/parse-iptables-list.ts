import type { IptablesChain, IptablesRule, IptablesRuleset } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning, splitLines, splitWords, whyNotData } from './lines';

/** The "opt" column: "--", "-f", "!f" (fragments), nft backend may print "--" only. */
const OPT_RE = /^(--|-f|!f)$/;

/**
 * `iptables -L -n [-v] [--line-numbers] [-t TABLE]` listing, best effort: target, prot, in, out,
 * source, destination become fields ("any" values 0.0.0.0/0, ::/0, all, *, 0 are left unset;
 * a leading "!" marks negation); the free text after destination is `spec`. NAT targets'
 * "to:X" / "redir ports N" fill toAddress, "/* … *\/" fills comment.
 */
export function parseIptablesList(text: string, table = 'filter'): ParseResult<IptablesRuleset> {
  const warnings: ParseWarning[] = [];
  const chains: IptablesChain[] = [];
  const rules: IptablesRule[] = [];
  let chain: string | undefined;
  let columns: string[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '') continue;
    const c = /^Chain\s+(\S+)\s*(?:\((.*)\))?/.exec(t);
    if (c) {
      chain = c[1];
      const ch: IptablesChain = { table, name: chain };
      const pol = c[2] ? /^policy\s+(\S+)/.exec(c[2]) : null;
      if (pol) ch.policy = pol[1];
      chains.push(ch);
      columns = [];
      continue;
    }
    const words = splitWords(t);
    if (words.includes('target') && words.includes('destination')) {
      columns = words;
      continue;
    }
    if (!chain || columns.length === 0) {
      const why = whyNotData(t, 'line outside a chain listing');
      addWarning(warnings, i + 1, why, raw);
      continue;
    }
    const rule = parseListingRow(raw, words, columns, table, chain);
    if (rule) rules.push(rule);
    else addWarning(warnings, i + 1, 'not a rule row', raw);
  }
  return { value: { chains, rules }, warnings };
}

function parseListingRow(raw: string, words: string[], columns: string[], table: string, chain: string): IptablesRule | undefined {
  const targetCol = columns.indexOf('target');
  // the opt column anchors the row: the target may be empty (rule without -j)
  let opt = -1;
  for (let k = targetCol; k < words.length && k <= targetCol + 2; k++) {
    if (OPT_RE.test(words[k])) {
      opt = k;
      break;
    }
  }
  if (opt < 1 || targetCol < 0) return undefined;
  const target = opt - targetCol === 2 ? words[targetCol] : undefined;
  const prot = words[opt - 1];
  const after = columns.slice(columns.indexOf('opt') + 1); // in out source destination | source destination
  const need = after.length;
  if (words.length < opt + 1 + need) return undefined;
  const vals: Record<string, string> = {};
  after.forEach((name, k) => (vals[name] = words[opt + 1 + k]));
  const extra = restAfterWords(raw, opt + 1 + need);
  const rule: IptablesRule = { table, chain, spec: extra };
  if (target !== undefined) rule.target = target;
  if (prot !== 'all' && prot !== '0') rule.protocol = nameProtocol(prot);
  setField(rule, 'source', vals.source, ['0.0.0.0/0', '::/0']);
  setField(rule, 'destination', vals.destination, ['0.0.0.0/0', '::/0']);
  setField(rule, 'inIface', vals.in, ['*']);
  setField(rule, 'outIface', vals.out, ['*']);
  const to = /(?:^|\s)to:(\S+)/.exec(extra) ?? /redir ports (\S+)/.exec(extra) ?? /masq ports: (\S+)/.exec(extra);
  if (to) rule.toAddress = to[1];
  const comment = commentOf(extra);
  if (comment !== undefined) rule.comment = comment;
  return rule;
}

/**
 * Protocol numbers as `iptables -S` and iptables-save name them (/etc/protocols names, as
 * getprotobynumber gives them). iptables ≥ 1.8 with -n lists `6` where -S says `tcp` (issue 15:
 * 9506's Caracal `iptables -n -t nat -L`); rules must compare equal whichever command read them.
 */
const PROTOCOL_NAMES: Record<string, string> = {
  '1': 'icmp', '2': 'igmp', '4': 'ipencap', '6': 'tcp', '17': 'udp', '41': 'ipv6', '47': 'gre', '50': 'esp',
  '51': 'ah', '58': 'ipv6-icmp', '112': 'vrrp', '132': 'sctp', '136': 'udplite',
};

/** A listed protocol as -S writes it: known numbers named, names and unknown numbers as given. */
export function nameProtocol(prot: string): string {
  const neg = prot.startsWith('!') ? '!' : '';
  const p = prot.slice(neg.length);
  return neg + (PROTOCOL_NAMES[p] ?? p);
}

/**
 * "/* text *\/" in the rule's rest, found with indexOf: the former lazy regex rescanned the line
 * from every "/* " and was quadratic (a line of 10k "/* " took 0.8 s; issue 8). Same result:
 * the first opening, and the first closing after it.
 */
function commentOf(extra: string): string | undefined {
  const start = extra.indexOf('/* ');
  if (start < 0) return undefined;
  const end = extra.indexOf(' */', start + 3);
  return end < 0 ? undefined : extra.slice(start + 3, end);
}

function setField(
  rule: IptablesRule,
  field: 'source' | 'destination' | 'inIface' | 'outIface',
  v: string | undefined,
  any: string[],
): void {
  if (v === undefined || any.includes(v)) return;
  if (v.startsWith('!')) {
    rule[field] = v.slice(1);
    rule.negated = { ...(rule.negated ?? {}), [field]: true };
  } else rule[field] = v;
}

/** The text after the first n words of a line, blanks collapsed. */
function restAfterWords(line: string, n: number): string {
  const re = /[^ \t]+/g;
  let count = 0;
  let m: RegExpExecArray | null;
  while (count < n && (m = re.exec(line)) !== null) count++;
  return line.slice(re.lastIndex).trim().replace(/\s+/g, ' ');
}
