import { HaprobeError } from '../errors';
import { associatedFips } from './plan';
import { renderNsIptables, type IptablesEra } from './render-iptables';
import { snatIptables, snatNs } from './render-node';
import type { LabPlan } from './types';
import { holderOf, record, type FaultCtx, type FaultSpec } from './fault-spec';
import { extraPrimaryOf, haPrimaryOf, readHaStates, readRouterStates, isPrimaryWord, waitFor } from './ha-state';
import { extraHaWatch, extraKeepalivedConf } from './render-extras';
import { HA_CONFS, haNamespace, keepalivedConfFor, primaryVipOf, qrouterNs, renderHaStart, renderKeepalivedCommand } from './render-node';
import { nodeScript } from './shell';
import { requireLabUp } from './state';

/**
 * Faults named after the real bugs of ground-truth §7 (issue 12): each reproduces the bug's
 * mechanism where the lab can, else its exact symptom, and names the §7 row and the references
 * the catching check carries. First slice: #4, #9, #11, #12 (all keepalived / L3 HA).
 */

export function requireHa(ctx: FaultCtx, name: string): void {
  if (ctx.plan.router.haHosts.length < 2) throw new HaprobeError('usage', `${name} needs an HA profile (this is ${ctx.plan.profile})`);
}

/** wait until the main router (and the --extras router) has exactly one primary again */
export async function waitForPrimaries(ctx: FaultCtx, what: string): Promise<void> {
  const ok = await waitFor(() => haPrimaryOf(ctx.plan, ctx.paths) !== undefined && (!ctx.plan.extras || extraPrimaryOf(ctx.plan, ctx.paths) !== undefined), 30_000, 200);
  if (!ok) throw new HaprobeError('lab', `${what}: no single primary after 30 s: ${JSON.stringify(readHaStates(ctx.plan, ctx.paths))}`);
}

export function primaryOf(ctx: FaultCtx): string {
  const p = haPrimaryOf(ctx.plan, ctx.paths);
  if (!p) throw new HaprobeError('lab', `router has no single primary now: ${JSON.stringify(readHaStates(ctx.plan, ctx.paths))}`);
  return p;
}

const renderConfWrite = (routerId: string, conf: string): string => `cat > ${HA_CONFS}/${routerId}/keepalived.conf <<'HAPROBE_EOF'\n${conf}HAPROBE_EOF`;

/** what the L3 agent does after rewriting keepalived.conf: SIGHUP the running keepalived */
const renderReload = (routerId: string): string => `kill -HUP $(cat ${HA_CONFS}/${routerId}.pid.keepalived)`;

/** stop keepalived (SIGTERM, it drops its VIPs) and the state-change monitor (its process group) of a router on a node */
function renderHaStop(routerId: string): string {
  return [
    `for f in ${HA_CONFS}/${routerId}.pid.keepalived ${HA_CONFS}/${routerId}.pid.state-change; do`,
    '  [ -f "$f" ] || continue; p=$(cat "$f")',
    '  case "$f" in *state-change) kill -TERM -- -$p 2>/dev/null || kill $p 2>/dev/null ;; *) kill -TERM $p 2>/dev/null ;; esac',
    '  for i in $(seq 50); do kill -0 $p 2>/dev/null || break; sleep 0.1; done',
    'done',
    `rm -f ${HA_CONFS}/${routerId}.pid.keepalived ${HA_CONFS}/${routerId}.pid.keepalived-vrrp ${HA_CONFS}/${routerId}.pid.state-change`,
  ].join('\n');
}

/** the Liberty G-ARP lines (garp_master_repeat 5 + garp_master_refresh 10, lp#1453855) in place of Mitaka's delay */
function withLibertyGarpLines(conf: string): string {
  const lines = conf.split('\n').filter((l) => !/^\s*garp_master_(delay|repeat|refresh)\b/.test(l));
  const at = lines.findIndex((l) => /^\s*priority\b/.test(l));
  lines.splice(at + 1, 0, '    garp_master_repeat 5', '    garp_master_refresh 10');
  return lines.join('\n');
}

/** every replica's keepalived.conf rewritten as `edit` makes it from the lab's own, then reloaded (SIGHUP) as the agent does */
async function rewriteKeepalivedConfs(ctx: FaultCtx, edit: (conf: string) => string, what: string): Promise<void> {
  const r = ctx.plan.router;
  const fips = requireLabUp(ctx.paths).fips;
  for (const h of r.haHosts)
    await nodeScript(holderOf(ctx, h), `${renderConfWrite(r.id, edit(keepalivedConfFor(ctx.plan, h, fips)))}\n${renderReload(r.id)}\n`, `${what} on ${h}`);
  await waitForPrimaries(ctx, what);
}

/** the heal of every keepalived.conf fault: the lab's own conf back on every replica, reloaded */
const restoreKeepalivedConfs = (ctx: FaultCtx, what: string): Promise<void> => rewriteKeepalivedConfs(ctx, (c) => c, what);

/** r2 (the --extras router) on every host: stop, render with `vrid` (undefined: its own), start */
async function restartExtraRouter(ctx: FaultCtx, vrid: number | undefined): Promise<void> {
  const r2 = ctx.plan.extras!.router;
  for (const h of r2.hosts) {
    const script = [
      renderHaStop(r2.id),
      renderConfWrite(r2.id, extraKeepalivedConf(ctx.plan, h, vrid)),
      renderHaStart(ctx.plan, { routerId: r2.id, ns: qrouterNs(r2.id), ...extraHaWatch(ctx.plan, h, vrid) }),
    ].join('\n') + '\n';
    await nodeScript(holderOf(ctx, h), script, `restart keepalived of ${r2.name} on ${h}`);
  }
}

/** keepalived.conf without any garp_master_* line: the Juno/Kilo GA template, one G-ARP burst at the transition only */
function withoutGarpLines(conf: string): string {
  return conf.split('\n').filter((l) => !/^\s*garp_master_(delay|repeat|refresh)\b/.test(l)).join('\n');
}

/** where the gateway SNAT lives: qrouter- of every router host (legacy/HA), snat- of the snat hosts (DVR) */
function gatewayPlaces(plan: LabPlan): { node: string; ns: string }[] {
  const r = plan.router;
  if (r.mode === 'dvr' || r.mode === 'dvr-ha') return r.snatHosts.map((node) => ({ node, ns: snatNs(r.id) }));
  return r.hosts.map((node) => ({ node, ns: qrouterNs(r.id) }));
}

/** the gateway namespace's iptables as the lab renders them, with `era` overriding the release's rule forms */
function gatewayIptables(plan: LabPlan, fips: Record<string, string>, era: Partial<IptablesEra>): string {
  const r = plan.router;
  const p: LabPlan = { ...plan, rules: { ...plan.rules, ...era } };
  if (r.mode === 'dvr' || r.mode === 'dvr-ha') return snatIptables(p, fips);
  return renderNsIptables({ era: p.rules, kind: 'qrouter', qg: r.qg.device, gwIp: r.qg.ip,
    fips: associatedFips(p, fips).map((f) => ({ ip: f.ip, fixed: f.instance.port.ip })) });
}

const restoreIn = (ns: string, text: string): string => `ip netns exec ${ns} iptables-restore <<'HAPROBE_EOF'\n${text}HAPROBE_EOF\n`;

/** a gateway rule-form fault: every gateway namespace re-rendered with an older release's form (the agent of that release) */
function gatewayFormFault(name: string, row: number, ref: string, era: Partial<IptablesEra>, what: string): FaultSpec {
  return {
    name,
    check: 'nat-rules',
    subject: 'node + namespace',
    bug: { row, refs: [ref], how: 'mechanism' },
    needs: 'release Train or later (`lab up --release train` or `2024.1`); on the default pike+ the check only notes it',
    description: what,
    async apply(ctx) {
      const places = gatewayPlaces(ctx.plan);
      for (const p of places) await nodeScript(holderOf(ctx, p.node), restoreIn(p.ns, gatewayIptables(ctx.plan, ctx.state.fips, era)), `${name} on ${p.node}`);
      const first = ctx.plan.router.mode === 'ha' ? primaryOf(ctx) : places[0]!.node;
      return record(this, `node ${first} namespace ${places[0]!.ns}`, first, {});
    },
    async heal(ctx) {
      const fips = requireLabUp(ctx.paths).fips;
      for (const p of gatewayPlaces(ctx.plan)) await nodeScript(holderOf(ctx, p.node), restoreIn(p.ns, gatewayIptables(ctx.plan, fips, {})), `restore NAT on ${p.node}`);
    },
  };
}

/**
 * A signal to every keepalived process of the router on a node: the parent and its VRRP child from
 * their pid files in one `kill`, parent first (a parent that sees its child die respawns it — killing
 * the child first let CI catch a fresh child forked between the two kills, which ran on with no pid
 * file naming it), then any other process whose comm is keepalived* and whose command line names this
 * router's keepalived.conf (such an orphan). The sweep goes in /proc's order, not parent first: for
 * KILL it runs twice, the second catching a child a swept parent respawned before it died. The node's
 * own pid namespace: its processes only. Safe under `set -e` (a process may vanish between reads).
 */
const renderKeepalivedSignal = (routerId: string, sig: 'KILL' | 'STOP' | 'CONT'): string => {
  const sweep = `for d in /proc/[0-9]*; do { read -r n_ <$d/comm; } 2>/dev/null || continue; case $n_ in keepalived*) ;; *) continue;; esac; ` +
    `case "$(tr '\\000' ' ' <$d/cmdline 2>/dev/null || true)" in *"/${routerId}/keepalived.conf"*) kill -${sig} \${d#/proc/} 2>/dev/null || true;; esac; done\n`;
  return `p_=; for f in ${HA_CONFS}/${routerId}.pid.keepalived ${HA_CONFS}/${routerId}.pid.keepalived-vrrp; do [ -f $f ] && p_="$p_ $(cat $f 2>/dev/null || true)"; done\n` +
    `[ -n "$p_" ] && kill -${sig} $p_ 2>/dev/null || true\n` + sweep + (sig === 'KILL' ? `sleep 0.1\n${sweep}` : '') + 'true\n';
};

/** kill -9 keepalived (its parent and VRRP child) of the router on a node: no cleanup, the pid files stay */
export const renderKeepalivedKill = (routerId: string): string => `${renderKeepalivedSignal(routerId, 'KILL')}sleep 0.3\n`;

/** heal of a dead keepalived (pid files left, maybe naming another process): remove them, start keepalived as the agent does */
export async function healByKeepalivedRestart(ctx: FaultCtx, rec: { node?: string }): Promise<void> {
  const r = ctx.plan.router;
  await nodeScript(holderOf(ctx, rec.node!),
    `rm -f ${HA_CONFS}/${r.id}.pid.keepalived ${HA_CONFS}/${r.id}.pid.keepalived-vrrp\n${renderKeepalivedCommand(ctx.plan)}\n`, `restart keepalived on ${rec.node}`);
  await waitForPrimaries(ctx, `heal keepalived on ${rec.node}`);
}

/** keepalived 1.2.13 (RHEL 7's, the Newton/Ocata era) as scripts/build-keepalived-1.2.sh installs it (lp#1647432) */
export const OLD_KEEPALIVED = '/usr/local/lib/haprobe/keepalived-1.2.13';

/**
 * keepalived of the router restarted on every replica with `binary`: kill -9 (a wedged 1.2 VRRP child
 * ignores SIGTERM), remove the addresses and routes it held (the primary VIP, qg- addresses), start it
 * with the agent's command line. Everyone starts as backup and elects again.
 */
async function restartKeepalivedEverywhere(ctx: FaultCtx, binary: string): Promise<void> {
  const r = ctx.plan.router;
  const ns = haNamespace(ctx.plan);
  for (const h of r.haHosts) {
    const vip = primaryVipOf(ctx.plan, h);
    const script = [
      renderKeepalivedKill(r.id).trimEnd(),
      `rm -f ${HA_CONFS}/${r.id}.pid.keepalived ${HA_CONFS}/${r.id}.pid.keepalived-vrrp`,
      `ip -n ${ns} addr del ${vip.cidr} dev ${vip.dev} 2>/dev/null || true`,
      `ip -n ${ns} -4 addr flush dev ${r.qg.device} scope global`,
      renderKeepalivedCommand(ctx.plan).replace(/ keepalived -P /, ` ${binary} -P `),
    ].join('\n') + '\n';
    await nodeScript(holderOf(ctx, h), script, `keepalived ${binary} on ${h}`);
  }
}

export const BUG_FAULTS: readonly FaultSpec[] = [
  {
    name: 'lp1453855',
    check: 'keepalived-config',
    subject: 'node + router',
    bug: { row: 3, refs: ['lp#1453855'], how: 'mechanism' },
    needs: 'an HA profile (release Mitaka or later: the default pike+)',
    description: 'mechanism: keepalived.conf of every replica loses its garp_master_* lines (the Kilo GA template) and keepalived is reloaded: ' +
      'no second G-ARP burst 60 s after the transition, so G-ARPs sent before OVS wired qg- at boot are never repeated',
    async apply(ctx) {
      requireHa(ctx, this.name);
      const primary = primaryOf(ctx);
      await rewriteKeepalivedConfs(ctx, withoutGarpLines, this.name);
      return record(this, `node ${primary} router ${ctx.plan.router.id}`, primary, {});
    },
    async heal(ctx) {
      await restoreKeepalivedConfs(ctx, 'heal lp1453855');
    },
  },
  {
    name: 'lp1647432',
    check: 'l3ha-single-primary',
    subject: 'router',
    bug: { row: 8, refs: ['lp#1647432'], how: 'mechanism' },
    needs: 'an HA profile rendering a keepalived 1.2 era release (`lab up --profile neutron-l3ha --release pike`) and keepalived 1.2.13 built by scripts/build-keepalived-1.2.sh',
    description: 'mechanism: every replica runs keepalived 1.2.13 (the Newton/Ocata era keepalived of RHEL 7), then the primary gets 30 SIGHUPs 50 ms apart, ' +
      'as the agent sent one per FIP change before the Pike throttle: its VRRP child stops advertising after the reload storm, a backup takes over ' +
      'after 3 × advert_int, and the stormed primary keeps its qg- addresses (two primaries). keepalived 2.2.7 survives the same storm (no fault there)',
    async apply(ctx) {
      requireHa(ctx, this.name);
      if (ctx.plan.rules.noTrack || ctx.plan.rules.routeProtocolStatic)
        throw new HaprobeError('usage', `${this.name}: keepalived 1.2.13 cannot read this lab's keepalived.conf (no_track / protocol static): \`lab up --profile neutron-l3ha --release pike\``);
      const bin = await nodeScript(holderOf(ctx, ctx.plan.router.haHosts[0]!), `[ -x ${OLD_KEEPALIVED} ] && echo yes || echo no\n`, 'old keepalived');
      if (bin.trim() !== 'yes') throw new HaprobeError('usage', `${this.name} needs ${OLD_KEEPALIVED}: run scripts/build-keepalived-1.2.sh (keepalived ≥ 2 survives the storm)`);
      const r = ctx.plan.router;
      await restartKeepalivedEverywhere(ctx, OLD_KEEPALIVED);
      await waitForPrimaries(ctx, `${this.name} (keepalived 1.2.13)`);
      const stormed = primaryOf(ctx);
      await nodeScript(holderOf(ctx, stormed), `p=$(cat ${HA_CONFS}/${r.id}.pid.keepalived)\nfor i in $(seq 30); do kill -HUP $p; sleep 0.05; done\n`, `SIGHUP storm on ${stormed}`);
      const two = await waitFor(() => Object.values(readHaStates(ctx.plan, ctx.paths)).filter(isPrimaryWord).length > 1, 20_000, 200);
      if (!two) throw new HaprobeError('lab', `no second primary within 20 s of the SIGHUP storm on ${stormed}: ${JSON.stringify(readHaStates(ctx.plan, ctx.paths))}`);
      return record(this, `router ${r.id}`, stormed, {});
    },
    async heal(ctx) {
      await restartKeepalivedEverywhere(ctx, 'keepalived');
      await waitForPrimaries(ctx, 'heal lp1647432');
    },
  },
  {
    name: 'lp1837635',
    check: 'l3ha-single-primary',
    subject: 'router',
    bug: { row: 10, refs: ['lp#1837635'], how: 'mechanism' },
    needs: 'an HA profile',
    description: 'mechanism: VRRP from the primary is dropped on one backup for 8 s (> 3 × advert_int): it goes primary, then back to backup; ' +
      'the agent reported the short-lived primary and missed the return, so the API (facts ha_state) says active on two agents',
    async apply(ctx) {
      requireHa(ctx, this.name);
      const r = ctx.plan.router;
      const primary = primaryOf(ctx);
      const other = ctx.node && ctx.node !== primary ? ctx.node : r.haHosts.find((h) => h !== primary)!;
      const ns = haNamespace(ctx.plan);
      const rule = `INPUT -i ${r.ha[other].device} -p vrrp -s ${r.ha[primary].ip} -j DROP`;
      await nodeScript(holderOf(ctx, other), `ip netns exec ${ns} iptables -I ${rule}\n`, `block VRRP on ${other}`);
      const flipped = await waitFor(() => isPrimaryWord(readHaStates(ctx.plan, ctx.paths)[other]), 15_000, 100);
      await nodeScript(holderOf(ctx, other), `ip netns exec ${ns} iptables -D ${rule}\n`, `unblock VRRP on ${other}`);
      if (!flipped) throw new HaprobeError('lab', `${other} did not go primary: ${JSON.stringify(readHaStates(ctx.plan, ctx.paths))}`);
      await waitForPrimaries(ctx, this.name);
      return record(this, `router ${r.id}`, `${primary},${other}`, { factsRouterId: r.id, factsHaActive: `${primary},${other}` });
    },
    async heal(ctx) {
      await waitForPrimaries(ctx, 'heal lp1837635');
    },
  },
  {
    name: 'dead-backup-keepalived',
    check: 'l3ha-single-primary',
    subject: 'router',
    needs: 'an HA profile',
    description: 'keepalived of one backup replica dies (kill -9, pid files left behind): traffic still flows through the primary, ' +
      'but the router is no longer highly available',
    async apply(ctx) {
      requireHa(ctx, this.name);
      const r = ctx.plan.router;
      const primary = primaryOf(ctx);
      const backup = ctx.node && ctx.node !== primary ? ctx.node : r.haHosts.find((h) => h !== primary)!;
      await nodeScript(holderOf(ctx, backup), renderKeepalivedKill(r.id), `kill keepalived on ${backup}`);
      return record(this, `router ${r.id}`, backup, {});
    },
    heal: healByKeepalivedRestart,
  },
  {
    name: 'reused-pid-keepalived',
    check: 'l3ha-single-primary',
    subject: 'router',
    needs: 'an HA profile',
    description: 'keepalived of one backup replica dies (kill -9) and its pid file names a pid that now belongs to another program ' +
      '(pid reuse: here the node\'s init): `kill -0` on the pid file says alive, the command line says it is not keepalived',
    async apply(ctx) {
      requireHa(ctx, this.name);
      const r = ctx.plan.router;
      const primary = primaryOf(ctx);
      const backup = ctx.node && ctx.node !== primary ? ctx.node : r.haHosts.find((h) => h !== primary)!;
      await nodeScript(holderOf(ctx, backup), `${renderKeepalivedKill(r.id)}echo 1 > ${HA_CONFS}/${r.id}.pid.keepalived\n`, `kill keepalived on ${backup}, pid file names pid 1`);
      return record(this, `router ${r.id}`, backup, {});
    },
    heal: healByKeepalivedRestart,
  },
  {
    name: 'stopped-backup-keepalived',
    check: 'l3ha-single-primary',
    subject: 'router',
    needs: 'an HA profile',
    description: 'keepalived of one backup replica is stopped (SIGSTOP to its parent and VRRP child, state T): the process exists, ' +
      'a `kill -0` liveness test passes, but it neither hears nor sends adverts and would never take over',
    async apply(ctx) {
      requireHa(ctx, this.name);
      const r = ctx.plan.router;
      const primary = primaryOf(ctx);
      const backup = ctx.node && ctx.node !== primary ? ctx.node : r.haHosts.find((h) => h !== primary)!;
      await nodeScript(holderOf(ctx, backup), renderKeepalivedSignal(r.id, 'STOP'), `SIGSTOP keepalived on ${backup}`);
      return record(this, `router ${r.id}`, backup, {});
    },
    async heal(ctx, rec) {
      await nodeScript(holderOf(ctx, rec.node!), renderKeepalivedSignal(ctx.plan.router.id, 'CONT'), `SIGCONT keepalived on ${rec.node}`);
      await waitForPrimaries(ctx, 'heal stopped-backup-keepalived');
    },
  },
  {
    name: 'lp1692007',
    check: 'prerequisites',
    subject: 'node + namespace',
    bug: { row: 27, refs: ['lp#1692007'], how: 'mechanism' },
    needs: 'release Pike or later (the default pike+)',
    description: 'mechanism: arp_ignore=0 / arp_announce=0 (the kernel defaults, as before Pike) in the router namespace: ' +
      'a dual-stack router answers IPv4 ARP on any port (ARP flux, guests cache the wrong gateway MAC)',
    async apply(ctx) {
      const r = ctx.plan.router;
      const node = ctx.node ?? (r.mode === 'ha' ? primaryOf(ctx) : r.hosts[0]!);
      const ns = qrouterNs(r.id);
      await nodeScript(holderOf(ctx, node), `ip netns exec ${ns} sysctl -qw net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.all.arp_announce=0\n`, 'ARP flux sysctls');
      return record(this, `node ${node} namespace ${ns}`, node, { ns });
    },
    async heal(ctx, rec) {
      await nodeScript(holderOf(ctx, rec.node!), `ip netns exec ${rec.undo!.ns} sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2\n`, 'restore ARP sysctls');
    },
  },
  gatewayFormFault('lp1834825', 28, 'lp#1834825', { postroutingWithIn: true },
    'mechanism: the gateway namespace gets the Stein POSTROUTING accept `! -i qg- ! -o qg- -m conntrack ! --ctstate DNAT -j ACCEPT`; ' +
    'under iptables-nft (this lab, RHEL 8) `! -i` never matches in POSTROUTING and east-west traffic is SNATed'),
  gatewayFormFault('lp1814002', 29, 'lp#1814002', { randomFully: false },
    'mechanism: the gateway SNAT rules lose `--random-fully` (the rule set before the Train fix): SNAT port clashes under load, conntrack insert_failed grows'),
  {
    name: 'lp1520517',
    check: 'keepalived-config',
    subject: 'node + router',
    bug: { row: 4, refs: ['lp#1520517'], how: 'mechanism' },
    needs: 'an HA profile',
    description: 'mechanism: keepalived.conf of every replica gets the Liberty garp_master_repeat 5 / garp_master_refresh 10 lines ' +
      'and keepalived is reloaded (SIGHUP): the primary G-ARPs every 10 s forever',
    async apply(ctx) {
      requireHa(ctx, this.name);
      const primary = primaryOf(ctx);
      await rewriteKeepalivedConfs(ctx, withLibertyGarpLines, this.name);
      return record(this, `node ${primary} router ${ctx.plan.router.id}`, primary, {});
    },
    async heal(ctx) {
      await restoreKeepalivedConfs(ctx, 'heal lp1520517');
    },
  },
  {
    name: 'lp1823314',
    check: 'l3ha-vrid-unique',
    subject: 'router (the second one)',
    bug: { row: 9, refs: ['lp#1823314'], how: 'mechanism' },
    needs: 'neutron-l3ha with `lab up --extras`',
    description: 'mechanism (needs `lab up --extras`): the second HA router r2 on the same HA network gets the first router\'s vr_id, ' +
      'in the DB (facts ha_vr_id) and in keepalived.conf, as parallel creation allocated it before Train; both routers share one VRRP group',
    async apply(ctx) {
      if (!ctx.plan.extras) throw new HaprobeError('usage', `${this.name} needs a second HA router on the HA network: \`lab up --profile neutron-l3ha --extras\``);
      const vrid = ctx.plan.router.haVrId!;
      const r2 = ctx.plan.extras.router;
      await restartExtraRouter(ctx, vrid);
      // keepalived needs 3 × advert_int to elect; the finding does not depend on who wins
      await waitFor(() => Object.values(readRouterStates(r2.id, r2.hosts, ctx.paths)).some(isPrimaryWord), 15_000, 200);
      return record(this, `router ${r2.id}`, undefined, { factsRouterId: r2.id, factsHaVrId: vrid });
    },
    async heal(ctx) {
      await restartExtraRouter(ctx, undefined);
      await waitForPrimaries(ctx, 'heal lp1823314');
    },
  },
  {
    name: 'lp1818614',
    check: 'l3ha-single-primary',
    subject: 'router',
    bug: { row: 11, refs: ['lp#1818614'], how: 'symptom' },
    needs: 'an HA profile',
    description: 'symptom: the state-change monitor of the primary is stopped (SIGSTOP, its process group) and the state file says backup ' +
      'while keepalived holds the primary VIP there, as when the monitor missed the MASTER transition',
    async apply(ctx) {
      requireHa(ctx, this.name);
      const r = ctx.plan.router;
      const primary = primaryOf(ctx);
      await nodeScript(holderOf(ctx, primary),
        `kill -STOP -- -$(cat ${HA_CONFS}/${r.id}.pid.state-change)\necho backup > ${HA_CONFS}/${r.id}/state\n`, `freeze state-change on ${primary}`);
      return record(this, `router ${r.id}`, primary, {});
    },
    async heal(ctx, rec) {
      const r = ctx.plan.router;
      const node = rec.node!;
      const vip = primaryVipOf(ctx.plan, node);
      // what the monitor's next check would write, then let it run again
      await nodeScript(holderOf(ctx, node), [
        `if ip -n ${haNamespace(ctx.plan)} -o addr show dev ${vip.dev} | grep -q "inet ${vip.cidr} "; then n=${ctx.plan.rules.primaryWord}; else n=backup; fi`,
        `echo $n > ${HA_CONFS}/${r.id}/state`,
        `kill -CONT -- -$(cat ${HA_CONFS}/${r.id}.pid.state-change)`,
      ].join('\n') + '\n', `thaw state-change on ${node}`);
      await waitForPrimaries(ctx, 'heal lp1818614');
    },
  },
  {
    name: 'lp1874211',
    check: 'l3ha-single-primary',
    subject: 'router',
    bug: { row: 12, refs: ['lp#1874211', 'lp#1890400'], how: 'mechanism' },
    needs: 'an HA profile',
    description: 'mechanism: a tracked interface (track_interface ha-) goes DOWN on every replica; keepalived 2.x enters FAULT there, ' +
      'drops the VIPs, and the router has no primary anywhere',
    async apply(ctx) {
      requireHa(ctx, this.name);
      const r = ctx.plan.router;
      for (const h of r.haHosts) await nodeScript(holderOf(ctx, h), `ip -n ${haNamespace(ctx.plan)} link set ${r.ha[h].device} down\n`, `ha- down on ${h}`);
      const ok = await waitFor(() => !Object.values(readHaStates(ctx.plan, ctx.paths)).some(isPrimaryWord), 20_000, 200);
      if (!ok) throw new HaprobeError('lab', `keepalived did not leave primary: ${JSON.stringify(readHaStates(ctx.plan, ctx.paths))}`);
      return record(this, `router ${r.id}`, r.haHosts.join(','), {});
    },
    async heal(ctx) {
      const r = ctx.plan.router;
      for (const h of r.haHosts) await nodeScript(holderOf(ctx, h), `ip -n ${haNamespace(ctx.plan)} link set ${r.ha[h].device} up\n`, `ha- up on ${h}`);
      await waitForPrimaries(ctx, 'heal lp1874211');
    },
  },
];
