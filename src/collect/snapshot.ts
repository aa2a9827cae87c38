import type { Role, NamespaceSnapshot, NodeSnapshot, HaRouterState } from '../model/types';
import type { ParseResult, ParseWarning } from '../parse/types';
import type { RawSection } from './sections';
import {
  parseIpNetns,
  parseIpAddr,
  parseIpAddrJson,
  parseIpRoute,
  parseIpRouteJson,
  parseIpRule,
  parseIpRuleJson,
  parseIpNeigh,
  parseIpNeighJson,
  parseIptablesSave,
  parseSysctl,
  parseOvsDbJson,
  parseOvsVsctlShow,
  parseOvsOfctlDumpFlows,
  parseKeepalivedConf,
  parseKeepalivedState,
} from '../parse';

export interface SectionWarning extends ParseWarning {
  node: string;
  section: string;
}

/** Evidence id of a section: stable and readable, unique within a run. */
export function evidenceId(node: string, key: string): string {
  return `${node}/${key}`;
}

/** the parsers' warning for a publisher's "..." / "(...)" line (src/parse/lines.ts): the section is partial */
export const ELIDED = 'elided output';

const VANISHED = /Cannot open network namespace|No such file or directory/;

/**
 * Turn one node's raw sections into its NodeSnapshot. Pure: every parser warning is
 * returned with the node and section it came from; nothing is dropped silently.
 */
export function buildNodeSnapshot(
  node: string,
  roles: Role[],
  sections: RawSection[],
): { snapshot: NodeSnapshot; warnings: SectionWarning[] } {
  const warnings: SectionWarning[] = [];
  const bySection = new Map(sections.map((s) => [s.key, s]));
  const evidence: Record<string, string> = {};
  const partial: Record<string, string> = {};
  for (const s of sections) evidence[s.key] = evidenceId(node, s.key);

  const take = <T>(key: string, parse: (text: string) => ParseResult<T>): T | undefined => {
    const section = bySection.get(key);
    if (!section || section.exitCode !== 0) return undefined;
    const result = parse(section.output);
    for (const w of result.warnings) {
      warnings.push({ ...w, node, section: key });
      if (w.message === ELIDED && partial[key] === undefined) partial[key] = `${ELIDED} at line ${w.line}`;
    }
    return result.value;
  };
  const jsonOrText = <T>(json: (t: string) => ParseResult<T>, text: (t: string) => ParseResult<T>) =>
    (t: string): ParseResult<T> => (/^\s*[[{]/.test(t) ? json(t) : text(t));

  const readNamespace = (name: string): NamespaceSnapshot => {
    const addr = bySection.get(`addr:${name}`);
    const vanished = addr !== undefined && addr.exitCode !== 0 && VANISHED.test(addr.output);
    return {
      name,
      devices: take(`addr:${name}`, jsonOrText(parseIpAddrJson, parseIpAddr)) ?? [],
      routes: take(`route:${name}`, jsonOrText(parseIpRouteJson, parseIpRoute)) ?? [],
      rules: take(`rule:${name}`, jsonOrText(parseIpRuleJson, parseIpRule)) ?? [],
      neighbours: take(`neigh:${name}`, jsonOrText(parseIpNeighJson, parseIpNeigh)) ?? [],
      iptables: take(`iptables:${name}`, parseIptablesSave),
      sysctls: take(`sysctl:${name}`, parseSysctl) ?? {},
      ...(vanished ? { vanished: true } : {}),
    };
  };

  const listed = take('netns', parseIpNetns) ?? [];
  const namespaces = listed.map((ns) => readNamespace(ns.name));

  const ovsSections = ['ovsdb-bridge', 'ovsdb-port', 'ovsdb-interface'].map((k) => bySection.get(k));
  let ovs: NodeSnapshot['ovs'];
  if (ovsSections.every((s) => s && s.exitCode === 0)) {
    const [b, p, i] = ovsSections as RawSection[];
    const result = parseOvsDbJson(b.output, p.output, i.output);
    for (const w of result.warnings) warnings.push({ ...w, node, section: 'ovsdb' });
    ovs = result.value;
  } else if (bySection.has('ovs-show')) {
    ovs = take('ovs-show', parseOvsVsctlShow);
  }

  const flows: NodeSnapshot['flows'] = {};
  for (const s of sections) {
    if (!s.key.startsWith('flows:')) continue;
    const value = take(s.key, parseOvsOfctlDumpFlows);
    if (value) flows[s.key.slice('flows:'.length)] = value;
  }

  const haRouters: HaRouterState[] = [];
  for (const s of sections) {
    if (!s.key.startsWith('keepalived-conf:')) continue;
    const routerId = s.key.slice('keepalived-conf:'.length);
    evidence[`keepalived:${routerId}`] = evidenceId(node, s.key);
    const pid = bySection.get(`keepalived-pid:${routerId}`);
    haRouters.push({
      routerId,
      config: take(s.key, parseKeepalivedConf),
      state: take(`keepalived-state:${routerId}`, parseKeepalivedState),
      keepalivedRunning: pid ? pid.exitCode === 0 && /running/.test(pid.output) : undefined,
    });
  }

  const versions: Record<string, string> = {};
  for (const line of (bySection.get('versions')?.output ?? '').split('\n')) {
    const m = /^([a-z0-9]+): (.*)$/.exec(line);
    if (m && m[2].trim() !== '') versions[m[1]] = m[2].trim();
  }
  // only when read: a snapshot without versions (published outputs) does not know which tools are missing
  if (bySection.has('versions')) evidence.versions = evidenceId(node, 'versions');
  if (bySection.has('ovsdb-interface') || bySection.has('ovs-show')) {
    evidence['ovs-vsctl'] = evidenceId(node, bySection.has('ovsdb-interface') ? 'ovsdb-interface' : 'ovs-show');
  }

  const snapshot: NodeSnapshot = {
    node,
    roles,
    namespaces,
    root: readNamespace(''),
    ovs,
    flows,
    haRouters,
    versions,
    evidence,
    ...(Object.keys(partial).length > 0 ? { partial } : {}),
  };
  return { snapshot, warnings };
}
