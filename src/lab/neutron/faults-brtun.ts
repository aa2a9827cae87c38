import { HaprobeError } from '../../errors';
import { nodeScript } from '../shell';
import { routerAgents } from './build';
import type { NeutronFaultCtx, NeutronFaultSpec } from './fault-spec';
import type { NeutronFaultRecord } from './state';
import { readStateFiles } from './up';

/**
 * §7 row 14 (lp#2123911) on the real engine: br-tun of a node keeps sending the HA router's shared
 * qr- MAC into the tunnel towards a node that is no longer primary. Seen by mechanism on this lab
 * (2026-12-01): SIGKILL of the primary's keepalived leaves its VIPs in place until neutron's
 * process monitor respawns keepalived, the old primary keeps speaking meanwhile, and cmp1's table
 * 20 re-learned the qr- MAC towards it; after the respawn (state backup) the entry still pointed
 * there until traffic from the new primary came out of its tunnel. That race is not repeatable on
 * demand, so the fault makes its end state: the learned entry neutron's table-10 `learn` writes
 * (`priority=1,hard_timeout=300,vlan_tci=<lvid>/0x0fff,dl_dst=<MAC>`, the agent's cookie), with
 * the output port of the tunnel towards a backup. It ages out by itself after 300 s, or is
 * overwritten as soon as a frame from the primary with that MAC comes out of a tunnel.
 */

export interface StaleFlowPlan {
  mac: string;
  lvid: number;
  segId: number;
  ofport: number;
  cookie: string;
}

/** the flow neutron's learn action would have written, pointing at `ofport` */
export function staleLearnedFlow(p: StaleFlowPlan): string {
  return `table=20,priority=1,hard_timeout=300,cookie=${p.cookie},vlan_tci=0x${p.lvid.toString(16).padStart(4, '0')}/0x0fff,dl_dst=${p.mac},` +
    `actions=load:0->NXM_OF_VLAN_TCI[],load:0x${p.segId.toString(16)}->NXM_NX_TUN_ID[],output:${p.ofport}`;
}

/** its strict match, for the heal's `ovs-ofctl --strict del-flows` */
export function staleFlowMatch(p: Pick<StaleFlowPlan, 'mac' | 'lvid'>): string {
  return `table=20,priority=1,vlan_tci=0x${p.lvid.toString(16).padStart(4, '0')}/0x0fff,dl_dst=${p.mac}`;
}

/** the local VLAN br-tun table 4 maps a VXLAN id to (`tun_id=0x2d6 actions=mod_vlan_vid:1,…`) */
export function lvidOfSegment(table4: string, segId: number): number | undefined {
  for (const line of table4.split('\n')) {
    const m = /tun_id=0x([0-9a-f]+)\b.*actions=mod_vlan_vid:(\d+)/.exec(line);
    if (m && Number.parseInt(m[1]!, 16) === segId) return Number(m[2]);
  }
  return undefined;
}

/** the cookie of table 10's learn flow (the agent's cookie, kept on the entries it learns) */
export function learnCookie(table10: string): string | undefined {
  return /cookie=(0x[0-9a-f]+).*actions=learn\(/.exec(table10)?.[1];
}

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const IP_RE = /^\d{1,3}(\.\d{1,3}){3}$/;

function holder(ctx: NeutronFaultCtx, node: string): number {
  const h = ctx.state.nodes[node]?.holderPid;
  if (!h) throw new HaprobeError('usage', `unknown real-engine lab node ${node}`, { hint: Object.keys(ctx.state.nodes).join(', ') });
  return h;
}

export const BRTUN_FAULTS: readonly NeutronFaultSpec[] = [
  {
    name: 'lp2123911',
    bug: { row: 14, refs: ['lp#2123911'], how: 'symptom' },
    check: 'ovs-tunnel-stale-mac',
    subject: 'node (a compute that is no replica of the router)',
    description:
      'br-tun of a compute node (--node; default the first compute) gets the learned table-20 entry for the HA router\'s qr- MAC pointing at the tunnel ' +
      'towards a BACKUP (the end state of a failover br-tun did not follow, LP #2123911): `run` says ovs-tunnel-stale-mac',
    heal: 'delete that table-20 entry (ovs-ofctl --strict del-flows); the next frame from the primary is learned again',
    async apply(ctx): Promise<NeutronFaultRecord> {
      const rid = ctx.state.resources.routerId!;
      const hosts = (await routerAgents(ctx.api, rid)).map((a) => a.host);
      const files = readStateFiles(ctx.p, hosts, rid);
      const primaries = hosts.filter((h) => files[h] === 'primary');
      const backup = hosts.find((h) => files[h] === 'backup');
      if (primaries.length !== 1 || !backup) throw new HaprobeError('lab', `lp2123911 needs one primary and a backup: ${JSON.stringify(files)}`);
      const victim = ctx.node ?? Object.values(ctx.state.nodes).find((n) => n.kind === 'compute')?.name;
      if (!victim || hosts.includes(victim)) throw new HaprobeError('usage', `lp2123911 acts on a node that is no replica of router ${rid} (a compute): got ${victim ?? 'none'}`);
      const ports = (await ctx.api.neutronRequest<{ ports: { mac_address: string; network_id: string }[] }>(
        'GET', `/ports?device_id=${rid}&device_owner=network:ha_router_replicated_interface`)).ports;
      const qr = ports.find((p) => p.network_id === ctx.state.resources.tenantNetId) ?? ports[0];
      if (!qr || !MAC_RE.test(qr.mac_address)) throw new HaprobeError('lab', `router ${rid} has no qr- port in the API`);
      const net = (await ctx.api.neutronRequest<{ network: Record<string, unknown> }>('GET', `/networks/${qr.network_id}`)).network;
      const segId = Number(net['provider:segmentation_id']);
      if (!Number.isInteger(segId)) throw new HaprobeError('lab', `network ${qr.network_id} has no segmentation id`);
      // --bare prints the options map as `local_ip=198.18.9.11 …` (unquoted)
      const opts = await nodeScript(holder(ctx, backup), 'ovs-vsctl --bare --columns=options find Interface type=vxlan\n', `tunnel IP of ${backup}`);
      const backupIp = /\blocal_ip="?([0-9.]+)/.exec(opts)?.[1] ?? '';
      if (!IP_RE.test(backupIp)) throw new HaprobeError('lab', `${backup} has no VXLAN tunnel port (no local_ip)`);
      const read = await nodeScript(holder(ctx, victim),
        `ovs-ofctl dump-flows br-tun table=4; echo @@; ovs-ofctl dump-flows br-tun table=10; echo @@; ovs-vsctl --bare --columns=ofport find Interface type=vxlan options:remote_ip=${backupIp}\n`,
        `br-tun of ${victim}`);
      const [t4 = '', t10 = '', ofp = ''] = read.split('@@');
      const lvid = lvidOfSegment(t4, segId);
      const cookie = learnCookie(t10);
      const ofport = Number(ofp.trim());
      if (lvid === undefined || !cookie || !Number.isInteger(ofport) || ofport <= 0)
        throw new HaprobeError('lab', `br-tun of ${victim}: no local VLAN for VXLAN ${segId}, learn cookie or tunnel port to ${backupIp} (${JSON.stringify({ lvid, cookie, ofport })})`);
      const plan = { mac: qr.mac_address, lvid, segId, ofport, cookie };
      await nodeScript(holder(ctx, victim), `ovs-ofctl add-flow br-tun '${staleLearnedFlow(plan)}'\n`, `stale table-20 entry on ${victim}`);
      return {
        name: 'lp2123911', node: victim, subject: `br-tun of ${victim}: ${qr.mac_address} → tunnel ${ofport} (${backup})`, appliedAt: new Date().toISOString(),
        detail: { mac: qr.mac_address, lvid, segId, ofport, cookie, primary: primaries[0]!, towards: backup, towardsIp: backupIp },
      };
    },
    async undo(ctx, r) {
      const d = r.detail as { mac: string; lvid: number };
      await nodeScript(holder(ctx, r.node), `ovs-ofctl --strict del-flows br-tun '${staleFlowMatch(d)}'\n`, `remove the stale entry on ${r.node}`);
    },
  },
];
