import type { ParseResult } from '../../src/parse/types';
import {
  parseArpN, parseIpAddr, parseIpNeigh, parseIpNetns, parseIpRoute, parseIpRule, parseIptablesList, parseIptablesS,
  parseIptablesSave, parseKeepalivedConf, parseOpenstackTable, parseOvsAppctlFdbShow, parseOvsOfctlDumpFlows,
  parseOvsVsctlShow,
} from '../../src/parse';

/** Corpus folders whose every file must be claimed by a parser (or listed in NO_PARSER). */
export const CORPUS_FOLDERS = ['netns', 'ns-addr-route', 'iptables', 'ovs-flows', 'neigh-fdb', 'l3ha', 'openstack-cli'];

export interface CorpusParser {
  name: string;
  parse: (text: string) => ParseResult<unknown>;
}

/**
 * Which parser reads a corpus file, decided from the command in its first `#what:` line
 * (the text before " ; "). Order matters: the first matching rule wins.
 */
export const PARSER_BY_COMMAND: { command: RegExp; parser: CorpusParser }[] = [
  { command: /\bip netns( list)?$/, parser: { name: 'parseIpNetns', parse: parseIpNetns } },
  { command: /\bip (-d )?(addr|a)\b/, parser: { name: 'parseIpAddr', parse: parseIpAddr } },
  { command: /\bip (-d )?route\b/, parser: { name: 'parseIpRoute', parse: parseIpRoute } },
  { command: /\bip rule\b/, parser: { name: 'parseIpRule', parse: parseIpRule } },
  { command: /\bip nei(gh)?\b/, parser: { name: 'parseIpNeigh', parse: parseIpNeigh } },
  { command: /\barp -n\b/, parser: { name: 'parseArpN', parse: parseArpN } },
  { command: /\biptables-save\b/, parser: { name: 'parseIptablesSave', parse: parseIptablesSave } },
  { command: /\biptables\b.*(-t nat -S|-S -t nat)/, parser: { name: 'parseIptablesS(nat)', parse: (t) => parseIptablesS(t, 'nat') } },
  { command: /\biptables\b.*-S\b/, parser: { name: 'parseIptablesS', parse: (t) => parseIptablesS(t, 'filter') } },
  { command: /\biptables\b.*-t nat -L\b/, parser: { name: 'parseIptablesList(nat)', parse: (t) => parseIptablesList(t, 'nat') } },
  { command: /\biptables\b.*-L\b/, parser: { name: 'parseIptablesList', parse: (t) => parseIptablesList(t, 'filter') } },
  { command: /\bovs-vsctl show\b/, parser: { name: 'parseOvsVsctlShow', parse: parseOvsVsctlShow } },
  { command: /\bovs-ofctl dump-flows\b/, parser: { name: 'parseOvsOfctlDumpFlows', parse: parseOvsOfctlDumpFlows } },
  { command: /\bovs-appctl fdb\/show\b/, parser: { name: 'parseOvsAppctlFdbShow', parse: parseOvsAppctlFdbShow } },
  { command: /^keepalived\.conf\b/, parser: { name: 'parseKeepalivedConf', parse: parseKeepalivedConf } },
  { command: /^(sudo )?(openstack|neutron) /, parser: { name: 'parseOpenstackTable', parse: parseOpenstackTable } },
];

/** Corpus files of those folders that no parser of this package reads, with the reason. */
export const NO_PARSER: Record<string, string> = {
  'ovs-flows/opsguide-ovs-ofctl-show-br-int.txt': '`ovs-ofctl show` (port table) has no parser in the contract',
  'l3ha/keepalived-syslog-neutron-ha-router-master-transition-garp.txt': 'syslog, not a command output (parseKeepalivedSyslog: no)',
};

/** The command part of a corpus header: first `#what:` line up to " ; ". */
export function commandOfHeader(header: string[]): string {
  const what = header.find((h) => h.startsWith('what:'));
  return what === undefined ? '' : what.slice('what:'.length).split(' ; ')[0].trim();
}

export function parserForCommand(command: string): CorpusParser | undefined {
  return PARSER_BY_COMMAND.find((r) => r.command.test(command))?.parser;
}
