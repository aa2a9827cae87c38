import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { NamespaceSnapshot, NodeSnapshot } from '../src/model/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome, type OutcomeBuilder } from './lib/finding';
import { devicesWithPrefix, liveNamespaces } from './lib/lookup';
import { isHaMode, observed, routerMode } from './lib/mode';
import { namespaceKind, routerIdFromNamespace } from './lib/names';
import { releaseIndex, RELEASES, releaseOf } from './lib/release';

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
  const i = releaseIndex(release);
  if (i === undefined) return undefined;
  const ocata = RELEASES.indexOf('ocata');
  const antelope = RELEASES.indexOf('2023.1');
  const open = release?.trim().endsWith('+') === true;
  if (i >= antelope) return '1';
  if (i >= ocata && !open) return '0';
  return undefined; // an open-ended family spanning the 2023.1 change: either value
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

export const check: Check = {
  id: 'prerequisites',
  title: 'Router namespace sysctls, keepalived and arping are fit for G-ARP',
  description:
    'Router namespaces have ip_forward=1, arp_ignore=1, arp_announce=2 (HA: ip_nonlocal_bind per release; fip: proxy_arp on fg-); ' +
    'keepalived is at least 1.2.20 (G-ARP on reload) and arping is the iputils one, whose -U/-A frames are real G-ARPs.',
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
    const pikePlus = (releaseIndex(release) ?? RELEASES.indexOf('pike')) >= RELEASES.indexOf('pike');
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
          if (pikePlus) want.push(['net.ipv4.conf.all.arp_ignore', '1'], ['net.ipv4.conf.all.arp_announce', '2']);
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
      if (haNode) {
        const k = node.versions['keepalived'];
        const ok = k === undefined ? undefined : versionAtLeast(k, [1, 2, 20]);
        if (k === undefined) out.warn(subject, { message: `keepalived version of ${node.node} was not collected`, expected: 'keepalived >= 1.2.20', actual: 'unknown', evidence: ev });
        else if (ok === false) out.fail(subject, { message: `keepalived ${k} on ${node.node} sends no G-ARP on reload (lp#1639315)`, expected: 'keepalived >= 1.2.20', actual: k, evidence: ev });
        else if (ok === undefined) out.warn(subject, { message: `keepalived version "${k}" of ${node.node} not understood`, expected: 'keepalived >= 1.2.20', actual: k, evidence: ev });
      }
      const a = node.versions['arping'];
      if (a === undefined) out.warn(subject, { message: `arping version of ${node.node} was not collected`, expected: 'arping from iputils', actual: 'unknown', evidence: ev });
      else if (/habets|^\s*arping\s+\d/i.test(a))
        out.fail(subject, {
          message: `arping on ${node.node} is the Debian "arping" package, which announces "who-has X tell <own ip>", not a G-ARP`,
          expected: 'arping from iputils (package iputils-arping)',
          actual: a.split('\n')[0]!,
          evidence: ev,
        });
      else if (!/iputils/i.test(a))
        out.warn(subject, { message: `arping on ${node.node} is not recognisably iputils`, expected: 'arping from iputils', actual: a.split('\n')[0]!, evidence: ev });
    }
    return out.done();
  },
};
