import type { OvsBridge, OvsConfig, OvsInterface, OvsPort } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning } from './lines';
import { asList, asOptional, asStringMap, decodeOvsdbValue } from './decode-ovsdb-value';
import type { OvsdbValue } from './decode-ovsdb-value';

type Row = Record<string, OvsdbValue>;

/**
 * Joins the three `ovs-vsctl --format=json --data=json --columns=… list Bridge|Port|Interface`
 * outputs into an OvsConfig (bridges, ports and interfaces sorted by name; OVSDB order is
 * arbitrary). Warning line numbers are 1 (JSON documents); the message names the table.
 * ofport -1 (interface failed to open) is kept as -1; empty sets become undefined.
 */
export function parseOvsDbJson(bridgeJson: string, portJson: string, interfaceJson: string): ParseResult<OvsConfig> {
  const warnings: ParseWarning[] = [];
  const bridges = readTable(bridgeJson, 'Bridge', warnings);
  const ports = readTable(portJson, 'Port', warnings);
  const ifaces = readTable(interfaceJson, 'Interface', warnings);

  const ifaceByUuid = new Map<string, OvsInterface>();
  for (const r of ifaces) {
    const name = asOptional(r.name);
    if (typeof name !== 'string') {
      addWarning(warnings, 1, 'Interface row without name');
      continue;
    }
    const el: OvsInterface = { name, externalIds: asStringMap(r.external_ids ?? null) };
    const type = asOptional(r.type ?? null);
    // OVSDB stores type "" for ordinary system interfaces
    if (typeof type === 'string' && type !== '') el.type = type;
    const ofport = asOptional(r.ofport ?? null);
    if (typeof ofport === 'number') el.ofport = ofport;
    const mac = asOptional(r.mac_in_use ?? null);
    if (typeof mac === 'string') el.mac_in_use = mac.toLowerCase();
    if (r.options !== undefined) el.options = asStringMap(r.options);
    const error = asOptional(r.error ?? null);
    if (typeof error === 'string') el.error = error;
    ifaceByUuid.set(String(asOptional(r._uuid ?? null)), el);
  }

  const used = new Set<string>();
  const portByUuid = new Map<string, OvsPort>();
  for (const r of ports) {
    const name = asOptional(r.name);
    if (typeof name !== 'string') {
      addWarning(warnings, 1, 'Port row without name');
      continue;
    }
    const el: OvsPort = { name, interfaces: [] };
    const tag = asOptional(r.tag ?? null);
    if (typeof tag === 'number') el.tag = tag;
    const trunks = asList(r.trunks ?? null).filter((x): x is number => typeof x === 'number');
    if (trunks.length > 0) el.trunks = trunks.sort((a, b) => a - b);
    for (const u of asList(r.interfaces ?? null)) {
      const iface = ifaceByUuid.get(String(u));
      if (iface) {
        el.interfaces.push(iface);
        used.add(String(u));
      } else addWarning(warnings, 1, `Port ${name}: interface ${String(u)} not in the Interface table`);
    }
    el.interfaces.sort(byName);
    portByUuid.set(String(asOptional(r._uuid ?? null)), el);
  }
  for (const [u, iface] of ifaceByUuid) if (!used.has(u)) addWarning(warnings, 1, `Interface ${iface.name} belongs to no Port`);

  const config: OvsConfig = { bridges: [] };
  const usedPorts = new Set<string>();
  for (const r of bridges) {
    const name = asOptional(r.name);
    if (typeof name !== 'string') {
      addWarning(warnings, 1, 'Bridge row without name');
      continue;
    }
    const el: OvsBridge = { name, ports: [] };
    const dp = asOptional(r.datapath_type ?? null);
    if (typeof dp === 'string' && dp !== '') el.datapathType = dp;
    const fm = asOptional(r.fail_mode ?? null);
    if (typeof fm === 'string') el.failMode = fm;
    for (const u of asList(r.ports ?? null)) {
      const port = portByUuid.get(String(u));
      if (port) {
        el.ports.push(port);
        usedPorts.add(String(u));
      } else addWarning(warnings, 1, `Bridge ${name}: port ${String(u)} not in the Port table`);
    }
    el.ports.sort(byName);
    config.bridges.push(el);
  }
  for (const [u, port] of portByUuid) if (!usedPorts.has(u)) addWarning(warnings, 1, `Port ${port.name} belongs to no Bridge`);
  config.bridges.sort(byName);
  return { value: config, warnings };
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function readTable(text: string, table: string, warnings: ParseWarning[]): Row[] {
  if (typeof text !== 'string' || text.trim() === '') {
    addWarning(warnings, 1, `${table}: empty output`);
    return [];
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    addWarning(warnings, 1, `${table}: invalid JSON (${e instanceof Error ? e.message : String(e)})`);
    return [];
  }
  const d = doc as { headings?: unknown; data?: unknown };
  if (!d || !Array.isArray(d.headings) || !Array.isArray(d.data)) {
    addWarning(warnings, 1, `${table}: expected {"headings": [...], "data": [...]}`);
    return [];
  }
  const headings = d.headings.map(String);
  const rows: Row[] = [];
  d.data.forEach((cells, idx) => {
    if (!Array.isArray(cells) || cells.length !== headings.length) {
      addWarning(warnings, 1, `${table}: row ${idx} does not match the headings`);
      return;
    }
    const row: Row = {};
    headings.forEach((h, k) => (row[h] = decodeOvsdbValue(cells[k])));
    rows.push(row);
  });
  return rows;
}
