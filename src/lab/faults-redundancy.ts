import { HaprobeError } from '../errors';
import { holderOf, record, type FaultCtx, type FaultSpec } from './fault-spec';
import { healByKeepalivedRestart, primaryOf, renderKeepalivedKill, requireHa, waitForPrimaries } from './faults-bugs';
import { isPrimaryWord, readHaStates, waitFor } from './ha-state';
import { HA_CONFS } from './render-node';
import { nodeScript } from './shell';

/**
 * HA redundancy itself (issue 12, "HA redundancy itself"): a router whose backup's keepalived is dead,
 * or whose replicas hear no VRRP advert from each other, still forwards traffic but is no longer
 * highly available. Both caught by l3ha-single-primary (the collector's /proc liveness, and
 * `run --listen-vrrp`).
 */

/** the backup the fault acts on: --node when it is not the primary, else the first other replica */
function backupOf(ctx: FaultCtx): { primary: string; backup: string } {
  const r = ctx.plan.router;
  const primary = primaryOf(ctx);
  return { primary, backup: ctx.node && ctx.node !== primary ? ctx.node : r.haHosts.find((h) => h !== primary)! };
}

/**
 * The lab's stand-in for the L3 agent's ProcessMonitor (render-node.ts, real-engine releases) respawns
 * a dead keepalived within 60 s; SIGSTOP holds it (and its sleep) down, SIGCONT lets it go on.
 */
const renderMonitorSignal = (routerId: string, sig: 'STOP' | 'CONT'): string =>
  `f=${HA_CONFS}/${routerId}.pid.process-monitor; if [ -f $f ]; then p=$(cat $f); kill -${sig} -- -$p 2>/dev/null || kill -${sig} $p 2>/dev/null; echo held; fi; true\n`;

/** one VRRP drop flow at the top of br-int's table 0 on a node (cookie marks it as the fault's) */
const VRRP_DROP = 'cookie=0x4850726564,table=0,priority=65534,ip,nw_proto=112';
const VRRP_DROP_MATCH = 'table=0,priority=65534,ip,nw_proto=112';

export const REDUNDANCY_FAULTS: readonly FaultSpec[] = [
  {
    name: 'backup-keepalived-dead',
    check: 'l3ha-single-primary',
    subject: 'router',
    needs: 'an HA profile',
    description: 'keepalived of one backup replica is killed (kill -9 of the parent and its VRRP child, pid files left) and KEPT dead: ' +
      'the lab\'s ProcessMonitor stand-in (real-engine releases, e.g. --release zed) is stopped so it cannot respawn it; ' +
      'traffic still flows through the primary, the router is no longer highly available',
    async apply(ctx) {
      requireHa(ctx, this.name);
      const r = ctx.plan.router;
      const { backup } = backupOf(ctx);
      const held = await nodeScript(holderOf(ctx, backup), renderMonitorSignal(r.id, 'STOP') + renderKeepalivedKill(r.id), `hold the process monitor and kill keepalived on ${backup}`);
      return record(this, `router ${r.id}`, backup, { monitorHeld: held.includes('held') ? 'yes' : 'no' });
    },
    async heal(ctx, rec) {
      await healByKeepalivedRestart(ctx, rec);
      if (rec.undo?.monitorHeld === 'yes') await nodeScript(holderOf(ctx, rec.node!), renderMonitorSignal(ctx.plan.router.id, 'CONT'), `release the process monitor on ${rec.node}`);
    },
  },
  {
    name: 'vrrp-adverts-blocked',
    check: 'l3ha-single-primary',
    subject: 'router',
    also: 'run --listen-vrrp names the replicas that hear no advert',
    needs: 'an HA profile',
    description: 'every VRRP frame (IP proto 112) through one backup\'s br-int is dropped by an OpenFlow rule (both ways, as a cut HA network ' +
      'path or a dead VLAN does): the backup hears no advert, takes over, and the two primaries do not hear each other. An OVS drop, not ' +
      'iptables INPUT in the namespace: tcpdump on ha- would still see the frames there (AF_PACKET comes before netfilter)',
    async apply(ctx) {
      requireHa(ctx, this.name);
      const r = ctx.plan.router;
      const { primary, backup } = backupOf(ctx);
      await nodeScript(holderOf(ctx, backup), `ovs-ofctl add-flow br-int "${VRRP_DROP},actions=drop"\n`, `drop VRRP on ${backup}'s br-int`);
      const took = await waitFor(() => isPrimaryWord(readHaStates(ctx.plan, ctx.paths)[backup]), 20_000, 200);
      if (!took) throw new HaprobeError('lab', `${backup} did not take over within 20 s of losing the adverts: ${JSON.stringify(readHaStates(ctx.plan, ctx.paths))}`);
      return record(this, `router ${r.id}`, `${primary},${backup}`, { backup });
    },
    async heal(ctx, rec) {
      const backup = rec.undo?.backup !== undefined ? String(rec.undo.backup) : rec.node?.split(',')[1];
      if (backup) await nodeScript(holderOf(ctx, backup), `ovs-ofctl --strict del-flows br-int "${VRRP_DROP_MATCH}"\n`, `allow VRRP on ${backup}'s br-int`);
      await waitForPrimaries(ctx, 'heal vrrp-adverts-blocked');
    },
  },
];
