import type { ParseResult, ParseWarning } from '../parse/types';
import { addWarning } from '../parse/lines';
import { byPriorityDesc, num, optStr, readOvsdbTables, str, strList, strMap, type OvsdbRow } from '../parse/parse-ovn-tables';

/**
 * The SB side of the OVN gateway drill (issue 11), pure: which chassis claims a router's
 * chassisredirect port `cr-lrp-<gw port>`, its HA members by priority, and what the claiming
 * chassis announces (the external patch port's nat_addresses entries resident on that cr-lrp:
 * exactly the MAC/IP pairs ovn-controller's pinctrl G-ARPs, ground-truth §6e).
 */

/** the documents buildOvnSbGatewaysCommand prints, in order ('cr' and 'patch' are two finds on Port_Binding) */
export const OVN_SB_GATEWAY_TABLES = ['Chassis', 'HA_Chassis_Group', 'HA_Chassis', 'cr', 'patch'] as const;
/** the documents buildOvnSbClaimCommand prints */
export const OVN_SB_CLAIM_TABLES = ['Chassis', 'cr'] as const;

export interface OvnSbChassisName {
  name: string;
  hostname?: string;
}

export interface OvnGatewayPort {
  /** cr-lrp-<uuid> */
  port: string;
  /** chassis NAME claiming it (undefined: unclaimed) */
  chassis?: string;
  additionalChassis: string[];
  /** the LRP's MAC and networks (the SB `mac` column: "MAC a.b.c.d/nn …") */
  mac?: string;
  networks: string[];
  /** neutron router UUID (external_ids neutron:router_name) */
  routerId?: string;
  /** HA members, highest priority first (empty when the group was not read) */
  members: { chassis: string; priority: number }[];
}

/** one nat_addresses entry of a patch port: MAC, addresses, and the port it is resident with */
export interface OvnAnnounce {
  mac: string;
  ips: string[];
  resident?: string;
}

export interface OvnSbGateways {
  chassis: OvnSbChassisName[];
  ports: OvnGatewayPort[];
  announces: OvnAnnounce[];
}

const NEUTRON_PREFIX = /^neutron-/;

function chassisNames(rows: OvsdbRow[]): { list: OvnSbChassisName[]; byUuid: Map<string, string> } {
  const byUuid = new Map<string, string>();
  const list = rows.map((r) => {
    const c: OvnSbChassisName = { name: str(r.name) };
    const h = optStr(r.hostname);
    if (h !== undefined) c.hostname = h;
    byUuid.set(str(r._uuid), c.name);
    return c;
  });
  return { list, byUuid };
}

/** `fa:16:3e:fb:68:85 203.0.113.69 is_chassis_resident("cr-lrp-…")` → OvnAnnounce (undefined when it is not one) */
export function parseNatAddress(entry: string): OvnAnnounce | undefined {
  const m = /^([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})\s+(.*)$/.exec(entry.trim());
  if (!m) return undefined;
  let rest = m[2];
  let resident: string | undefined;
  const r = /is_chassis_resident\("([^"]+)"\)\s*$/.exec(rest);
  if (r) {
    resident = r[1];
    rest = rest.slice(0, r.index);
  }
  const ips = rest.split(/\s+/).filter((w) => w !== '');
  if (ips.length === 0) return undefined;
  return resident !== undefined ? { mac: m[1].toLowerCase(), ips, resident } : { mac: m[1].toLowerCase(), ips };
}

/** the setup query (buildOvnSbGatewaysCommand) → every cr-lrp and every announcement. Pure, total. */
export function parseOvnSbGateways(text: string): ParseResult<OvnSbGateways> {
  const warnings: ParseWarning[] = [];
  const t = readOvsdbTables(text, OVN_SB_GATEWAY_TABLES, warnings);
  const { list, byUuid } = chassisNames(t.Chassis ?? []);
  const members = new Map<string, { chassis: string; priority: number }>();
  for (const r of t.HA_Chassis ?? []) {
    const c = optStr(r.chassis);
    const name = c !== undefined ? byUuid.get(c) : strMap(r.external_ids)['chassis-name'];
    const priority = num(r.priority);
    if (name === undefined || priority === undefined) addWarning(warnings, 1, `HA_Chassis ${str(r._uuid)} without a known chassis or priority`);
    else members.set(str(r._uuid), { chassis: name, priority });
  }
  const groups = new Map((t.HA_Chassis_Group ?? []).map((r) => [str(r._uuid), strList(r.ha_chassis).flatMap((u) => members.get(u) ?? []).sort(byPriorityDesc)]));
  const ports = (t.cr ?? []).map((r) => readCrRow(r, byUuid, warnings));
  for (const p of ports) {
    const row = (t.cr ?? []).find((r) => str(r.logical_port) === p.port);
    const g = row ? optStr(row.ha_chassis_group) : undefined;
    if (g !== undefined) p.members = groups.get(g) ?? [];
  }
  const announces: OvnAnnounce[] = [];
  for (const r of t.patch ?? []) {
    for (const e of strList(r.nat_addresses)) {
      const a = parseNatAddress(e);
      if (a) announces.push(a);
      else addWarning(warnings, 1, `Port_Binding ${str(r.logical_port)}: nat_addresses entry not understood`, e.slice(0, 120));
    }
  }
  return { value: { chassis: list, ports, announces }, warnings };
}

function readCrRow(r: OvsdbRow, byUuid: Map<string, string>, warnings: ParseWarning[]): OvnGatewayPort {
  const nameOf = (u: string): string => {
    const n = byUuid.get(u);
    if (n === undefined) addWarning(warnings, 1, `Port_Binding ${str(r.logical_port)}: chassis ${u} not in the Chassis table`);
    return n ?? u;
  };
  const p: OvnGatewayPort = { port: str(r.logical_port), additionalChassis: strList(r.additional_chassis).map(nameOf), networks: [], members: [] };
  const c = optStr(r.chassis);
  if (c !== undefined) p.chassis = nameOf(c);
  const words = (strList(r.mac)[0] ?? '').split(/\s+/).filter((w) => w !== '');
  if (words[0] && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(words[0])) p.mac = words[0].toLowerCase();
  p.networks = words.slice(1);
  const router = strMap(r.external_ids)['neutron:router_name'];
  if (router) p.routerId = router.replace(NEUTRON_PREFIX, '');
  return p;
}

/** the poll (buildOvnSbClaimCommand) → who claims the port now; `found` false when the SB has no such row */
export function parseOvnSbClaim(text: string, crLrp: string): ParseResult<{ found: boolean; chassis?: string; additionalChassis: string[] }> {
  const warnings: ParseWarning[] = [];
  const t = readOvsdbTables(text, OVN_SB_CLAIM_TABLES, warnings);
  const { byUuid } = chassisNames(t.Chassis ?? []);
  const row = (t.cr ?? []).find((r) => str(r.logical_port) === crLrp);
  if (!row) return { value: { found: false, additionalChassis: [] }, warnings };
  const p = readCrRow(row, byUuid, warnings);
  return { value: p.chassis !== undefined ? { found: true, chassis: p.chassis, additionalChassis: p.additionalChassis } : { found: true, additionalChassis: p.additionalChassis }, warnings };
}

/** the drill's gateway port: the one of --router, else the only cr-lrp; an error text when there is no single one */
export function pickOvnGatewayPort(ports: readonly OvnGatewayPort[], routerId?: string): OvnGatewayPort | string {
  if (routerId !== undefined) {
    const mine = ports.filter((p) => p.routerId === routerId);
    if (mine.length === 1) return mine[0]!;
    return mine.length === 0 ? `no cr-lrp port of router ${routerId} in the OVN southbound (routers with a gateway: ${ports.map((p) => p.routerId ?? p.port).join(', ') || 'none'})`
      : `router ${routerId} has ${mine.length} cr-lrp ports (${mine.map((p) => p.port).join(', ')}): not supported`;
  }
  if (ports.length === 1) return ports[0]!;
  return `give --router: ${ports.length} routers with a gateway port (cr-lrp) in the OVN southbound${ports.length ? ` (${ports.map((p) => p.routerId ?? p.port).join(', ')})` : ''}`;
}

/**
 * What the chassis claiming `port` announces from its provider bridge: the nat_addresses
 * entries resident on it (the router's gateway address, SNAT and centralized floating IPs, all
 * with the LRP MAC); without any (nat-addresses not set), the LRP's own networks and MAC.
 * Distributed floating IPs are resident on their instance's port: announced by its chassis, not here.
 */
export function listGatewayAnnouncements(gw: OvnGatewayPort, announces: readonly OvnAnnounce[]): { mac?: string; ips: string[]; source: 'nat_addresses' | 'cr-lrp mac' } {
  const mine = announces.filter((a) => a.resident === gw.port);
  if (mine.length > 0) {
    return { mac: mine[0]!.mac, ips: [...new Set(mine.flatMap((a) => a.ips.map((ip) => ip.split('/')[0]!)))], source: 'nat_addresses' };
  }
  return { ...(gw.mac ? { mac: gw.mac } : {}), ips: gw.networks.map((n) => n.split('/')[0]!).filter((ip) => ip.includes('.')), source: 'cr-lrp mac' };
}

/** the inventory node of a chassis: same name, or the chassis hostname (short or FQDN) */
export function nodeOfChassis(nodes: readonly { name: string }[], chassis: string, sbChassis: readonly OvnSbChassisName[]): string | undefined {
  const host = sbChassis.find((c) => c.name === chassis)?.hostname;
  const hit = nodes.find((n) => n.name === chassis) ?? nodes.find((n) => host !== undefined && (n.name === host || host.startsWith(`${n.name}.`) || n.name.startsWith(`${host}.`)));
  return hit?.name;
}
