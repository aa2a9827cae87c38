import type { Address, Device } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning } from './lines';
import { num, parseJsonArray, previewJson, str } from './parse-json-array';

/**
 * `ip -j addr` and `ip -d -j addr`. kind comes from linkinfo.info_kind (only with -d), or
 * "loopback" from link_type. Empty addr_info entries (printed by some iproute2 versions for
 * filtered addresses) are skipped silently; entries without "local" are warnings.
 */
export function parseIpAddrJson(text: string): ParseResult<Device[]> {
  const warnings: ParseWarning[] = [];
  const devices: Device[] = [];
  const items = parseJsonArray(text, warnings, 'ip -j addr');
  items.forEach((o, idx) => {
    const name = str(o.ifname);
    if (name === undefined) {
      addWarning(warnings, 1, `ip -j addr: element ${idx} has no ifname`);
      return;
    }
    const dev: Device = {
      name,
      flags: Array.isArray(o.flags) ? o.flags.filter((f): f is string => typeof f === 'string') : [],
      addresses: [],
    };
    const ifindex = num(o.ifindex);
    if (ifindex !== undefined) dev.ifindex = ifindex;
    const mac = str(o.address);
    if (mac !== undefined && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(mac)) dev.mac = mac.toLowerCase();
    const mtu = num(o.mtu);
    if (mtu !== undefined) dev.mtu = mtu;
    const state = str(o.operstate);
    if (state !== undefined) dev.state = state;
    const linkinfo = o.linkinfo as Record<string, unknown> | undefined;
    const kind = linkinfo && typeof linkinfo === 'object' ? str(linkinfo.info_kind) : undefined;
    if (kind !== undefined) dev.kind = kind;
    else if (o.link_type === 'loopback') dev.kind = 'loopback';
    if (kind === 'vlan') {
      // "linkinfo":{"info_kind":"vlan","info_data":{"protocol":"802.1Q","id":100,"flags":["REORDER_HDR"]}} (iproute2 iplink_vlan.c)
      const data = (linkinfo as Record<string, unknown>).info_data as Record<string, unknown> | undefined;
      const id = data && typeof data === 'object' ? num(data.id) : undefined;
      if (id !== undefined) dev.vlanId = id;
    }
    // peer in another namespace: text form prints "@ifN"; JSON gives link_index instead of link
    const link = str(o.link) ?? (num(o.link_index) !== undefined ? `if${num(o.link_index)}` : undefined);
    if (link !== undefined) dev.link = link;
    const master = str(o.master);
    if (master !== undefined) dev.master = master;
    if (Array.isArray(o.addr_info)) {
      for (const a of o.addr_info) {
        if (a === null || typeof a !== 'object') continue;
        const ai = a as Record<string, unknown>;
        // empty entry: skipped (an own "local" answers without listing the keys of every address)
        if (!Object.hasOwn(ai, 'local') && Object.keys(ai).length === 0) continue;
        const local = str(ai.local);
        const prefixLen = num(ai.prefixlen);
        if (local === undefined || prefixLen === undefined) {
          addWarning(warnings, 1, `ip -j addr: ${name}: address entry without local/prefixlen`, previewJson(ai));
          continue;
        }
        const addr: Address = { address: local, prefixLen, family: ai.family === 'inet6' ? 'inet6' : 'inet' };
        const scope = str(ai.scope);
        if (scope !== undefined) addr.scope = scope;
        if (ai.secondary === true || ai.temporary === true) addr.secondary = true;
        const label = str(ai.label);
        if (label !== undefined) addr.label = label;
        dev.addresses.push(addr);
      }
    }
    devices.push(dev);
  });
  return { value: devices, warnings };
}
