import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor, notCollectedReason, wasNamespaceCollected } from './lib/evidence';
import { createOutcome } from './lib/finding';
import type { NodeSnapshot } from '../src/model/types';
import { configuredPrimaryVip, configuredVrid, haRouterState, holdsPrimaryVip, isPrimaryState, primaryVip } from './lib/ha';
import { haRouters } from './lib/ha-routers';
import { findNamespace } from './lib/lookup';
import { boolParam } from './lib/mode';
import { formatAddresses, ipv4Addresses } from './lib/net';
import { isLiveProcessState } from '../src/parse/parse-keepalived-procs';

/**
 * Exactly one primary per HA router (ground-truth §2e' invariant): state file primary/master
 * AND the primary VIP 169.254.0.<vrid>/24 on ha-, VIPs (qr-/qg-/sg- addresses) only there.
 * Two primaries = split brain (lp#1837635, lp#1731595, lp#1794305); none = lp#1874211/lp#1890400;
 * state file vs primary VIP disagreeing = lp#1818614; a primary without the addresses its
 * keepalived.conf names (qg- IPs dropped after a SIGHUP storm) = lp#1647432; a replica whose
 * keepalived is not running leaves the router without redundancy although traffic flows.
 *
 * params: ignoreFactsHaState (skip the API HA-state comparison, e.g. right after a drill),
 * strictFactsHaState (a stale API state is a fail instead of a warn).
 */
const VIP_PREFIXES = ['qr-', 'qg-', 'sg-'];

/** the primary VIP a replica must hold, for messages: the configured one (Juno: the gateway address) or 169.254.0.<vrid> */
function namespaceVip(node: NodeSnapshot, routerId: string, vrid: number | undefined): string {
  const cfg = configuredPrimaryVip(node, routerId);
  if (cfg) return `${cfg.address}${cfg.dev ? ` on ${cfg.dev}` : ''}`;
  return vrid ? `${primaryVip(vrid)} on ha-` : 'the primary VIP on ha-';
}

type OutcomeOf = ReturnType<typeof createOutcome>;

/**
 * The primary holds every address keepalived.conf names (virtual_ipaddress and _excluded, IPv6
 * link-local left aside): a primary that lost its qg- addresses after a burst of SIGHUPs drops all
 * north-south traffic while both state file and primary VIP say it is fine (lp#1647432).
 */
function judgeConfiguredVips(out: OutcomeOf, subject: object, routerId: string, primaries: { node: NodeSnapshot; namespace: string }[]): void {
  for (const p of primaries) {
    const inst = haRouterState(p.node, routerId)?.config?.instances[0];
    if (!inst) continue;
    const ns = findNamespace(p.node, p.namespace);
    const missing = [...inst.virtualIpaddress, ...inst.virtualIpaddressExcluded]
      .filter((v) => !v.address.toLowerCase().startsWith('fe80:'))
      .filter((v) => !(ns?.devices ?? []).some((d) => (!v.dev || d.name === v.dev) && d.addresses.some((a) => a.address === v.address.split('/')[0])));
    if (missing.length === 0) continue;
    out.fail(subject, {
      message: `HA router ${routerId}: primary ${p.node.node} lacks ${missing.length} address(es) its keepalived.conf names: ${missing.map((v) => `${v.address}${v.dev ? ` dev ${v.dev}` : ''}`).join(', ')} (lp#1647432)`,
      severity: 'critical',
      expected: 'every virtual_ipaddress / virtual_ipaddress_excluded on the primary',
      actual: `missing ${missing.map((v) => v.address).join(', ')}`,
      evidence: evidenceFor(p.node, [`keepalived:${routerId}`, `addr:${p.namespace}`]),
    });
  }
}

/**
 * Redundancy: an HA router is only highly available while keepalived runs on its replicas (issue 12).
 * A replica whose pid file names no live keepalived of THIS router (gone, a reused pid running another
 * program or another router's keepalived, zombie or stopped; its VRRP child likewise: the collector
 * reads /proc/<pid>/cmdline and State) is a fail — unless the node's /proc scan shows a live
 * keepalived running this router's keepalived.conf (a stale pid file: warn). The /proc scan alone
 * decides when no pid file was read. Containerised agents without a scan (the pid is in the
 * container's pid namespace, `kill -0` from the host says nothing) are a warn.
 * Severity major, not critical: traffic still flows through the primary; the next failure of the
 * primary is an outage instead of a failover.
 */
function judgeRedundancy(out: OutcomeOf, subject: object, routerId: string, rows: { node: NodeSnapshot; state?: string; statePrimary: boolean }[], table: string): void {
  for (const x of rows) {
    const h = haRouterState(x.node, routerId);
    const procs = h?.keepalivedProcesses;
    const live = procs?.filter((p) => isLiveProcessState(p.state)) ?? [];
    const procText = procs === undefined ? '' : procs.length === 0 ? '; no process runs its keepalived.conf' : `; processes running its keepalived.conf: ${procs.map((p) => `${p.pid} (${p.state})`).join(', ')}`;
    const running = h?.keepalivedRunning;
    // no pid file read: the /proc scan decides (it sees containerised keepalived too)
    const dead = running === false || (running === undefined && procs !== undefined && live.length === 0);
    if (!dead) continue;
    const containers = x.node.versions['containers']?.trim();
    const role = x.statePrimary ? 'primary' : (x.state ?? 'replica');
    const input = {
      message: `HA router ${routerId} is not redundant: keepalived is not running on ${role} ${x.node.node} (${h?.keepalivedDetail ?? 'its pid file names no live keepalived: the process is gone, is another program, or is stopped'}${procText})`,
      severity: 'major' as const,
      expected: 'keepalived (parent and VRRP child) of this router running on every replica',
      actual: `${x.node.node}: keepalived not running; ${table}`,
      evidence: evidenceFor(x.node, [`keepalived:${routerId}`]),
    };
    if (running === false && live.length > 0)
      out.warn(subject, { ...input, message: `HA router ${routerId} on ${x.node.node}: the pid file names no live keepalived (${h?.keepalivedDetail ?? '?'}) but a keepalived runs its keepalived.conf (${live.map((p) => `pid ${p.pid} ${p.state}`).join(', ')}): ${whyUnowned(live, procs ?? [])}` });
    else if (containers && procs === undefined) out.warn(subject, { ...input, message: `${input.message}; neutron runs in containers (${containers}), so the host's kill -0 may not see it: not judged` });
    else out.fail(subject, input);
  }
}

/**
 * Why a keepalived of the router runs that its pid file does not name. keepalived runs as a parent
 * and its VRRP child: a parent/child pair is a whole keepalived the pid file lost track of (or sees
 * from another pid namespace); a lone process is half of one — an orphaned VRRP child (its parent
 * died before it could be respawned or stopped: VRRP still runs, nothing supervises or reloads it)
 * or a parent whose child is gone (no VRRP); with the other half there but stopped (state T), that
 * is named. Seen in CI: a kill -9 of the child, then of the parent, left the child the parent had
 * just respawned running alone.
 */
function whyUnowned(live: readonly { pid: number; ppid: number }[], all: readonly { pid: number; ppid: number; state: string }[]): string {
  const pids = new Set(live.map((p) => p.pid));
  if (live.some((p) => pids.has(p.ppid))) return 'a stale pid file, or a keepalived in another pid namespace';
  // a lone live process whose parent or VRRP child is there but not running (stopped): say which
  if (live.length === 1) {
    const lone = live[0]!;
    const parent = all.find((p) => p.pid === lone.ppid);
    if (parent) return `its parent keepalived ${parent.pid} is not running (state ${parent.state})`;
    const child = all.find((p) => p.ppid === lone.pid);
    if (child) return `its VRRP child ${child.pid} is not running (state ${child.state}): no VRRP adverts`;
  }
  return 'no parent/child pair among them: an orphaned VRRP child (VRRP runs, but nothing supervises or reloads it) or a parent without its VRRP child';
}

/** the IPv4 addresses of the replica's ha- device (keepalived.conf's interface), its VRRP source; the primary VIP left out */
function haSourceAddresses(node: NodeSnapshot, routerId: string, namespace: string): string[] {
  const itf = haRouterState(node, routerId)?.config?.instances[0]?.interface;
  const dev = findNamespace(node, namespace)?.devices.find((d) => d.name === itf);
  return (dev?.addresses ?? []).map((a) => a.address).filter((a) => a.includes('.') && !a.startsWith('169.254.0.'));
}

/**
 * `run --listen-vrrp` (issue 12): every replica must hear the adverts of every OTHER primary on its
 * ha- device within 3 × advert_int. A backup that hears none is cut from the primary on the HA
 * network: it takes over (split brain, lp#1837635 class) as soon as its keepalived notices, or never
 * would if its keepalived is also gone — either way the router is not highly available. Two
 * primaries that do not hear each other name the cut. A capture that did not run is a warn.
 */
function judgeAdverts(out: OutcomeOf, subject: object, routerId: string, rows: { node: NodeSnapshot; namespace: string; statePrimary: boolean; vip: boolean; state?: string }[]): void {
  const primaries = rows.filter((x) => x.statePrimary || x.vip);
  for (const x of rows) {
    const heard = haRouterState(x.node, routerId)?.vrrpListen;
    if (!heard) continue;
    const ev = evidenceFor(x.node, [`keepalived:${routerId}`, `addr:${x.namespace}`]);
    const secs = `${(heard.windowMs / 1000).toFixed(1)} s`;
    if (heard.error) {
      out.warn(subject, { message: `HA router ${routerId}: could not listen for VRRP on ${x.node.node} ${heard.device}: ${heard.error}`, expected: 'a capture on the ha- device', actual: heard.error, evidence: ev });
      continue;
    }
    const role = x.statePrimary || x.vip ? 'primary' : (x.state ?? 'replica');
    for (const p of primaries) {
      if (p.node.node === x.node.node) continue;
      const from = haSourceAddresses(p.node, routerId, p.namespace);
      const ok = from.length > 0 ? heard.sources.some((s) => from.includes(s)) : heard.adverts > 0;
      if (ok) continue;
      const split = role === 'primary';
      out.fail(subject, {
        message: split
          ? `HA router ${routerId}: primaries ${x.node.node} and ${p.node.node} do not hear each other: ${x.node.node} heard no VRRP advert from ${p.node.node} on ${heard.device} in ${secs} (the HA network path between them is cut: split brain)`
          : `HA router ${routerId} is not redundant: ${role} ${x.node.node} heard no VRRP advert from primary ${p.node.node} on ${heard.device} in ${secs} (3 × advert_int): the HA network path is cut, it will take over (split brain risk)`,
        severity: split ? 'critical' : 'major',
        expected: `VRRP adverts (vrid ${haRouterState(x.node, routerId)?.config?.instances[0]?.virtualRouterId ?? '?'}) from ${p.node.node}${from.length ? ` (${from.join(', ')})` : ''}`,
        actual: `${heard.adverts} advert(s) heard${heard.sources.length ? ` from ${heard.sources.join(', ')}` : ''} in ${secs}`,
        evidence: ev,
      });
    }
  }
}

export const check: Check = {
  id: 'l3ha-single-primary',
  title: 'Every HA router has exactly one primary holding the VIPs',
  description:
    'Per HA router exactly one replica has its state file primary/master and the primary VIP (keepalived.conf\'s first VIP: 169.254.0.<vrid>/24 on ha-, ' +
    'on Juno the gateway address on qg-); ' +
    'gateway, interface and floating IP VIPs are only there; two primaries are a split brain.',
  severity: 'critical',
  references: [
    { kind: 'doc', ref: "ground-truth §2b, §2e', §8.5" },
    { kind: 'bug', ref: 'lp#1837635' },
    { kind: 'bug', ref: 'lp#1731595' },
    { kind: 'bug', ref: 'lp#1818614' },
    { kind: 'bug', ref: 'lp#1874211' },
    { kind: 'bug', ref: 'lp#1890400' },
    { kind: 'bug', ref: 'lp#1647432' },
    { kind: 'seed', ref: '004_e665e055f667cc34.txt (ZHAW: Neutron HA experience)' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    for (const r of haRouters(ctx)) {
      if (r.replicas.length === 0) continue;
      const subject = out.look({ router: r.id });
      const rows = r.replicas.map(({ node, namespace }) => {
        const vrid = configuredVrid(node, r.id) ?? r.haVrId;
        const state = haRouterState(node, r.id)?.state;
        const ns = findNamespace(node, namespace);
        const vips = (ns?.devices ?? []).filter((d) => VIP_PREFIXES.some((p) => d.name.startsWith(p))).flatMap((d) => ipv4Addresses(d));
        // addresses not collected: the VIPs are unknown, not absent (issue 15)
        const addrRead = wasNamespaceCollected(node, namespace, 'addr');
        return { node, namespace, vrid, state, statePrimary: isPrimaryState(state), vip: holdsPrimaryVip(node, namespace, vrid), vips, addrRead };
      });
      const ev = rows.flatMap((x) => evidenceFor(x.node, [`keepalived:${r.id}`, `addr:${x.namespace}`]));
      const table = rows.map((x) => `${x.node.node}: state=${x.state ?? '?'} vip=${x.addrRead ? (x.vip ? 'yes' : 'no') : '?'}`).join('; ');
      // replicas whose role cannot be told (neither state file nor addresses read), and replica hosts not read at all
      const unknown = [
        ...rows.filter((x) => x.state === undefined && !x.addrRead).map((x) => `${notCollectedReason(x.node, 'addr', x.namespace)} and no state file`),
        ...r.unreadHosts.map((h) => `${h} (a replica per the facts) was not read`),
      ];

      for (const x of rows)
        if (x.state !== undefined && x.addrRead && x.statePrimary !== x.vip)
          out.fail(subject, {
            message: x.statePrimary
              ? `HA router ${r.id}: state file on ${x.node.node} says ${x.state} but ${namespaceVip(x.node, r.id, x.vrid)} is not held`
              : `HA router ${r.id}: ${x.node.node} holds the primary VIP but its state file says ${x.state}`,
            severity: 'major',
            expected: 'state file and primary VIP agree',
            actual: table,
            evidence: ev,
          });

      const primaries = rows.filter((x) => x.statePrimary || x.vip);
      if (primaries.length === 0 && unknown.length > 0)
        out.warn(subject, { message: `HA router ${r.id}: no primary among the replicas read, not judged: ${unknown.join('; ')}`, expected: 'exactly one primary', actual: table || 'no replica read', evidence: ev });
      else if (primaries.length === 0)
        out.fail(subject, { message: `HA router ${r.id} has no primary on ${rows.length} replica(s)`, expected: 'exactly one primary', actual: table, evidence: ev });
      if (primaries.length > 1)
        out.fail(subject, {
          message: `split brain: HA router ${r.id} is primary on ${primaries.map((x) => x.node.node).join(' and ')}`,
          severity: 'critical',
          expected: 'exactly one primary',
          actual: table,
          evidence: ev,
        });
      for (const x of rows)
        if (!x.statePrimary && !x.vip && x.vips.length > 0)
          out.fail(subject, {
            message: `HA router ${r.id}: backup ${x.node.node} holds VIP addresses ${formatAddresses(x.vips)}`,
            expected: 'no qr-/qg- addresses on a backup',
            actual: formatAddresses(x.vips),
            evidence: evidenceFor(x.node, [`addr:${x.namespace}`]),
          });

      judgeConfiguredVips(out, subject, r.id, rows.filter((x) => x.statePrimary && x.vip && x.addrRead));
      judgeRedundancy(out, subject, r.id, rows, table);
      judgeAdverts(out, subject, r.id, rows);

      const active = Object.entries(r.haState ?? {}).filter(([, s]) => s === 'active').map(([n]) => n);
      const useFacts = r.haState !== undefined && !boolParam(ctx.params, 'ignoreFactsHaState', false);
      // two L3 agents reporting one HA router active: a split brain the agents themselves report
      // (lp#1837635 class), whatever part of the data plane was read (issue 15)
      if (useFacts && active.length > 1)
        out.fail(subject, {
          message: `split brain: the L3 agents report HA router ${r.id} active on ${active.join(' and ')}`,
          severity: 'critical',
          expected: 'one agent active (l3-agent-list-hosting-router)',
          actual: `facts HA state: ${Object.entries(r.haState ?? {}).map(([n, s]) => `${n}=${s}`).join(', ')}; data plane: ${table}`,
          evidence: ev,
        });

      // otherwise the API's HA state (facts) must name the same single primary
      if (useFacts && active.length <= 1 && primaries.length === 1) {
        const primary = primaries[0]!.node.node;
        if (active.length !== 1 || active[0] !== primary) {
          // the facts are the expectation (the API's HA state), the data plane is what was found (issue 15)
          const input = {
            message: `HA router ${r.id}: facts say active on ${active.join(', ') || 'no node'}, the data plane says ${primary}`,
            expected: `facts HA state: ${Object.entries(r.haState ?? {}).map(([n, s]) => `${n}=${s}`).join(', ')}`,
            actual: `primary on ${primary} (state file / primary VIP)`,
            evidence: ev,
            severity: 'major' as const,
          };
          if (boolParam(ctx.params, 'strictFactsHaState', false)) out.fail(subject, input);
          else out.warn(subject, input);
        }
      }
    }
    return out.done();
  },
};
