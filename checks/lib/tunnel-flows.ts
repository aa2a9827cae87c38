import type { NodeSnapshot, OvsFlow, OvsInterface } from '../../src/model/types';

/**
 * br-tun reading for the stale-tunnel check (ground-truth §4 P4, §7 row 14). Pure helpers over
 * the collected OVSDB Interface table and `ovs-ofctl dump-flows br-tun`.
 *
 * neutron's br-tun: table 10 (LEARN_FROM_TUN) learns every frame coming out of a tunnel into table
 * 20 (UCAST_TO_TUN) as `priority=1,hard_timeout=300,vlan_tci=<lvid>,dl_dst=<src MAC> →
 * load tun_id, output:<the tunnel port it came in on>`; l2population installs
 * `priority=2,dl_vlan=<lvid>,dl_dst=<MAC> → strip_vlan,set tun_id,output:<tunnel port>` for the
 * port's bound host. The highest-priority entry for a (VLAN, MAC) decides where br-tun sends it.
 */

/** tunnel interface types neutron's OVS agent creates on br-tun */
export const TUNNEL_TYPES = ['vxlan', 'gre', 'geneve'];

/** UCAST_TO_TUN: where unicast to remote MACs is sent (learned from table 10 or set by l2pop) */
export const UCAST_TO_TUN = 20;

export interface TunnelPort {
  name: string;
  ofport?: number;
  type: string;
  remoteIp?: string;
  localIp?: string;
}

export function tunnelPorts(node: NodeSnapshot, bridge = 'br-tun'): TunnelPort[] {
  const br = node.ovs?.bridges.find((b) => b.name === bridge);
  const out: TunnelPort[] = [];
  for (const p of br?.ports ?? [])
    for (const i of p.interfaces) if (i.type && TUNNEL_TYPES.includes(i.type)) out.push(toTunnelPort(i));
  return out;
}

function toTunnelPort(i: OvsInterface): TunnelPort {
  const t: TunnelPort = { name: i.name, type: i.type ?? '' };
  if (i.ofport !== undefined) t.ofport = i.ofport;
  if (i.options?.remote_ip) t.remoteIp = i.options.remote_ip;
  if (i.options?.local_ip) t.localIp = i.options.local_ip;
  return t;
}

/** the node's own tunnel endpoint: the local_ip its tunnel ports carry (undefined when none or several) */
export function localTunnelIp(node: NodeSnapshot): string | undefined {
  const ips = new Set(tunnelPorts(node).map((t) => t.localIp).filter((x): x is string => !!x));
  return ips.size === 1 ? [...ips][0] : undefined;
}

/** the last `output:` of a flow's actions: a port number or a (possibly quoted) port name */
export function outputPortOf(actions: string): string | undefined {
  const all = [...actions.matchAll(/output:(?:"([^"]+)"|([^,\s)]+))/g)];
  const last = all[all.length - 1];
  return last ? (last[1] ?? last[2]) : undefined;
}

export interface UcastEntry {
  mac: string;
  /** the local VLAN it matches (dl_vlan, or vlan_tci's low 12 bits), "" when none */
  vlan: string;
  flow: OvsFlow;
  learned: boolean;
  /** the tunnel port it sends to, when the output names one of the bridge's tunnel ports */
  port?: TunnelPort;
  output?: string;
}

function vlanOf(match: Record<string, string>): string {
  if (match.dl_vlan !== undefined) return match.dl_vlan;
  const tci = match.vlan_tci;
  if (tci === undefined) return '';
  const v = Number.parseInt(tci.split('/')[0] ?? '', 16);
  return Number.isFinite(v) ? String(v & 0xfff) : tci;
}

/**
 * The effective table-20 entry per (VLAN, MAC) for the given MACs: the highest priority wins
 * (l2pop's 2 over a learned 1). Learned = `hard_timeout` in the raw flow or priority 1.
 */
export function effectiveUcastEntries(node: NodeSnapshot, macs: Set<string>, bridge = 'br-tun'): UcastEntry[] {
  const ports = tunnelPorts(node, bridge);
  const best = new Map<string, UcastEntry>();
  for (const flow of node.flows[bridge] ?? []) {
    if (flow.table !== UCAST_TO_TUN) continue;
    const mac = flow.match.dl_dst?.toLowerCase();
    if (!mac || !macs.has(mac)) continue;
    const vlan = vlanOf(flow.match);
    const output = outputPortOf(flow.actions);
    const port = output === undefined ? undefined : ports.find((p) => p.name === output || String(p.ofport) === output);
    const entry: UcastEntry = { mac, vlan, flow, learned: /hard_timeout=/.test(flow.raw) || flow.priority === 1 };
    if (port) entry.port = port;
    if (output !== undefined) entry.output = output;
    const key = `${vlan}|${mac}`;
    const known = best.get(key);
    if (!known || flow.priority > known.flow.priority) best.set(key, entry);
  }
  return [...best.values()];
}
