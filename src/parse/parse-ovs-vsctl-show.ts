import type { OvsBridge, OvsConfig, OvsInterface, OvsPort } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning, isElisionLine, splitLines, toInt } from './lines';

/** Keys that ovs-vsctl show prints and the model does not keep: known, not warnings. */
const IGNORED_KEYS = new Set([
  'is_connected', 'role', 'status', 'bond_mode', 'lacp', 'lacp_status', 'bond_updelay', 'bond_downdelay',
  'vlan_mode', 'link_state', 'cfm_fault', 'bfd_status', 'datapath_id', 'max_backoff', 'inactivity_probe',
  'connection_mode', 'mac', 'ofport_request', 'mtu', 'mtu_request', 'qos', 'fake_bridge', 'bfd',
]);

/**
 * `ovs-vsctl show`. Structure comes from the keywords (Bridge / Port / Interface) and the
 * indentation of "key: value" lines (a key belongs to the innermost open element indented less).
 * Wrapped `options: {…` lines are re-joined with a warning; ports listed without a Bridge
 * (grep'ed output) go to a bridge named "" with a warning.
 */
export function parseOvsVsctlShow(text: string): ParseResult<OvsConfig> {
  const warnings: ParseWarning[] = [];
  const config: OvsConfig = { bridges: [] };
  let bridge: { el: OvsBridge; indent: number } | undefined;
  let port: { el: OvsPort; indent: number } | undefined;
  let iface: { el: OvsInterface; indent: number } | undefined;
  /** indent of a Manager/Controller stanza whose children are skipped */
  let stanza: number | undefined;
  const lines = splitLines(text);

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '') continue;
    const indent = raw.length - raw.trimStart().length;
    if (stanza !== undefined && indent > stanza && !/^(Bridge|Port|Interface)\s/.test(t)) continue;
    stanza = undefined;
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(t)) continue;
    const kw = /^(Bridge|Port|Interface|Manager|Controller)\s+(.+)$/.exec(t);
    if (kw) {
      const { name, rest } = readElementName(kw[2].trim());
      if (rest !== '') addWarning(warnings, i + 1, `text after the ${kw[1]} name ignored (publisher's comment?)`, raw);
      if (kw[1] === 'Manager' || kw[1] === 'Controller') {
        stanza = indent;
        continue;
      }
      if (kw[1] === 'Bridge') {
        bridge = { el: { name, ports: [] }, indent };
        config.bridges.push(bridge.el);
        port = undefined;
        iface = undefined;
        continue;
      }
      if (kw[1] === 'Port') {
        if (!bridge || indent <= bridge.indent) {
          addWarning(warnings, i + 1, 'Port outside a Bridge (partial output): kept under bridge ""', raw);
          bridge = { el: { name: '', ports: [] }, indent: indent - 1 };
          config.bridges.push(bridge.el);
        }
        port = { el: { name, interfaces: [] }, indent };
        bridge.el.ports.push(port.el);
        iface = undefined;
        continue;
      }
      if (!port || indent <= port.indent) {
        addWarning(warnings, i + 1, 'Interface outside a Port', raw);
        continue;
      }
      iface = { el: { name, externalIds: {} }, indent };
      port.el.interfaces.push(iface.el);
      continue;
    }
    const kv = /^([A-Za-z_][\w-]*):\s*(.*)$/.exec(t);
    if (!kv) {
      addWarning(warnings, i + 1, isElisionLine(t) ? 'elided output' : 'unknown line', raw);
      continue;
    }
    const key = kv[1];
    let value = kv[2];
    if (value.startsWith('{') && !value.endsWith('}')) {
      // publisher wrapped a long options map: join until the closing brace
      let j = i + 1;
      while (j < lines.length && !value.endsWith('}') && j - i < 20) value += ' ' + lines[j++].trim();
      addWarning(warnings, i + 1, `wrapped ${key} line re-joined (${j - i} lines)`, raw);
      i = j - 1;
    }
    if (key === 'ovs_version') {
      config.ovsVersion = unquote(value);
      continue;
    }
    if (iface && indent > iface.indent) applyInterfaceKey(iface.el, key, value, warnings, i + 1, raw);
    else if (port && indent > port.indent) applyPortKey(port.el, key, value, warnings, i + 1, raw);
    else if (bridge && indent > bridge.indent) applyBridgeKey(bridge.el, key, value, warnings, i + 1, raw);
    else if (!IGNORED_KEYS.has(key)) addWarning(warnings, i + 1, `key ${key} outside any element`, raw);
  }
  return { value: config, warnings };
}

function applyInterfaceKey(el: OvsInterface, key: string, value: string, w: ParseWarning[], line: number, raw: string): void {
  if (key === 'type') el.type = unquote(value);
  else if (key === 'options') el.options = parseOvsMap(value);
  else if (key === 'error') el.error = unquote(value);
  else if (key === 'ofport') el.ofport = toInt(value);
  else if (key === 'external_ids') el.externalIds = parseOvsMap(value);
  else if (!IGNORED_KEYS.has(key)) addWarning(w, line, `unknown interface key ${key}`, raw);
}

function applyPortKey(el: OvsPort, key: string, value: string, w: ParseWarning[], line: number, raw: string): void {
  if (key === 'tag') el.tag = toInt(value);
  else if (key === 'trunks') el.trunks = parseOvsList(value).map(Number).filter((n) => Number.isInteger(n));
  else if (!IGNORED_KEYS.has(key)) addWarning(w, line, `unknown port key ${key}`, raw);
}

function applyBridgeKey(el: OvsBridge, key: string, value: string, w: ParseWarning[], line: number, raw: string): void {
  if (key === 'fail_mode') el.failMode = unquote(value);
  else if (key === 'datapath_type') el.datapathType = unquote(value);
  else if (!IGNORED_KEYS.has(key)) addWarning(w, line, `unknown bridge key ${key}`, raw);
}

/**
 * The name after Bridge/Port/Interface: a quoted string (ovs-vsctl quotes names with '-' or
 * digits) or one bare word, and whatever text follows it (`Port "qvo…"   #### VM tap device port`
 * in hustcat's DVR post, issue 15). The name never keeps the quotes or that trailing text.
 */
function readElementName(s: string): { name: string; rest: string } {
  if (s.startsWith('"')) {
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '\\') i++;
      else if (s[i] === '"') return { name: unquote(s.slice(0, i + 1)), rest: s.slice(i + 1).trim() };
    }
    return { name: s.slice(1), rest: '' };
  }
  const m = /^(\S+)\s*(.*)$/.exec(s) as RegExpExecArray;
  return { name: m[1], rest: m[2] };
}

export function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && t[0] === '"' && t[t.length - 1] === '"') return t.slice(1, -1).replace(/\\(.)/g, '$1');
  return t;
}

/** "{df_default="true", in_key=flow, peer=patch-tun}" → record (values unquoted). */
export function parseOvsMap(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const body = s.trim().replace(/^\{/, '').replace(/\}$/, '');
  for (const item of splitOutsideQuotes(body)) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    out[unquote(item.slice(0, eq))] = unquote(item.slice(eq + 1));
  }
  return out;
}

function parseOvsList(s: string): string[] {
  return splitOutsideQuotes(s.trim().replace(/^\[/, '').replace(/\]$/, '')).map(unquote);
}

function splitOutsideQuotes(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQ = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && inQ && i + 1 < s.length) {
      cur += c + s[++i];
      continue;
    }
    if (c === '"') inQ = !inQ;
    if (c === ',' && !inQ) {
      if (cur.trim() !== '') out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}
