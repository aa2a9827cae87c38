import type { OvnGatewayMember, OvnHaChassisGroup, OvnNat, OvnNorthbound, OvnRouter, OvnRouterPort, OvnSwitch, OvnSwitchPort } from '../model/ovn-types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning } from './lines';
import { byPriorityDesc, num, optBool, optStr, readOvsdbTables, str, strList, strMap } from './parse-ovn-tables';
import type { OvsdbRow } from './parse-ovn-tables';

/** the tables section `ovn-nb` lists, in this order (src/collect/ovn-script.ts) */
export const OVN_NB_TABLES = ['Logical_Router', 'Logical_Router_Port', 'Gateway_Chassis', 'HA_Chassis_Group', 'HA_Chassis', 'NAT', 'Logical_Switch', 'Logical_Switch_Port'] as const;

/**
 * `ovn-nbctl --format=json --data=json -- list Logical_Router -- list … Logical_Switch_Port`
 * (OVN_NB_TABLES) → OvnNorthbound. References (router → ports, port → Gateway_Chassis, NAT …)
 * are resolved by uuid; a dangling reference is a warning. Pure and total.
 */
export function parseOvnNb(text: string): ParseResult<OvnNorthbound> {
  const warnings: ParseWarning[] = [];
  const t = readOvsdbTables(text, OVN_NB_TABLES, warnings);
  const rows = (name: (typeof OVN_NB_TABLES)[number]): OvsdbRow[] => t[name] ?? [];
  const uuid = (r: OvsdbRow): string => str(r._uuid);

  const gwByUuid = new Map<string, OvnGatewayMember>();
  for (const r of rows('Gateway_Chassis')) {
    const chassis = str(r.chassis_name);
    const priority = num(r.priority);
    if (chassis === '' || priority === undefined) addWarning(warnings, 1, `Gateway_Chassis ${str(r.name) || uuid(r)} without chassis_name or priority`);
    else gwByUuid.set(uuid(r), { name: str(r.name), chassis, priority });
  }
  const haByUuid = new Map<string, OvnGatewayMember>();
  for (const r of rows('HA_Chassis')) {
    const chassis = str(r.chassis_name);
    const priority = num(r.priority);
    if (chassis === '' || priority === undefined) addWarning(warnings, 1, `HA_Chassis ${uuid(r)} without chassis_name or priority`);
    else haByUuid.set(uuid(r), { chassis, priority });
  }
  const groups: OvnHaChassisGroup[] = rows('HA_Chassis_Group').map((r) => ({
    uuid: uuid(r),
    name: str(r.name),
    members: resolve(strList(r.ha_chassis), haByUuid, `HA_Chassis_Group ${str(r.name)}`, warnings).sort(byPriorityDesc),
  }));
  const groupByUuid = new Map(groups.map((g) => [g.uuid, g]));

  const routerPorts: OvnRouterPort[] = rows('Logical_Router_Port').map((r) => {
    const port: OvnRouterPort = {
      uuid: uuid(r),
      name: str(r.name),
      mac: str(r.mac).toLowerCase(),
      networks: strList(r.networks),
      gatewayChassis: resolve(strList(r.gateway_chassis), gwByUuid, `Logical_Router_Port ${str(r.name)}`, warnings).sort(byPriorityDesc),
      options: strMap(r.options),
    };
    const g = optStr(r.ha_chassis_group);
    if (g !== undefined) {
      const group = groupByUuid.get(g);
      if (group) port.haChassisGroup = group.name;
      else addWarning(warnings, 1, `Logical_Router_Port ${port.name}: HA_Chassis_Group ${g} not in the table`);
    }
    return port;
  });
  const lrpByUuid = new Map(routerPorts.map((p) => [p.uuid, p.name]));

  const natByUuid = new Map<string, OvnNat>();
  for (const r of rows('NAT')) {
    const nat: OvnNat = { uuid: uuid(r), type: str(r.type), externalIp: str(r.external_ip), logicalIp: str(r.logical_ip), externalIds: strMap(r.external_ids) };
    const lp = optStr(r.logical_port);
    if (lp !== undefined) nat.logicalPort = lp;
    const mac = optStr(r.external_mac);
    if (mac !== undefined) nat.externalMac = mac.toLowerCase();
    natByUuid.set(nat.uuid, nat);
  }
  const routers: OvnRouter[] = rows('Logical_Router').map((r) => ({
    uuid: uuid(r),
    name: str(r.name),
    ports: resolve(strList(r.ports), lrpByUuid, `Logical_Router ${str(r.name)}`, warnings),
    nat: resolve(strList(r.nat), natByUuid, `Logical_Router ${str(r.name)}`, warnings),
    externalIds: strMap(r.external_ids),
  }));

  const switchPorts: OvnSwitchPort[] = rows('Logical_Switch_Port').map((r) => {
    const p: OvnSwitchPort = { uuid: uuid(r), name: str(r.name), type: str(r.type), addresses: strList(r.addresses), options: strMap(r.options), externalIds: strMap(r.external_ids) };
    const up = optBool(r.up);
    if (up !== undefined) p.up = up;
    return p;
  });
  const lspByUuid = new Map(switchPorts.map((p) => [p.uuid, p.name]));
  const switches: OvnSwitch[] = rows('Logical_Switch').map((r) => ({
    uuid: uuid(r),
    name: str(r.name),
    ports: resolve(strList(r.ports), lspByUuid, `Logical_Switch ${str(r.name)}`, warnings),
    externalIds: strMap(r.external_ids),
  }));
  return { value: { routers, routerPorts, haChassisGroups: groups, switches, switchPorts }, warnings };
}

function resolve<T>(uuids: string[], table: Map<string, T>, owner: string, warnings: ParseWarning[]): T[] {
  const out: T[] = [];
  for (const u of uuids) {
    const v = table.get(u);
    if (v === undefined) addWarning(warnings, 1, `${owner}: reference ${u} not in its table`);
    else out.push(v);
  }
  return out;
}
