import { HaprobeError } from '../errors';
import { holderOf, record, type FaultCtx, type FaultSpec } from './fault-spec';
import { extraPrimaryOf, haPrimaryOf, readHaStates, readRouterStates, isPrimaryWord, waitFor } from './ha-state';
import { extraHaWatch, extraKeepalivedConf } from './render-extras';
import { HA_CONFS, haNamespace, keepalivedConfFor, primaryVipOf, qrouterNs, renderHaStart } from './render-node';
import { nodeScript } from './shell';
import { requireLabUp } from './state';

/**
 * Faults named after the real bugs of ground-truth §7 (issue 12): each reproduces the bug's
 * mechanism where the lab can, else its exact symptom, and names the §7 row and the references
 * the catching check carries. First slice: #4, #9, #11, #12 (all keepalived / L3 HA).
 */

function requireHa(ctx: FaultCtx, name: string): void {
  if (ctx.plan.router.haHosts.length < 2) throw new HaprobeError('usage', `${name} needs an HA profile (this is ${ctx.plan.profile})`);
}

/** wait until the main router (and the --extras router) has exactly one primary again */
async function waitForPrimaries(ctx: FaultCtx, what: string): Promise<void> {
  const ok = await waitFor(() => haPrimaryOf(ctx.plan, ctx.paths) !== undefined && (!ctx.plan.extras || extraPrimaryOf(ctx.plan, ctx.paths) !== undefined), 30_000, 200);
  if (!ok) throw new HaprobeError('lab', `${what}: no single primary after 30 s: ${JSON.stringify(readHaStates(ctx.plan, ctx.paths))}`);
}

function primaryOf(ctx: FaultCtx): string {
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

export const BUG_FAULTS: readonly FaultSpec[] = [
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
      const r = ctx.plan.router;
      const primary = primaryOf(ctx);
      for (const h of r.haHosts) {
        const conf = withLibertyGarpLines(keepalivedConfFor(ctx.plan, h, ctx.state.fips));
        await nodeScript(holderOf(ctx, h), `${renderConfWrite(r.id, conf)}\n${renderReload(r.id)}\n`, `garp_master_refresh on ${h}`);
      }
      await waitForPrimaries(ctx, this.name);
      return record(this, `node ${primary} router ${r.id}`, primary, {});
    },
    async heal(ctx) {
      const r = ctx.plan.router;
      const fips = requireLabUp(ctx.paths).fips;
      for (const h of r.haHosts)
        await nodeScript(holderOf(ctx, h), `${renderConfWrite(r.id, keepalivedConfFor(ctx.plan, h, fips))}\n${renderReload(r.id)}\n`, `restore keepalived.conf on ${h}`);
      await waitForPrimaries(ctx, 'heal lp1520517');
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
