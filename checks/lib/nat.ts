import type { IptablesRule, IptablesRuleset } from '../../src/model/types';
import { sameHost, stripPrefix } from './net';

/**
 * Accessors over iptables rules that work whether the parser filled the structured
 * fields or only `spec`. Chain names are matched on their unwrapped suffix
 * (`neutron-l3-agent-PREROUTING` → PREROUTING, ground-truth §0.5) so other binary names
 * (`neutron-vpn-agen-…`) are accepted.
 */
function specArg(spec: string, flag: string): { value: string; negated: boolean } | undefined {
  const re = new RegExp(`(^|\\s)(!\\s+)?${flag.replace(/[-]/g, '\\-')}\\s+(\\S+)`);
  const m = re.exec(spec);
  return m ? { value: m[3]!.replace(/^"|"$/g, ''), negated: m[2] !== undefined } : undefined;
}

export function ruleTarget(r: IptablesRule): string | undefined {
  return r.target ?? specArg(r.spec, '-j')?.value;
}

export function ruleDestination(r: IptablesRule): string | undefined {
  return r.destination ?? specArg(r.spec, '-d')?.value;
}

export function ruleSource(r: IptablesRule): string | undefined {
  return r.source ?? specArg(r.spec, '-s')?.value;
}

export function ruleInIface(r: IptablesRule): { value: string; negated: boolean } | undefined {
  if (r.inIface !== undefined) return { value: r.inIface, negated: r.negated?.inIface === true };
  return specArg(r.spec, '-i');
}

export function ruleOutIface(r: IptablesRule): { value: string; negated: boolean } | undefined {
  if (r.outIface !== undefined) return { value: r.outIface, negated: r.negated?.outIface === true };
  return specArg(r.spec, '-o');
}

/** --to-destination / --to-source / --to value without a port suffix */
export function ruleTo(r: IptablesRule): string | undefined {
  const raw =
    r.toAddress ??
    specArg(r.spec, '--to-destination')?.value ??
    specArg(r.spec, '--to-source')?.value ??
    specArg(r.spec, '--to-ports')?.value ??
    specArg(r.spec, '--to')?.value;
  if (raw === undefined) return undefined;
  // "1.2.3.4:1024-65535" → "1.2.3.4"; a bare port ("9697") stays as it is
  return /^\d+\.\d+\.\d+\.\d+:/.test(raw) ? raw.slice(0, raw.indexOf(':')) : raw;
}

export function inChain(r: IptablesRule, chain: string): boolean {
  return r.chain === chain || r.chain.endsWith(`-${chain}`);
}

/** chain 'snat' must not match '…-float-snat' */
export function inSnatChain(r: IptablesRule): boolean {
  return (r.chain === 'snat' || r.chain.endsWith('-snat')) && !r.chain.endsWith('float-snat');
}

export function natRules(rs: IptablesRuleset | undefined): IptablesRule[] {
  return (rs?.rules ?? []).filter((r) => r.table === 'nat');
}

export const METADATA_IP = '169.254.169.254';

/** DNAT rules for one floating IP in a wrapped chain (PREROUTING or OUTPUT) */
export function dnatRulesFor(rules: IptablesRule[], chain: 'PREROUTING' | 'OUTPUT', fip: string): IptablesRule[] {
  return rules.filter((r) => inChain(r, chain) && ruleTarget(r) === 'DNAT' && sameHost(ruleDestination(r), fip));
}

/** float-snat SNAT rules of one fixed IP */
export function floatSnatRulesFor(rules: IptablesRule[], fixed: string): IptablesRule[] {
  return rules.filter((r) => r.chain.endsWith('float-snat') && ruleTarget(r) === 'SNAT' && sameHost(ruleSource(r), fixed));
}

/** every (floating, fixed) pair found in PREROUTING DNAT rules, metadata excluded */
export function dnatPairs(rules: IptablesRule[]): { floatingIp: string; fixedIp: string; rule: IptablesRule }[] {
  const out: { floatingIp: string; fixedIp: string; rule: IptablesRule }[] = [];
  for (const r of rules) {
    if (!inChain(r, 'PREROUTING') || ruleTarget(r) !== 'DNAT') continue;
    const d = ruleDestination(r);
    const to = ruleTo(r);
    if (!d || !to || stripPrefix(d) === METADATA_IP) continue;
    if (d.includes('/') && !d.endsWith('/32')) continue;
    out.push({ floatingIp: stripPrefix(d), fixedIp: stripPrefix(to), rule: r });
  }
  return out;
}

/** every (fixed, floating) pair found in float-snat SNAT rules */
export function floatSnatPairs(rules: IptablesRule[]): { floatingIp: string; fixedIp: string; rule: IptablesRule }[] {
  const out: { floatingIp: string; fixedIp: string; rule: IptablesRule }[] = [];
  for (const r of rules) {
    if (!r.chain.endsWith('float-snat') || ruleTarget(r) !== 'SNAT') continue;
    const s = ruleSource(r);
    const to = ruleTo(r);
    if (!s || !to) continue;
    out.push({ floatingIp: stripPrefix(to), fixedIp: stripPrefix(s), rule: r });
  }
  return out;
}

/**
 * Release family guessed from the rule forms (ground-truth §1c "Historical rule forms"):
 * `--to` without /32 → juno-kilo; `! -i qg- ! -o qg-` POSTROUTING → liberty-stein (pre bug
 * 1834825 fix); `--random-fully` → train+; otherwise liberty+ (no random-fully: old
 * iptables or before the bug 1814002 backports).
 */
export function guessReleaseFamily(rules: IptablesRule[]): 'juno-kilo' | 'liberty-stein' | 'train+' | 'liberty+' | 'unknown' {
  const nat = rules.filter((r) => r.table === 'nat' || r.table === undefined);
  const fipRules = nat.filter((r) => ruleTarget(r) === 'DNAT' || (r.chain.endsWith('float-snat') && ruleTarget(r) === 'SNAT'));
  if (fipRules.some((r) => /\s--to\s/.test(` ${r.spec} `) && !/\/32/.test(r.spec))) return 'juno-kilo';
  const post = nat.find((r) => inChain(r, 'POSTROUTING') && ruleTarget(r) === 'ACCEPT' && /ctstate DNAT/.test(r.spec));
  if (post && ruleInIface(post)?.negated) return 'liberty-stein';
  if (nat.some((r) => r.spec.includes('--random-fully'))) return 'train+';
  if (nat.length === 0) return 'unknown';
  return 'liberty+';
}
