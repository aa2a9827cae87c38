import { parseKeepalivedProcesses, processesOfRouter } from '../parse/parse-keepalived-procs';
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
import { readNovaSections } from './nova-snapshot';
import { parseHaproxyStat } from '../parse/parse-haproxy';
import { readOvnSections } from './ovn-snapshot';

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

type Parse<T> = (text: string) => ParseResult<T>;

/** `ip -j …` output when it starts like JSON, else the text form. */
function jsonOrText<T>(json: Parse<T>, text: Parse<T>): Parse<T> {
  return (t) => (/^\s*[[{]/.test(t) ? json(t) : text(t));
}

/** The parser of each kind of section; a test may replace one (e.g. with one that throws). */
export const SECTION_PARSERS = {
  netns: parseIpNetns,
  addr: jsonOrText(parseIpAddrJson, parseIpAddr),
  route: jsonOrText(parseIpRouteJson, parseIpRoute),
  rule: jsonOrText(parseIpRuleJson, parseIpRule),
  neigh: jsonOrText(parseIpNeighJson, parseIpNeigh),
  iptables: parseIptablesSave,
  sysctl: parseSysctl,
  ovsdb: parseOvsDbJson,
  ovsShow: parseOvsVsctlShow,
  flows: parseOvsOfctlDumpFlows,
  keepalivedConf: parseKeepalivedConf,
  keepalivedState: parseKeepalivedState,
};
export type SectionParsers = typeof SECTION_PARSERS;

/**
 * Turn one node's raw sections into its NodeSnapshot. Pure: every parser warning is
 * returned with the node and section it came from; nothing is dropped silently.
 * A parser that throws is a bug, and it costs that section only (issue 8: a stack overflow in
 * one route parser used to drop the whole node): the section reads as absent/empty and a
 * warning names it; the node's other sections are kept.
 */
export function buildNodeSnapshot(
  node: string,
  roles: Role[],
  sections: RawSection[],
  parsers: SectionParsers = SECTION_PARSERS,
): { snapshot: NodeSnapshot; warnings: SectionWarning[] } {
  const warnings: SectionWarning[] = [];
  const bySection = new Map(sections.map((s) => [s.key, s]));
  const evidence: Record<string, string> = {};
  const partial: Record<string, string> = {};
  for (const s of sections) evidence[s.key] = evidenceId(node, s.key);

  /** Runs one section's parser; a throw becomes a warning naming the section and `undefined`. */
  const isolate = <T>(section: string, run: () => ParseResult<T>): T | undefined => {
    try {
      const result = run();
      for (const w of result.warnings) warnings.push({ ...w, node, section });
      return result.value;
    } catch (err) {
      const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      warnings.push({ node, section, line: 0, message: `parser failed, section ignored (haprobe bug): ${why.slice(0, 300)}` });
      return undefined;
    }
  };
  const take = <T>(key: string, parse: Parse<T>): T | undefined => {
    const section = bySection.get(key);
    if (!section || section.exitCode !== 0) return undefined;
    return isolate(key, () => {
      const result = parse(section.output);
      for (const w of result.warnings) {
        if (w.message === ELIDED && partial[key] === undefined) partial[key] = `${ELIDED} at line ${w.line}`;
      }
      return result;
    });
  };

  const readNamespace = (name: string): NamespaceSnapshot => {
    const addr = bySection.get(`addr:${name}`);
    const vanished = addr !== undefined && addr.exitCode !== 0 && VANISHED.test(addr.output);
    return {
      name,
      devices: take(`addr:${name}`, parsers.addr) ?? [],
      routes: take(`route:${name}`, parsers.route) ?? [],
      rules: take(`rule:${name}`, parsers.rule) ?? [],
      neighbours: take(`neigh:${name}`, parsers.neigh) ?? [],
      iptables: take(`iptables:${name}`, parsers.iptables),
      sysctls: take(`sysctl:${name}`, parsers.sysctl) ?? {},
      ...(vanished ? { vanished: true } : {}),
    };
  };

  const listed = take('netns', parsers.netns) ?? [];
  const namespaces = listed.map((ns) => readNamespace(ns.name));

  const ovsSections = ['ovsdb-bridge', 'ovsdb-port', 'ovsdb-interface'].map((k) => bySection.get(k));
  let ovs: NodeSnapshot['ovs'];
  if (ovsSections.every((s) => s && s.exitCode === 0)) {
    const [b, p, i] = ovsSections as RawSection[];
    ovs = isolate('ovsdb', () => parsers.ovsdb(b.output, p.output, i.output));
  } else if (bySection.has('ovs-show')) {
    ovs = take('ovs-show', parsers.ovsShow);
  }

  const flows: NodeSnapshot['flows'] = {};
  for (const s of sections) {
    if (!s.key.startsWith('flows:')) continue;
    const value = take(s.key, parsers.flows);
    if (value) flows[s.key.slice('flows:'.length)] = value;
  }

  const haRouters: HaRouterState[] = [];
  // issue 12: every keepalived process of the node, matched to routers by the config file it runs
  const procs = bySection.has('keepalived-procs') ? take('keepalived-procs', parseKeepalivedProcesses) : undefined;
  for (const s of sections) {
    if (!s.key.startsWith('keepalived-conf:')) continue;
    const routerId = s.key.slice('keepalived-conf:'.length);
    evidence[`keepalived:${routerId}`] = evidenceId(node, s.key);
    const pid = bySection.get(`keepalived-pid:${routerId}`);
    haRouters.push({
      routerId,
      config: take(s.key, parsers.keepalivedConf),
      state: take(`keepalived-state:${routerId}`, parsers.keepalivedState),
      keepalivedRunning: pid ? pid.exitCode === 0 && /running/.test(pid.output) : undefined,
    });
    const h = haRouters[haRouters.length - 1]!;
    if (pid && !h.keepalivedRunning) h.keepalivedDetail = pid.output.trim().split('\n').filter(Boolean).join('; ') || 'no pid file';
    if (procs) h.keepalivedProcesses = processesOfRouter(procs, routerId).map(({ pid: p, ppid, state }) => ({ pid: p, ppid, state }));
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

  const nova = readNovaSections((k) => bySection.has(k), take); // issue 9
  const ovn = readOvnSections((k) => bySection.has(k), take); // issue 11
  // issue 9 neutron-multinic-aa (multinic-script.ts)
  let multiNic: NodeSnapshot['multiNic'];
  const stat = bySection.has('haproxy-stat') ? take('haproxy-stat', parseHaproxyStat) : undefined;
  for (const s of sections) {
    const m = /^vm-(rule|route):(.+)$/.exec(s.key);
    if (!m) continue;
    multiNic ??= { instances: {} };
    const vm = (multiNic.instances[m[2]] ??= {});
    if (m[1] === 'rule') vm.rules = take(s.key, parsers.rule);
    else vm.routes = take(s.key, parsers.route);
  }
  if (stat) (multiNic ??= { instances: {} }).haproxyStat = stat;
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
    ...(nova ? { nova } : {}),
    ...(ovn ? { ovn } : {}),
    ...(multiNic ? { multiNic } : {}),
  };
  return { snapshot, warnings };
}
