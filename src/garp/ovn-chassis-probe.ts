import type { ParseResult, ParseWarning } from '../parse/types';
import { readOvsdbTables, str, strMap } from '../parse/parse-ovn-tables';

/**
 * A gateway chassis as the OVN drill sees it (buildOvnChassisProbeCommand), pure: where to
 * capture its G-ARPs, which link carries its tunnels, how ovn-controller runs there.
 */
export interface OvnChassisProbe {
  /** ovn-bridge-mappings: physnet → provider bridge */
  bridgeMappings: Record<string, string>;
  encapIp?: string;
  /** Open_vSwitch external_ids:system-id = the SB Chassis name (absent in probes before issue 11's G-ARP work) */
  systemId?: string;
  /** every port of every bridge but br-int; type '' = a system device (a NIC, veth, bond) */
  ports: { bridge: string; port: string; type: string }[];
  addrs: { device: string; ip: string; prefix: number }[];
  controller?: { pid: number; pidFile: string; argv: string[] };
}

const unquote = (s: string): string => s.trim().replace(/^"(.*)"$/, '$1');

export function parseOvnChassisProbe(text: string): ParseResult<OvnChassisProbe> {
  const warnings: ParseWarning[] = [];
  const v: OvnChassisProbe = { bridgeMappings: {}, ports: [], addrs: [] };
  const argv: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const sp = line.indexOf(' ');
    const key = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1);
    switch (key) {
      case 'mappings':
        for (const pair of unquote(rest).split(',')) {
          const [net, br] = pair.split(':').map((s) => s.trim());
          if (net && br) v.bridgeMappings[net] = br;
        }
        return;
      case 'encap-ip': {
        const ip = unquote(rest).split(',')[0]?.trim();
        if (ip) v.encapIp = ip;
        return;
      }
      case 'system-id': {
        const id = unquote(rest).trim();
        if (id) v.systemId = id;
        return;
      }
      case 'port': {
        const [bridge, port, type = ''] = rest.split(/\s+/);
        if (bridge && port) v.ports.push({ bridge, port, type: unquote(type) });
        else warnings.push({ line: i + 1, message: 'port line without bridge and port', text: line.slice(0, 120) });
        return;
      }
      case 'addr': {
        // `ip -o -4 addr show`: "5: br-phy    inet 198.18.9.13/24 scope global br-phy\ …"
        const m = /^\d+:\s+([^\s@]+)(?:@\S+)?\s+inet\s+([0-9.]+)\/(\d+)/.exec(rest);
        if (m) v.addrs.push({ device: m[1], ip: m[2], prefix: Number(m[3]) });
        else warnings.push({ line: i + 1, message: 'address line not understood', text: line.slice(0, 120) });
        return;
      }
      case 'pidfile': {
        const m = /^(\d+) (.+)$/.exec(rest);
        if (m) v.controller = { pid: Number(m[1]), pidFile: m[2], argv };
        return;
      }
      case 'argv':
        argv.push(rest);
        return;
      default:
        warnings.push({ line: i + 1, message: 'unexpected line', text: line.slice(0, 120) });
    }
  });
  return { value: v, warnings };
}

const isSystemPort = (type: string): boolean => type === '' || type === 'system' || type === 'afxdp' || type === 'dpdk';

/** the provider bridges (ovn-bridge-mappings) and their uplinks: where the chassis' G-ARPs leave */
export function listProviderUplinks(p: OvnChassisProbe): { bridge: string; uplinks: string[] }[] {
  return [...new Set(Object.values(p.bridgeMappings))].map((bridge) => ({
    bridge, uplinks: p.ports.filter((x) => x.bridge === bridge && isSystemPort(x.type)).map((x) => x.port),
  }));
}

/**
 * The link to take down for `--fault tunnel-down`: the device holding ovn-encap-ip — or, when that
 * is an OVS bridge (userspace tunnels, or the encap address on a bridge), its one system port.
 * Refused (a reason instead) when it cannot be told, or when it also carries `mgmtIp` (the
 * address haprobe reaches the node on: taking it down would cut the drill off before its restore).
 */
export function chooseTunnelLink(p: OvnChassisProbe, mgmtIp: string | undefined): { device: string; via?: string } | { refused: string } {
  if (!p.encapIp) return { refused: 'ovn-encap-ip is not set on the chassis' };
  const holder = p.addrs.find((a) => a.ip === p.encapIp);
  if (!holder) return { refused: `no local device holds ovn-encap-ip ${p.encapIp}` };
  let device = holder.device;
  let via: string | undefined;
  const bridgePorts = p.ports.filter((x) => x.bridge === holder.device && isSystemPort(x.type));
  if (bridgePorts.length > 1) return { refused: `ovn-encap-ip ${p.encapIp} is on bridge ${holder.device} with ${bridgePorts.length} uplinks (${bridgePorts.map((x) => x.port).join(', ')}): which one carries the tunnels is not known` };
  if (bridgePorts.length === 1) {
    via = holder.device;
    device = bridgePorts[0]!.port;
  }
  const mgmt = mgmtIp !== undefined ? p.addrs.find((a) => a.ip === mgmtIp) : undefined;
  if (mgmt && (mgmt.device === device || mgmt.device === via)) {
    return { refused: `the tunnel link ${device} also carries ${mgmtIp}, the address haprobe reaches the node on: taking it down would cut the drill off` };
  }
  return via !== undefined ? { device, via } : { device };
}

/**
 * The command line to start ovn-controller again with (the restore of stop-ovn-controller), or why
 * not: only an ovn-controller that detaches (--detach) can be started over SSH and left running.
 */
export function restartArgvOf(p: OvnChassisProbe): string[] | { refused: string } {
  const c = p.controller;
  if (!c) return { refused: 'no live ovn-controller pid file in the run directories' };
  if (c.argv.length === 0) return { refused: `the command line of pid ${c.pid} was not read` };
  const exe = c.argv[0]!;
  if (!/(^|\/)ovn-controller$/.test(exe)) return { refused: `pid ${c.pid} runs ${exe}, not ovn-controller` };
  if (!c.argv.includes('--detach')) return { refused: `ovn-controller runs without --detach (a service manager or container keeps it): haprobe does not start it` };
  return c.argv;
}

/** a Linux device name as the node printed it (≤ 15 bytes in practice; no `/`, space or NUL; not `.`/`..`) */
export function isDeviceName(s: string): boolean {
  return /^(?!\.\.?$)[^/\s\0]{1,64}$/.test(s);
}

/** one chassis' BFD session toward another, and the detection time its timers give */
export interface BfdToward {
  iface: string;
  /** bfd_status state (up, down, init, admin_down); undefined when BFD has not reported */
  state?: string;
  up: boolean;
  /** max(min_rx, min_tx) × mult, ms (OVS defaults min_rx 1000, min_tx 100, mult 3 when unset) */
  detectMs: number;
  timers: string;
}

/**
 * From `ovs-vsctl … list Open_vSwitch -- … list Interface` (buildOvnBfdStatusCommand) on a
 * standby: its tunnel to the chassis with `encapIp` (options:remote_ip; else OVN's name
 * `ovn-<chassis>-0`) and that session's state. Undefined when there is no such tunnel or BFD is off.
 */
export function readBfdToward(text: string, encapIp: string | undefined, chassis: string): BfdToward | undefined {
  const warnings: ParseWarning[] = [];
  const t = readOvsdbTables(text, ['Open_vSwitch', 'Interface'], warnings);
  const rows = t.Interface ?? [];
  const row = rows.find((r) => encapIp !== undefined && strMap(r.options).remote_ip === encapIp) ?? rows.find((r) => str(r.name) === `ovn-${chassis}-0`);
  if (!row) return undefined;
  const bfd = strMap(row.bfd);
  if (bfd.enable !== 'true') return undefined;
  const status = strMap(row.bfd_status);
  const n = (k: string, d: number): number => (bfd[k] !== undefined && Number.isFinite(Number(bfd[k])) ? Number(bfd[k]) : d);
  const minRx = n('min_rx', 1000);
  const minTx = n('min_tx', 100);
  const mult = n('mult', 3);
  const out: BfdToward = {
    iface: str(row.name), up: status.state === 'up' && status.forwarding !== 'false',
    detectMs: Math.max(minRx, minTx) * mult, timers: `min_rx ${minRx}, min_tx ${minTx}, mult ${mult}`,
  };
  if (status.state !== undefined) out.state = status.state;
  return out;
}
