import type { OvnChassis, OvnGatewayMember, OvnPortBinding, OvnSouthbound } from '../model/ovn-types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning } from './lines';
import { byPriorityDesc, num, optBool, optStr, readOvsdbTables, str, strList, strMap } from './parse-ovn-tables';
import type { OvsdbRow } from './parse-ovn-tables';

/** the tables section `ovn-sb` lists, in this order (Port_Binding with a column list: see ovn-script.ts) */
export const OVN_SB_TABLES = ['Chassis', 'Encap', 'HA_Chassis_Group', 'HA_Chassis', 'Port_Binding', 'Datapath_Binding'] as const;

/** Port_Binding columns the collector asks for (the table can be large: no tunnel keys, no nat_addresses) */
export const OVN_SB_PORT_BINDING_COLUMNS = ['_uuid', 'logical_port', 'type', 'chassis', 'additional_chassis', 'datapath', 'mac', 'up', 'ha_chassis_group', 'options', 'external_ids'];

/**
 * `ovn-sbctl --format=json --data=json -- list Chassis -- … -- list Datapath_Binding`
 * (OVN_SB_TABLES) → OvnSouthbound: chassis with encap IPs and ovn-cms-options, every port binding
 * with the NAME of its claiming chassis, its datapath's NB name and its HA members. Pure, total.
 */
export function parseOvnSb(text: string): ParseResult<OvnSouthbound> {
  const warnings: ParseWarning[] = [];
  const t = readOvsdbTables(text, OVN_SB_TABLES, warnings);
  const rows = (name: (typeof OVN_SB_TABLES)[number]): OvsdbRow[] => t[name] ?? [];
  const uuid = (r: OvsdbRow): string => str(r._uuid);

  const encapIp = new Map(rows('Encap').map((r) => [uuid(r), str(r.ip)]));
  const chassisName = new Map<string, string>();
  const chassis: OvnChassis[] = rows('Chassis').map((r) => {
    const name = str(r.name);
    chassisName.set(uuid(r), name);
    // ovn-controller writes ovn-cms-options to other_config (OVN 20.06+) and, up to 22.06, also to
    // external_ids; neutron ≤ Zed reads external_ids, 2023.1+ other_config: keep both columns
    const split = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter((s) => s !== ''));
    const inOther = split(strMap(r.other_config)['ovn-cms-options']);
    const inExt = split(strMap(r.external_ids)['ovn-cms-options']);
    const c: OvnChassis = {
      name,
      encapIps: strList(r.encaps).map((u) => encapIp.get(u) ?? '').filter((ip) => ip !== ''),
      cmsOptions: inOther ?? inExt ?? [],
    };
    if (inOther !== undefined) c.cmsOptionsOtherConfig = inOther;
    if (inExt !== undefined) c.cmsOptionsExternalIds = inExt;
    const host = optStr(r.hostname);
    if (host !== undefined) c.hostname = host;
    return c;
  });
  const nameOf = (u: string, owner: string): string => {
    const n = chassisName.get(u);
    if (n === undefined) addWarning(warnings, 1, `${owner}: chassis ${u} not in the Chassis table`);
    return n ?? u;
  };
  const haMember = new Map<string, OvnGatewayMember>();
  for (const r of rows('HA_Chassis')) {
    const c = optStr(r.chassis);
    const priority = num(r.priority);
    // an HA_Chassis whose chassis is not registered has an empty chassis column: keep its name
    const name = c !== undefined ? nameOf(c, 'HA_Chassis') : strMap(r.external_ids)['chassis-name'];
    if (name === undefined || priority === undefined) addWarning(warnings, 1, `HA_Chassis ${uuid(r)} without chassis or priority`);
    else haMember.set(uuid(r), { chassis: name, priority });
  }
  const groups = new Map(rows('HA_Chassis_Group').map((r) => [uuid(r), strList(r.ha_chassis).flatMap((u) => haMember.get(u) ?? []).sort(byPriorityDesc)]));
  const datapathName = new Map(rows('Datapath_Binding').map((r) => [uuid(r), strMap(r.external_ids).name ?? '']));

  const portBindings: OvnPortBinding[] = rows('Port_Binding').map((r) => {
    const pb: OvnPortBinding = { logicalPort: str(r.logical_port), type: str(r.type), mac: strList(r.mac) };
    const c = optStr(r.chassis);
    if (c !== undefined) pb.chassis = nameOf(c, `Port_Binding ${pb.logicalPort}`);
    const extra = strList(r.additional_chassis);
    if (extra.length > 0) pb.additionalChassis = extra.map((u) => nameOf(u, `Port_Binding ${pb.logicalPort}`));
    const dp = optStr(r.datapath);
    if (dp !== undefined && datapathName.get(dp)) pb.datapath = datapathName.get(dp);
    const up = optBool(r.up);
    if (up !== undefined) pb.up = up;
    const g = optStr(r.ha_chassis_group);
    if (g !== undefined) {
      const members = groups.get(g);
      if (members) pb.haMembers = members;
      else addWarning(warnings, 1, `Port_Binding ${pb.logicalPort}: HA_Chassis_Group ${g} not in the table`);
    }
    return pb;
  });
  return { value: { chassis, portBindings }, warnings };
}
