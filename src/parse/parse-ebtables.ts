import type { EbtablesRuleset } from '../model/nova-types';
import { addWarning, splitLines } from './lines';
import type { ParseResult, ParseWarning } from './types';

/**
 * The bridge firewall as `ebtables-save` prints it (legacy and nft: `*<table>`, `:<CHAIN> <policy>`,
 * `-A <CHAIN> <rule>`, `#` comments) or as `ebtables -t <table> -L` lists it (`Bridge table: filter`,
 * `Bridge chain: INPUT, entries: 1, policy: ACCEPT`, then one rule per line). Either shape, detected
 * per line; pure and total: anything else is a warning with its line number.
 */
export function parseEbtables(text: string): ParseResult<EbtablesRuleset> {
  const warnings: ParseWarning[] = [];
  const value: EbtablesRuleset = { chains: [], rules: [] };
  let table = 'filter';
  let listChain: string | undefined;
  splitLines(text).forEach((raw, i) => {
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    let m: RegExpExecArray | null;
    if ((m = /^\*(\S+)$/.exec(t)) || (m = /^Bridge table: (\S+)$/.exec(t))) {
      table = m[1]!;
      listChain = undefined;
    } else if ((m = /^:(\S+)(?:\s+(\S+))?$/.exec(t))) {
      value.chains.push({ table, chain: m[1]!, ...(m[2] ? { policy: m[2] } : {}) });
    } else if ((m = /^Bridge chain: ([^,\s]+)(?:, entries: \d+)?(?:, policy: (\S+))?$/.exec(t))) {
      listChain = m[1]!;
      value.chains.push({ table, chain: listChain, ...(m[2] ? { policy: m[2] } : {}) });
    } else if ((m = /^-A (\S+) (.*)$/.exec(t))) {
      value.rules.push({ table, chain: m[1]!, spec: m[2]!.trim() });
    } else if (listChain !== undefined && t.startsWith('-')) {
      value.rules.push({ table, chain: listChain, spec: t });
    } else if (t !== 'COMMIT') {
      addWarning(warnings, i + 1, 'not an ebtables table, chain or rule line', raw);
    }
  });
  return { value, warnings };
}

/**
 * The options of one rule as a map with ebtables' aliases folded (`--ip-protocol`/`--ip-proto`,
 * `--ip-destination-port`/`--ip-dport`, `-i`/`--in-interface`/`--in-if` …), values lower-cased
 * and host masks dropped (`10.0.0.1/32` = `10.0.0.1`); `!` before an option becomes `!` before its value.
 */
const OPTION_ALIASES: Record<string, string> = {
  '-p': 'proto', '--protocol': 'proto', '-i': 'in', '--in-interface': 'in', '--in-if': 'in', '-o': 'out', '--out-interface': 'out', '--out-if': 'out',
  '--logical-in': 'logical-in', '--logical-out': 'logical-out', '-j': 'jump', '--jump': 'jump',
  '--ip-protocol': 'ip-proto', '--ip-proto': 'ip-proto', '--ip-destination-port': 'ip-dport', '--ip-dport': 'ip-dport',
  '--ip-source-port': 'ip-sport', '--ip-sport': 'ip-sport', '--ip-source': 'ip-src', '--ip-src': 'ip-src', '--ip-destination': 'ip-dst', '--ip-dst': 'ip-dst',
  '--arp-ip-dst': 'arp-ip-dst', '--arp-ip-src': 'arp-ip-src',
};

/** protocol names ebtables prints by name or number */
const PROTO_NAMES: Record<string, string> = { '0x0806': 'arp', '0x0800': 'ipv4', '17': 'udp', '6': 'tcp' };

export function ebtablesRuleOptions(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  const w = spec.split(/\s+/).filter(Boolean);
  let negate = false;
  for (let i = 0; i < w.length; i++) {
    if (w[i] === '!') {
      negate = true;
      continue;
    }
    const key = OPTION_ALIASES[w[i]!] ?? (w[i]!.startsWith('-') ? w[i]!.replace(/^-+/, '') : undefined);
    if (key === undefined) continue;
    let v = (w[i + 1] ?? '').toLowerCase().replace(/\/(32|255\.255\.255\.255)$/, '');
    v = PROTO_NAMES[v] ?? v;
    out[key] = (negate ? '!' : '') + v;
    negate = false;
    i++;
  }
  return out;
}
