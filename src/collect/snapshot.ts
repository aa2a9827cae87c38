import { processesOfRouter } from '../parse/parse-keepalived-procs';
import type { Role, NamespaceSnapshot, NodeSnapshot, HaRouterState } from '../model/types';
import type { ParseResult, ParseWarning } from '../parse/types';
import type { RawSection } from './sections';
import { readNovaSections } from './nova-snapshot';
import { readOvnSections } from './ovn-snapshot';
import { OVSDB_TABLE_KEYS, SECTION_CATALOGUE as C, parseOvsdbTables, sectionKeyOf } from './catalogue';

/** the scope value of a scoped key of `row` (`flows:br-int` → br-int), undefined for another row's key */
function scopeOf(row: { key: string }, key: string): string | undefined {
  return key.startsWith(`${row.key}:`) ? key.slice(row.key.length + 1) : undefined;
}

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

/**
 * The parser of each kind of section, from the catalogue (catalogue.ts); a test may replace one
 * (e.g. with one that throws).
 */
export const SECTION_PARSERS = {
  netns: C.netns.parse,
  addr: C.addr.parse,
  route: C.route.parse,
  rule: C.rule.parse,
  neigh: C.neigh.parse,
  iptables: C.iptables.parse,
  sysctl: C.sysctl.parse,
  ovsdb: parseOvsdbTables,
  ovsShow: C.ovsShow.parse,
  flows: C.flows.parse,
  keepalivedConf: C.keepalivedConf.parse,
  keepalivedState: C.keepalivedState.parse,
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
    const key = (row: { key: string; scope: 'namespace' }): string => sectionKeyOf(row, name);
    const addr = bySection.get(key(C.addr));
    const vanished = addr !== undefined && addr.exitCode !== 0 && VANISHED.test(addr.output);
    return {
      name,
      devices: take(key(C.addr), parsers.addr) ?? [],
      routes: take(key(C.route), parsers.route) ?? [],
      rules: take(key(C.rule), parsers.rule) ?? [],
      neighbours: take(key(C.neigh), parsers.neigh) ?? [],
      iptables: take(key(C.iptables), parsers.iptables),
      sysctls: take(key(C.sysctl), parsers.sysctl) ?? {},
      ...(vanished ? { vanished: true } : {}),
    };
  };

  const listed = take(C.netns.key, parsers.netns) ?? [];
  const namespaces = listed.map((ns) => readNamespace(ns.name));

  const ovsSections = OVSDB_TABLE_KEYS.map((k) => bySection.get(k));
  let ovs: NodeSnapshot['ovs'];
  if (ovsSections.every((s) => s && s.exitCode === 0)) {
    const [b, p, i] = ovsSections as RawSection[];
    ovs = isolate(C.ovsdb.key, () => parsers.ovsdb(b.output, p.output, i.output));
  } else if (bySection.has(C.ovsShow.key)) {
    ovs = take(C.ovsShow.key, parsers.ovsShow);
  }

  const flows: NodeSnapshot['flows'] = {};
  for (const s of sections) {
    const bridge = scopeOf(C.flows, s.key);
    if (bridge === undefined) continue;
    const value = take(s.key, parsers.flows);
    if (value) flows[bridge] = value;
  }

  const haRouters: HaRouterState[] = [];
  // issue 12: every keepalived process of the node, matched to routers by the config file it runs
  const procs = bySection.has(C.keepalivedProcs.key) ? take(C.keepalivedProcs.key, C.keepalivedProcs.parse) : undefined;
  for (const s of sections) {
    const routerId = scopeOf(C.keepalivedConf, s.key);
    if (routerId === undefined) continue;
    evidence[`keepalived:${routerId}`] = evidenceId(node, s.key);
    const pid = bySection.get(sectionKeyOf(C.keepalivedPid, routerId));
    // read whatever its exit status: a failed pidcheck says why keepalived is not running
    const pidCheck = pid ? C.keepalivedPid.parse(pid.output).value : undefined;
    haRouters.push({
      routerId,
      config: take(s.key, parsers.keepalivedConf),
      state: take(sectionKeyOf(C.keepalivedState, routerId), parsers.keepalivedState),
      keepalivedRunning: pid ? pid.exitCode === 0 && pidCheck!.saysRunning : undefined,
    });
    const h = haRouters[haRouters.length - 1]!;
    if (pid && !h.keepalivedRunning) h.keepalivedDetail = pidCheck!.detail || 'no pid file';
    if (procs) h.keepalivedProcesses = processesOfRouter(procs, routerId).map(({ pid: p, ppid, state }) => ({ pid: p, ppid, state }));
  }

  // the versions section is read whatever its exit status (a missing tool is a line of it)
  const versions = C.versions.parse(bySection.get(C.versions.key)?.output ?? '').value;
  // only when read: a snapshot without versions (published outputs) does not know which tools are missing
  if (bySection.has(C.versions.key)) evidence[C.versions.evidence] = evidenceId(node, C.versions.key);
  // the checks ask for `ovs-vsctl`: the Interface table when read, else `ovs-vsctl show`
  const ovsRead = [C.ovsdbInterface.key, C.ovsShow.key].find((k) => bySection.has(k));
  if (ovsRead) evidence[C.ovsShow.evidence] = evidenceId(node, ovsRead);

  const nova = readNovaSections((k) => bySection.has(k), take); // issue 9
  const ovn = readOvnSections((k) => bySection.has(k), take); // issue 11
  // issue 9 neutron-multinic-aa (multinic-script.ts)
  let multiNic: NodeSnapshot['multiNic'];
  const stat = bySection.has(C.haproxyStat.key) ? take(C.haproxyStat.key, C.haproxyStat.parse) : undefined;
  for (const s of sections) {
    const ruleOf = scopeOf(C.vmRule, s.key);
    const routeOf = scopeOf(C.vmRoute, s.key);
    const name = ruleOf ?? routeOf;
    if (!name) continue;
    multiNic ??= { instances: {} };
    const vm = (multiNic.instances[name] ??= {});
    if (ruleOf) vm.rules = take(s.key, parsers.rule);
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
