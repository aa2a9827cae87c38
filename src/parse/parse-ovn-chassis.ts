import type { OvnChassisLocal, OvnTunnel } from '../model/ovn-types';
import type { ParseResult, ParseWarning } from './types';
import { readOvsdbTables, str, strMap } from './parse-ovn-tables';

const TUNNEL_TYPES = new Set(['geneve', 'vxlan', 'stt']);

/**
 * `ovs-vsctl --format=json --data=json -- --columns=external_ids list Open_vSwitch
 *  -- --columns=name,type,options,bfd,bfd_status list Interface` on a chassis → its
 * Open_vSwitch external_ids (system-id, ovn-remote, ovn-encap-ip, ovn-bridge-mappings,
 * ovn-cms-options) and its tunnel interfaces with BFD configuration and status. Pure, total.
 */
export function parseOvnChassis(text: string): ParseResult<OvnChassisLocal> {
  const warnings: ParseWarning[] = [];
  const t = readOvsdbTables(text, ['Open_vSwitch', 'Interface'], warnings);
  const ovs = t.Open_vSwitch ?? [];
  const externalIds = ovs.length > 0 ? strMap(ovs[0].external_ids) : {};
  const tunnels: OvnTunnel[] = [];
  for (const r of t.Interface ?? []) {
    // without a type column (a listing of name,bfd,bfd_status only) tunnels are known by ovn-controller's naming: ovn-<chassis>-<n>
    const type = 'type' in r ? str(r.type) : /^ovn-.+-\d+$/.test(str(r.name)) ? 'unknown' : '';
    if (!TUNNEL_TYPES.has(type) && type !== 'unknown') continue;
    const options = strMap(r.options);
    const bfd = strMap(r.bfd);
    const tunnel: OvnTunnel = { name: str(r.name), type, bfdEnabled: bfd.enable === 'true', bfdStatus: strMap(r.bfd_status) };
    if (options.remote_ip) tunnel.remoteIp = options.remote_ip;
    tunnels.push(tunnel);
  }
  tunnels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { value: { externalIds, tunnels }, warnings };
}

/**
 * Section `ovn-controller`: `version: <first line of ovn-controller --version>` and
 * `running: yes|no` lines. Unknown lines are warnings.
 */
export function parseOvnControllerStatus(text: string): ParseResult<{ version?: string; running?: boolean }> {
  const warnings: ParseWarning[] = [];
  const value: { version?: string; running?: boolean } = {};
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^(version|running): ?(.*)$/.exec(line);
    if (!m) {
      warnings.push({ line: i + 1, message: 'unexpected line', text: line.slice(0, 120) });
      return;
    }
    if (m[1] === 'running') value.running = m[2].trim() === 'yes';
    else {
      const v = /(\d+\.\d+(?:\.\d+)?)/.exec(m[2]);
      if (v) value.version = v[1];
    }
  });
  return { value, warnings };
}
