import * as fs from 'node:fs';
import * as path from 'node:path';
import { HaprobeError } from '../errors';
import type { DrillEvent, DrillResult } from '../result/run-result';
import type { MultiNicDrillResult } from '../lab/drill-multinic';
import { setHaLink, type DrillFault, type DrillOutcome, type RouterFaultInjector } from './drill-failover';
import { injectNovaFaultOverSsh, setFlatInterfaceUp, type NovaFaultInjector } from './drill-nova';
import type { AnnouncerPlan } from './plan-announcer';
import type { GarpAction } from './garp-action';
import type { TriggerResult } from './verify-garp';

/**
 * `--via lab`: changes are made by the emulated cloud's own API (src/lab), as the L3 agent
 * would make them. The lab is required lazily: a real-cloud run never loads it. This file is
 * garp's one door into src/lab (the lab sits below garp and imports nothing of it), so the lab's
 * multi-NIC drill also becomes a DrillOutcome here (multiNicDrillOutcome).
 */

type LabApi = typeof import('../lab');

function lab(): LabApi {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require('../lab') as LabApi;
}

/** --state-dir, else the folder of a lab inventory (inventory.yaml next to lab.json), else undefined */
export function labStateDirFor(inventoryFile: string | undefined, stateDirFlag: string | undefined): string | undefined {
  if (stateDirFlag) return path.resolve(stateDirFlag);
  if (!inventoryFile) return undefined;
  const dir = path.dirname(path.resolve(inventoryFile));
  return fs.existsSync(path.join(dir, 'lab.json')) ? dir : undefined;
}

export type LabGarpMode = 'normal' | 'none' | 'wrong-sender';

/** lab.json says `engine: neutron`: a real-Neutron lab (issue 16), changed through its API */
function isNeutronEngine(stateDir: string): boolean {
  try {
    return (JSON.parse(fs.readFileSync(path.join(stateDir, 'lab.json'), 'utf8')) as { engine?: string }).engine === 'neutron';
  } catch {
    return false;
  }
}

/** lab.json's profile (undefined when unreadable) */
function labProfileOf(stateDir: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(stateDir, 'lab.json'), 'utf8')) as { profile?: string }).profile;
  } catch {
    return undefined;
  }
}

/**
 * nova-network lab (issue 9): `--associate` re-binds the FIP on the host that holds it as
 * nova-network's bind_floating_ip does (/32, NAT, arping when send_arp_for_ha); `--lab-garp none`
 * leaves the arping out — send_arp_for_ha=False (LP 782364). The lab moves no FIP between
 * instances and builds no disassociation: refused before anything is captured.
 */
function novaLabFipTrigger(stateDir: string, fip: string, action: GarpAction, garp: LabGarpMode): (plan: AnnouncerPlan) => Promise<TriggerResult> {
  if (action.kind !== 'associate') throw new HaprobeError('usage', `the nova-network lab only re-associates a floating IP with its instance (--associate); ${action.kind === 'disassociate' ? '--disassociate' : action.what} is not built`, { where: 'garp verify' });
  if (garp === 'wrong-sender') throw new HaprobeError('usage', '--lab-garp wrong-sender is a Neutron lab fault; on nova-network use none (send_arp_for_ha=False)', { where: '--lab-garp' });
  return async () => {
    const r = await lab().reassociateNovaFip({ stateDir, fip, garp: garp === 'normal', instance: action.instance });
    const how = garp === 'normal' ? 'arping -U -A -c 3 from public_interface (send_arp_for_ha=True)' : 'none (send_arp_for_ha=False, LP 782364)';
    return { description: `lab re-associated ${fip} with ${r.instance} on ${r.host} eth0 as nova-network's bind_floating_ip (G-ARP: ${how})`, eventAtMs: r.boundAtMs, detail: r };
  };
}

/** the trigger for `garp verify --associate/--disassociate --via lab` */
export function labFipTrigger(stateDir: string, fip: string, action: GarpAction, garp: LabGarpMode = 'normal'): (plan: AnnouncerPlan) => Promise<TriggerResult> {
  if (labProfileOf(stateDir)?.startsWith('nova-')) return novaLabFipTrigger(stateDir, fip, action, garp);
  if (isNeutronEngine(stateDir)) {
    if (garp !== 'normal') throw new HaprobeError('usage', '--lab-garp needs the hand-built lab: the real engine announces as neutron does', { where: 'garp verify' });
    return async (plan) => {
      /* eslint-disable @typescript-eslint/no-var-requires */
      const { openLabApi } = require('../lab/neutron/up') as typeof import('../lab/neutron/up');
      const nfip = require('../lab/neutron/fip') as typeof import('../lab/neutron/fip');
      /* eslint-enable @typescript-eslint/no-var-requires */
      const api = await openLabApi();
      if (action.kind === 'disassociate') {
        const r = await nfip.setFloatingIpPort(api, fip, null);
        return { description: `neutron API disassociated ${fip}`, eventAtMs: r.atMs, detail: r, asynchronous: true };
      }
      if (action.kind !== 'associate') throw new HaprobeError('usage', `the real-engine lab cannot do "${action.what}" for garp verify`);
      const instance = plan.instance?.name ?? action.instance;
      const r = await nfip.setFloatingIpPort(api, fip, await nfip.instancePortOf(api, instance));
      return { description: `neutron API associated ${fip} with ${instance} (${plan.mode === 'ovn' ? 'ovn-controller' : 'the L3 agent'} announces)`, eventAtMs: r.atMs, detail: r, asynchronous: true };
    };
  }
  return async (plan) => {
    const at = Date.now();
    if (action.kind === 'disassociate') {
      const rec = await lab().disassociateFip({ stateDir, fip });
      return { description: `lab disassociated ${fip} from ${rec.instance} on ${rec.node}`, eventAtMs: Math.min(rec.addressAppliedAtMs, rec.natAppliedAtMs) || at, detail: rec };
    }
    if (action.kind !== 'associate') throw new HaprobeError('usage', `the lab cannot do "${action.what}" for garp verify`);
    const instance = plan.instance?.name ?? action.instance;
    const rec = await lab().associateFip({ stateDir, fip, instance, noGarp: garp === 'none', wrongSender: garp === 'wrong-sender' });
    const how = rec.garp ? `${rec.garp.pattern}, ${rec.garp.sentAtMs.length} arping run(s)` : 'keepalived SIGHUP';
    return { description: `lab associated ${fip} with ${rec.instance} on ${rec.node} ${rec.device} (G-ARP: ${how})`, eventAtMs: rec.natAppliedAtMs || at, detail: rec };
  };
}

export function requireLab(stateDir: string | undefined, what: string): string {
  if (!stateDir) {
    throw new HaprobeError('usage', `${what} --via lab needs a lab`, { hint: 'pass --state-dir DIR, or the inventory.yaml of a lab (next to its lab.json)' });
  }
  return stateDir;
}

/**
 * The drill as the other drills report it (pure): a DrillOutcome whose DrillResult has no takeover
 * and two paths — r1's FIP cut (not pinged: the client only sees the balancer) and the client
 * behind haproxy as the surviving one — so `--output` writes it to a run file and `--repeat`
 * prints its distribution like every drill (issue 9).
 */
export function multiNicDrillOutcome(r: MultiNicDrillResult, startedAt: string): DrillOutcome {
  const events: DrillEvent[] = [{ tMs: 0, kind: 'fault', node: r.node, detail: `${r.fault} on ${r.node} (router ${r.routerId})` }];
  if (r.firstFailMs !== undefined) events.push({ tMs: r.firstFailMs, kind: 'ping-lost', detail: `client → haproxy ${r.frontend}: ${r.failedAfterFault} attempt(s) failed` });
  if (r.backendDownMs !== undefined) events.push({ tMs: r.backendDownMs, kind: 'path-down', node: r.node, detail: `haproxy took ${r.floatingIp} out (health check inter 500ms fall 2)` });
  if (r.recoveredMs !== undefined) events.push({ tMs: r.recoveredMs, kind: 'ping-recovered', detail: `client answered through the other path` });
  events.sort((a, b) => a.tMs - b.tMs);
  const outageMs = r.firstFailMs === undefined ? 0 : r.recoveredMs === undefined ? null : r.outageMs;
  const took = r.backendDownMs === undefined ? 'haproxy did not take the path out within the drill' : `haproxy took the path out at +${r.backendDownMs} ms`;
  const drill: DrillResult = {
    router: `multi-NIC pair: router ${r.routerId} on ${r.node}`, fault: `${r.fault} ${r.node}`, startedAt, events,
    outageMs, newPrimaryMs: null, firstGarpMs: null, budgetMs: r.budgetSeconds * 1000, verdict: r.verdict, oldPrimary: r.node,
    message: `client behind haproxy ${r.frontend}: outage ${outageMs === null ? 'not recovered' : `${outageMs} ms`} (budget ${r.budgetSeconds} s), ${r.failedAfterFault} of ${r.attempts} attempts failed; ${took}`,
    paths: [
      { role: 'cut', target: r.floatingIp, host: r.node },
      { role: 'surviving', target: `haproxy ${r.frontend}`, outageMs },
    ],
  };
  return {
    drill, restored: [`${r.fault} undone on ${r.node}, both haproxy backends UP`], primariesAfterRestore: [r.node], garps: [], sources: [], warnings: [],
    clockOffsets: [], flaps: [], explanation: [], words: { unit: '', role: 'network node', garpFrom: 'qg-' },
  };
}

/**
 * `drill failover --via lab` on an L3 HA router: the lab's own failover (it records what it did, so
 * its restore restarts keepalived / sets ha- up again); stop-node also sets the primary's ha- down
 * over SSH, as a dead node's link would be.
 */
export function labRouterFaultInjector(fault: DrillFault, stateDir: string): RouterFaultInjector {
  return {
    async inject(t) {
      if (fault === 'stop-node') {
        await Promise.all([lab().failoverRouter({ stateDir, router: t.router, how: 'kill-keepalived', waitMs: 30_000 }), setHaLink(t, 'down')]);
        return;
      }
      await lab().failoverRouter({ stateDir, router: t.router, how: fault, waitMs: 30_000 });
    },
    async restore(t, warnings) {
      const done: string[] = [];
      try {
        if (fault !== 'kill-keepalived') done.push(await setHaLink(t, 'up'));
        const recs = await lab().restoreRouter({ stateDir });
        done.push(`lab restore: ${recs.length} failover(s) undone (keepalived restarted / ha- up on ${t.node})`);
      } catch (err) {
        warnings.push(`restore failed: ${(err as Error).message}`);
      }
      return done;
    },
  };
}

/**
 * `drill failover --via lab` on a nova-network hot standby pair: the fault is made over SSH as on a
 * real host; the restore brings the member back through the lab (keepalived again, or as after a
 * reboot for stop-node, which only the lab can undo).
 */
export function labNovaFaultInjector(fault: DrillFault, stateDir: string): NovaFaultInjector {
  return {
    inject: (t) => injectNovaFaultOverSsh(fault, t),
    async restore(t, warnings) {
      try {
        if (fault === 'link-down') return [await setFlatInterfaceUp(t)];
        await lab().restoreNovaMember({ stateDir, node: t.node, fault });
        return [fault === 'stop-node' ? `${t.node} back as after a reboot (role released, links up, keepalived as backup)` : `keepalived started again on ${t.node} (backup)`];
      } catch (err) {
        warnings.push(`restore failed: ${(err as Error).message}`);
        return [];
      }
    },
  };
}
