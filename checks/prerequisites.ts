import type { Check, CheckContext, CheckOutcome, Subject } from '../src/engine/types';
import type { NamespaceSnapshot, NodeSnapshot } from '../src/model/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome, type OutcomeBuilder } from './lib/finding';
import { devicesWithPrefix, liveNamespaces } from './lib/lookup';
import { isHaMode, observed, routerMode } from './lib/mode';
import { namespaceKind, routerIdFromNamespace } from './lib/names';
import { haNonlocalBind, releaseLabel, releaseOf, routerArpSysctls, stateChangeDaemonGarps, stateChangeGarpBroken } from './lib/release';

/**
 * Node prerequisites for G-ARP and routing:
 * - sysctls every router namespace gets (ground-truth §1b; arp_* since Pike, lp#1692007),
 *   ip_nonlocal_bind in HA namespaces per release (§2b: 0 Ocata–Zed, 1 since 2023.1),
 *   proxy_arp on fg- (§3b);
 * - keepalived ≥ 1.2.20, which G-ARPs on SIGHUP (lp#1639315);
 * - arping from iputils: the Debian `arping` package (Thomas Habets) sends `who-has X tell <own ip>`,
 *   not a G-ARP (DESIGN.md lab notes).
 * params.ipNonlocalBind: "0" | "1" | "any" overrides the release table.
 */
function sysctl(ns: NamespaceSnapshot, key: string): string | undefined {
  const v = ns.sysctls[key] ?? ns.sysctls[key.replace(/\./g, '/')];
  return v?.trim();
}

function nonlocalExpectation(params: Record<string, unknown>, release: string | undefined): string | undefined {
  const p = params['ipNonlocalBind'];
  if (p === '0' || p === '1' || p === 0 || p === 1) return String(p);
  if (p === 'any') return undefined;
  return haNonlocalBind(release);
}

/** a `versions` line that says the tool is not on the host ("sh: 1: keepalived: not found") */
const isAbsent = (v: string | undefined): boolean => v !== undefined && /not found|No such file/i.test(v);

/**
 * Containerised agents (kolla, TripleO): neutron's keepalived, arping and iptables run inside
 * containers, so the host's binaries (or their absence) say nothing about them. `containers` is the
 * collector's list of running neutron/keepalived containers (docker or podman).
 */
function agentContainers(node: NodeSnapshot): string | undefined {
  const c = node.versions['containers']?.trim();
  return c ? c : undefined;
}

function versionAtLeast(text: string, min: [number, number, number]): boolean | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  const v = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  for (let i = 0; i < 3; i++) if (v[i]! !== min[i]) return v[i]! > min[i]!;
  return true;
}

function judgeSysctls(out: OutcomeBuilder, node: NodeSnapshot, ns: NamespaceSnapshot, want: [string, string][]): void {
  const subject = out.look({ node: node.node, namespace: ns.name });
  const ev = evidenceFor(node, [`sysctl:${ns.name}`]);
  if (Object.keys(ns.sysctls).length === 0) {
    out.warn(subject, { message: `sysctls of ${ns.name} on ${node.node} were not collected`, expected: want.map(([k, v]) => `${k}=${v}`).join(', '), actual: 'not collected', evidence: ev });
    return;
  }
  for (const [key, value] of want) {
    const got = sysctl(ns, key);
    if (got === undefined) out.warn(subject, { message: `${key} not collected in ${ns.name} on ${node.node}`, expected: `${key} = ${value}`, actual: 'not collected', evidence: ev });
    else if (got !== value) out.fail(subject, { message: `${key} is ${got} in ${ns.name} on ${node.node}`, expected: `${key} = ${value}`, actual: `${key} = ${got}`, evidence: ev });
  }
}

/**
 * keepalived < 1.2.20 sends no G-ARP on SIGHUP, so a floating IP associated on a running primary is
 * not announced (lp#1639315) — unless neutron-keepalived-state-change sends them (Ocata–Victoria,
 * backported to Mitaka/Newton; broken in Train, lp#1870313): release.ts stateChangeDaemonGarps.
 */
function judgeKeepalived(out: OutcomeBuilder, subject: Subject, node: NodeSnapshot, release: string | undefined, containers: string | undefined, ev: string[]): void {
  const k = node.versions['keepalived'];
  const want = 'keepalived >= 1.2.20';
  if (containers && (k === undefined || isAbsent(k))) {
    out.skip(subject, { message: `keepalived not judged on ${node.node}: no keepalived on the host, neutron's agents run in containers (${containers})`, expected: `${want} in the L3 agent containers`, actual: k ?? 'not collected', evidence: ev });
    return;
  }
  if (k === undefined) {
    out.warn(subject, { message: `keepalived version of ${node.node} was not collected`, expected: want, actual: 'unknown', evidence: ev });
    return;
  }
  const ok = versionAtLeast(k, [1, 2, 20]);
  if (ok === undefined) {
    out.warn(subject, { message: `keepalived version "${k}" of ${node.node} not understood`, expected: want, actual: k, evidence: ev });
    return;
  }
  if (ok) return;
  const where = containers ? ` (host binary; the agents run in containers: ${containers}, whose keepalived may differ)` : '';
  const input = { message: `keepalived ${k} on ${node.node} sends no G-ARP on reload (lp#1639315)${where}`, expected: want, actual: k, evidence: ev };
  const daemon = stateChangeDaemonGarps(release);
  if (daemon === 'no' && !containers) out.fail(subject, input);
  else if (daemon === 'yes' && !stateChangeGarpBroken(release))
    out.note(subject, { ...input, message: `${input.message}; on ${release} neutron-keepalived-state-change sends those G-ARPs instead` });
  else if (daemon === 'yes')
    out.warn(subject, { ...input, message: `${input.message}; on ${release} neutron-keepalived-state-change should send them but its arping never ran (lp#1870313) until the Ussuri fix` });
  else if (daemon === 'backport')
    out.warn(subject, { ...input, message: `${input.message}; on ${release} neutron-keepalived-state-change sends them only with the stable backport of 4fdd89e94f` });
  else out.warn(subject, { ...input, message: `${input.message}; release ${releaseLabel(release)}: from Ocata to Victoria neutron-keepalived-state-change sends them, so this is not judged` });
}

export const check: Check = {
  id: 'prerequisites',
  title: 'Router namespace sysctls, keepalived and arping are fit for G-ARP',
  description:
    'Router namespaces have ip_forward=1, arp_ignore=1, arp_announce=2 (HA: ip_nonlocal_bind per release; fip: proxy_arp on fg-); ' +
    'keepalived is at least 1.2.20 (G-ARP on reload; only a note where neutron-keepalived-state-change sends the G-ARPs, Ocata–Victoria) and arping is ' +
    'the iputils one, whose -U/-A frames are real G-ARPs; with containerised agents the host binaries are not judged as the agents\'.',
  severity: 'major',
  references: [
    { kind: 'doc', ref: 'ground-truth §1b, §2b, §3b, §0.7' },
    { kind: 'bug', ref: 'lp#1639315' },
    { kind: 'bug', ref: 'lp#1692007' },
    { kind: 'bug', ref: 'lp#1885169' },
    { kind: 'doc', ref: 'known-bugs-and-anchors §12.9' },
    { kind: 'seed', ref: '004_e665e055f667cc34.txt (ZHAW: Neutron HA experience)' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const release = releaseOf(ctx.params, ctx.facts?.release);
    // arp_ignore/arp_announce: Pike+; an unknown release is not read as the newest, those two are then not judged
    const arpSysctls = routerArpSysctls(release) === true;
    const nonlocal = nonlocalExpectation(ctx.params, release);
    const obs = observed(ctx);

    for (const node of ctx.snapshot.nodes) {
      let routerNode = false;
      let haNode = node.haRouters.length > 0;
      for (const ns of liveNamespaces(node)) {
        const kind = namespaceKind(ns.name);
        if (kind === 'qrouter' || kind === 'snat') {
          routerNode = true;
          const want: [string, string][] = [['net.ipv4.ip_forward', '1']];
          if (arpSysctls) want.push(['net.ipv4.conf.all.arp_ignore', '1'], ['net.ipv4.conf.all.arp_announce', '2']);
          const rid = routerIdFromNamespace(ns.name)!;
          const mode = routerMode(ctx, rid, obs);
          const haNs = isHaMode(mode) && (mode === 'ha' ? kind === 'qrouter' : kind === 'snat');
          if (haNs) haNode = true;
          if (haNs && nonlocal !== undefined) want.push(['net.ipv4.ip_nonlocal_bind', nonlocal]);
          judgeSysctls(out, node, ns, want);
        } else if (kind === 'fip') {
          routerNode = true;
          const fgs = devicesWithPrefix(ns, 'fg-');
          if (fgs.length > 0) judgeSysctls(out, node, ns, fgs.map((d) => [`net.ipv4.conf.${d.name}.proxy_arp`, '1'] as [string, string]));
        }
      }
      if (!routerNode && !haNode) continue;
      const subject = out.look({ node: node.node });
      const ev = evidenceFor(node, ['versions']);
      const containers = agentContainers(node);
      if (haNode) judgeKeepalived(out, subject, node, release, containers, ev);
      const a = node.versions['arping'];
      if (containers && (a === undefined || isAbsent(a)))
        out.skip(subject, { message: `arping not judged on ${node.node}: no arping on the host, neutron's agents run in containers (${containers})`, expected: 'arping from iputils in the L3 agent container', actual: a ?? 'not collected', evidence: ev });
      else if (a === undefined) out.warn(subject, { message: `arping version of ${node.node} was not collected`, expected: 'arping from iputils', actual: 'unknown', evidence: ev });
      else if (/habets|^\s*arping\s+\d/i.test(a))
        (containers ? out.warn : out.fail)(subject, {
          message: `arping on ${node.node} is the Debian "arping" package, which announces "who-has X tell <own ip>", not a G-ARP${containers ? ` (host binary; the agents run in containers: ${containers})` : ''}`,
          expected: 'arping from iputils (package iputils-arping)',
          actual: a.split('\n')[0]!,
          evidence: ev,
        });
      else if (!/iputils/i.test(a))
        out.warn(subject, { message: `arping on ${node.node} is not recognisably iputils`, expected: 'arping from iputils', actual: a.split('\n')[0]!, evidence: ev });
      if (containers && node.versions['iptables'] !== undefined)
        out.note(subject, { message: `${node.node} runs neutron in containers (${containers}): iptables-save of the host may differ from the agent's iptables (legacy vs nf_tables backend); host ${node.versions['iptables']}`, evidence: ev });
    }
    return out.done();
  },
};
