import { HaprobeError } from '../../errors';
import type { FaultListing } from '../fault-spec';
import { nodeArgv, nodeScript, runArgv } from '../shell';
import { quoteArgv } from '../../transport/quote-shell';
import { neutronLabPaths, upNeutronStateDir, type NeutronLabPaths } from './names';
import { crLrpChassis, ovnDbRows } from './ovn-build';
import { readNeutronState, writeNeutronState, type NeutronLabState, type OvnFaultRecord } from './state';

/**
 * Faults of the ML2/OVN lab (issue 11, ground-truth §7 rows #32–#37 that can exist on OVN 23.03),
 * each made with OVN's own tools on the live lab and undone by its heal. Rows whose fix is in
 * 23.03 (#32 OVN 22.06, #33 22.03, #35 21.06) can only be shown as their symptom; #34 (FDP-1418,
 * fixed in 25.09) and #36 (bz 2087779, 23.09) are 23.03's own behaviour: the drill and every OVN
 * lab show them, no fault is needed (docs/ovn-lab.md).
 */
export interface OvnFaultCtx {
  state: NeutronLabState;
  paths: NeutronLabPaths;
  node?: string;
}

export interface OvnFaultSpec {
  name: string;
  aliases?: string[];
  needs?: string;
  /** haprobe check that must catch it (profile `ovn`, branch i11-ovnchecks) */
  check: string;
  subject: string;
  also?: string;
  description: string;
  bug?: { row: number; refs: string[]; how?: 'mechanism' | 'symptom' };
  apply(ctx: OvnFaultCtx): Promise<OvnFaultRecord>;
  heal(ctx: OvnFaultCtx, rec: OvnFaultRecord): Promise<void>;
}

/** ids of the `ovn` profile's checks each fault must trip (ground-truth §6 checks 1–7) */
export const OVN_CHECK_IDS = {
  gatewayPriorities: 'ovn-gateway-chassis',
  crLrp: 'ovn-cr-lrp-claim',
  nat: 'ovn-nat-rows',
  externalLsp: 'ovn-garp-options',
  bfd: 'ovn-bfd',
  metadata: 'ovn-metadata-namespace',
} as const;

function holder(ctx: OvnFaultCtx, node: string): number {
  const pid = ctx.state.nodes[node]?.holderPid;
  if (!pid) throw new HaprobeError('usage', `unknown OVN lab node ${node}`);
  return pid;
}
const central = (ctx: OvnFaultCtx): number => holder(ctx, 'central');

async function nb(ctx: OvnFaultCtx, args: string[]): Promise<string> {
  const r = await runArgv(nodeArgv(central(ctx), ['ovn-nbctl', ...args]), '', 30_000);
  if (r.code !== 0) throw new HaprobeError('lab', `ovn-nbctl ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** the router's gateway LRP (the one with Gateway_Chassis rows) and the provider network's type=router LSP facing it */
async function gatewayPorts(ctx: OvnFaultCtx): Promise<{ lrp: string; lsp: string }> {
  const lrp = (await nb(ctx, ['--bare', '--columns=name', 'find', 'Logical_Router_Port', 'gateway_chassis!=[]'])).split('\n')[0]?.trim();
  if (!lrp) throw new HaprobeError('lab', 'no gateway router port in the NB');
  const lsp = (await nb(ctx, ['--bare', '--columns=name', 'find', 'Logical_Switch_Port', 'type=router', `options:router-port=${lrp}`])).split('\n')[0]?.trim();
  if (!lsp) throw new HaprobeError('lab', `no type=router LSP for ${lrp}`);
  return { lrp, lsp };
}

function rec(spec: OvnFaultSpec, subject: string, node: string | undefined, undo: Record<string, string>): OvnFaultRecord {
  return { name: spec.name, node, subject, check: spec.check, appliedAt: new Date().toISOString(), undo };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);

export const OVN_FAULTS: readonly OvnFaultSpec[] = [
  {
    name: 'rhbz2054394',
    aliases: ['ovn-exclude-lb-vips-off'],
    bug: { row: 33, refs: ['rhbz#2054394', 'rhbz#2053013'], how: 'symptom' },
    check: OVN_CHECK_IDS.externalLsp,
    subject: 'router + port (the provider network LSP of the router gateway)',
    description: 'remove options:exclude-lb-vips-from-garp from the external type=router LSP (neutron Zed 9d4e6edd5b sets it): every router announces LB VIPs',
    async apply(ctx) {
      const { lsp } = await gatewayPorts(ctx);
      const prev = (await nb(ctx, ['--if-exists', 'get', 'Logical_Switch_Port', lsp, 'options:exclude-lb-vips-from-garp'])).replace(/"/g, '') || 'true';
      await nb(ctx, ['remove', 'Logical_Switch_Port', lsp, 'options', 'exclude-lb-vips-from-garp']);
      return rec(this, `port ${lsp}`, 'central', { lsp, prev });
    },
    async heal(ctx, r) {
      await nb(ctx, ['set', 'Logical_Switch_Port', r.undo.lsp, `options:exclude-lb-vips-from-garp=${r.undo.prev}`]);
    },
  },
  {
    name: 'lp2111593',
    aliases: ['ovn-fip-no-external-mac', 'lp2161095'],
    bug: { row: 37, refs: ['lp#2111593', 'lp#2161095'], how: 'symptom' },
    needs: 'profile ovn (enable_distributed_floating_ip = True)',
    check: OVN_CHECK_IDS.nat,
    subject: 'router + floatingIp (the dnat_and_snat NAT row of a FIP)',
    description: 'clear external_mac of a distributed FIP\'s NAT row while its LSP is up, as neutron committed it (the FIP is then processed on the gateway chassis)',
    async apply(ctx) {
      const rows = await ovnDbRows(central(ctx), 'ovn-nbctl', ['--columns=_uuid,type,external_ip,external_mac', 'list', 'NAT']);
      const row = rows.find((x) => x.type === 'dnat_and_snat' && str(x.external_mac));
      if (!row) throw new HaprobeError('usage', `${this.name} needs a distributed FIP (lab profile ovn): no dnat_and_snat row with external_mac`);
      await nb(ctx, ['clear', 'NAT', String(row._uuid), 'external_mac']);
      return rec(this, `floatingIp ${String(row.external_ip)}`, 'central', { uuid: String(row._uuid), mac: str(row.external_mac)!, fip: String(row.external_ip) });
    },
    async heal(ctx, r) {
      await nb(ctx, ['set', 'NAT', r.undo.uuid, `external_mac="${r.undo.mac}"`]);
    },
  },
  {
    name: 'ovn-gw-priority-tie',
    check: OVN_CHECK_IDS.gatewayPriorities,
    subject: 'router + port (the gateway router port whose Gateway_Chassis tie)',
    description: 'give the second Gateway_Chassis of the gateway port the priority of the first: two chassis tie for cr-lrp (neutron writes len(list)…1)',
    async apply(ctx) {
      const rows = (await ovnDbRows(central(ctx), 'ovn-nbctl', ['--columns=_uuid,name,priority', 'list', 'Gateway_Chassis']))
        .sort((a, b) => Number(b.priority) - Number(a.priority));
      if (rows.length < 2) throw new HaprobeError('lab', 'fewer than two Gateway_Chassis rows');
      await nb(ctx, ['set', 'Gateway_Chassis', String(rows[1]._uuid), `priority=${String(rows[0].priority)}`]);
      return rec(this, `gatewayChassis ${String(rows[1].name)}`, 'central', { uuid: String(rows[1]._uuid), prev: String(rows[1].priority) });
    },
    async heal(ctx, r) {
      await nb(ctx, ['set', 'Gateway_Chassis', r.undo.uuid, `priority=${r.undo.prev}`]);
    },
  },
  {
    name: 'ovn-tunnel-down',
    check: OVN_CHECK_IDS.bfd,
    subject: 'node + device (the tunnel of every peer towards the cut gateway)',
    also: '`drill failover --fault tunnel-down` on the active gateway',
    description: 'take a gateway chassis\' underlay link down (dt-up on br-phy, default gw3): its BFD sessions go down on every peer',
    async apply(ctx) {
      const node = ctx.node ?? 'gw3';
      await nodeScript(holder(ctx, node), 'ip link set dt-up down\n', `underlay down on ${node}`);
      return rec(this, `chassis ${node}`, node, { node });
    },
    async heal(ctx, r) {
      await nodeScript(holder(ctx, r.undo.node), 'ip link set dt-up up\n', `underlay up on ${r.undo.node}`);
    },
  },
  {
    name: 'ovn-metadata-ns-gone',
    check: OVN_CHECK_IDS.metadata,
    subject: 'node + namespace (ovnmeta-<network> on a compute with instances)',
    description: 'delete the ovnmeta- namespace of cmp1 (default) and its haproxy: instances there lose 169.254.169.254',
    async apply(ctx) {
      const node = ctx.node ?? 'cmp1';
      const out = await nodeScript(holder(ctx, node), [
        'set -e', 'ns=$(ip netns | awk \'/^ovnmeta-/{print $1; exit}\')', '[ -n "$ns" ] || { echo "no ovnmeta- namespace" >&2; exit 1; }',
        'for p in $(ip netns pids "$ns"); do kill "$p"; done', 'ip netns del "$ns"', 'echo "$ns"',
      ].join('\n') + '\n', `delete ovnmeta- on ${node}`);
      return rec(this, `node ${node} namespace ${out.trim()}`, node, { node, ns: out.trim() });
    },
    async heal(ctx, r) {
      // the metadata agent provisions a datapath on its start (sync): restart it
      await nodeScript(holder(ctx, r.undo.node), [
        'kill $(cat /var/lib/neutron/ovn-metadata-agent.pid) 2>/dev/null || true', 'sleep 2',
        'nohup neutron-ovn-metadata-agent --config-file /etc/neutron/neutron.conf --config-file /etc/neutron/neutron_ovn_metadata_agent.ini ' +
        '>>/var/log/neutron/ovn-metadata-agent.out 2>&1 </dev/null &', 'echo $! > /var/lib/neutron/ovn-metadata-agent.pid',
        `for i in $(seq 120); do ip netns | grep -q ${quoteArgv([r.undo.ns])} && exit 0; sleep 1; done; echo "ovnmeta- not back" >&2; exit 1`,
      ].join('\n') + '\n', `restart the metadata agent on ${r.undo.node}`, 180_000);
    },
  },
];

export function isOvnFault(name: string): boolean {
  return OVN_FAULTS.some((f) => f.name === name || f.aliases?.includes(name) === true);
}

function findOvnFault(name: string): OvnFaultSpec {
  const f = OVN_FAULTS.find((x) => x.name === name || x.aliases?.includes(name) === true);
  if (!f) throw new HaprobeError('usage', `unknown OVN lab fault "${name}"`, { hint: OVN_FAULTS.map((x) => x.name).join(', ') });
  return f;
}

/** whether the real engine's lab in stateDir is an OVN lab that is up (lab heal picks the fault set by it) */
export function isOvnLabUp(stateDir?: string): boolean {
  const state = readNeutronState(neutronLabPaths(upNeutronStateDir(stateDir)));
  return !!state && state.phase === 'up' && !!state.ovn;
}

function ovnContext(stateDir?: string, node?: string): OvnFaultCtx {
  const paths = neutronLabPaths(upNeutronStateDir(stateDir));
  const state = readNeutronState(paths);
  if (!state || state.phase !== 'up' || !state.ovn) throw new HaprobeError('usage', 'no OVN lab is up', { hint: 'haprobe lab up --engine neutron --profile ovn' });
  return { state, paths, node };
}

export async function applyOvnFault(opts: { stateDir?: string; name: string; node?: string }): Promise<OvnFaultRecord & { also?: string }> {
  const spec = findOvnFault(opts.name);
  const ctx = ovnContext(opts.stateDir, opts.node);
  const faults = ctx.state.ovn!.faults ?? [];
  if (faults.some((f) => f.name === spec.name)) throw new HaprobeError('usage', `fault ${spec.name} is applied`, { hint: `haprobe lab heal ${spec.name}` });
  const r = await spec.apply(ctx);
  ctx.state.ovn!.faults = [...faults, r];
  writeNeutronState(ctx.paths, ctx.state);
  return { ...r, also: spec.also };
}

/** heal one OVN fault by name, or every applied one (last first) */
export async function healOvnFaults(opts: { stateDir?: string; name?: string } = {}): Promise<OvnFaultRecord[]> {
  const ctx = ovnContext(opts.stateDir);
  const wanted = opts.name === undefined ? undefined : findOvnFault(opts.name).name;
  const todo = (ctx.state.ovn!.faults ?? []).filter((f) => !wanted || f.name === wanted).reverse();
  if (opts.name && todo.length === 0) throw new HaprobeError('usage', `fault ${opts.name} is not applied`);
  for (const r of todo) {
    await findOvnFault(r.name).heal(ctx, r);
    ctx.state.ovn!.faults = (ctx.state.ovn!.faults ?? []).filter((f) => f !== r && !(f.name === r.name && f.appliedAt === r.appliedAt));
    writeNeutronState(ctx.paths, ctx.state);
  }
  return todo;
}

export function listOvnFaults(): FaultListing[] {
  return OVN_FAULTS.map((f) => ({
    name: f.name, aliases: f.aliases ?? [], row: f.bug?.row, bugs: f.bug?.refs ?? [], check: f.check, subject: f.subject,
    how: f.bug?.how, needs: f.needs ?? 'OVN lab (lab up --engine neutron --profile ovn)', also: f.also, description: f.description,
  }));
}
