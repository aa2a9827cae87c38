import { randomUUID } from 'node:crypto';
import { HaprobeError } from '../../errors';
import { waitFor } from '../ha-state';
import { nodeArgv, nodeScript, runArgv } from '../shell';
import type { NeutronApi } from './api';
import { NLAB_NET } from './names';
import { OVN_PHYSNET, type OvnInstance } from './ovn-topology';

/**
 * The OVN lab's cloud through the Neutron API, and the waits that poll OVN's real state
 * (issue 11): chassis in the SB, cr-lrp-… claimed, NAT rows as northd sees them.
 */
export interface Obj { id: string; [k: string]: unknown }

export interface OvnCloud {
  extNetId: string;
  tenantNetId: string;
  tenantSubnetId: string;
  routerId: string;
  ports: Record<string, Obj>;
}

export async function createOvnCloud(api: NeutronApi, instances: OvnInstance[], saved: (c: Partial<OvnCloud>) => void): Promise<OvnCloud> {
  const post = async (path: string, key: string, body: Record<string, unknown>): Promise<Obj> =>
    (await api.neutronRequest<Record<string, Obj>>('POST', path, { [key]: body }))[key];
  const ext = await post('/networks', 'network', { name: 'ext-net', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': OVN_PHYSNET });
  saved({ extNetId: ext.id });
  await post('/subnets', 'subnet', {
    name: 'ext-subnet', network_id: ext.id, ip_version: 4, cidr: NLAB_NET.extCidr, gateway_ip: NLAB_NET.extGw, enable_dhcp: false,
    allocation_pools: [{ start: NLAB_NET.extPoolStart, end: NLAB_NET.extPoolEnd }],
  });
  const tenant = await post('/networks', 'network', { name: 'tenant-net' });
  // DHCP on: OVN's native DHCP, and the metadata port (network:distributed) only gets an address on DHCP subnets
  const sub = await post('/subnets', 'subnet', { name: 'tenant-subnet', network_id: tenant.id, ip_version: 4, cidr: NLAB_NET.tenantCidr, gateway_ip: NLAB_NET.tenantGw, enable_dhcp: true });
  saved({ tenantNetId: tenant.id, tenantSubnetId: sub.id });
  const router = await post('/routers', 'router', { name: 'router1', external_gateway_info: { network_id: ext.id } });
  saved({ routerId: router.id });
  await api.neutronRequest('PUT', `/routers/${router.id}/add_router_interface`, { subnet_id: sub.id });
  const ports: Record<string, Obj> = {};
  for (const i of instances) {
    ports[i.name] = await post('/ports', 'port', { name: i.name, network_id: tenant.id, device_owner: 'compute:nova', device_id: randomUUID(), 'binding:host_id': i.host });
  }
  // the default security group drops ingress: let ICMP in, as the lab's ping from the upstream needs
  const sgs = new Set(Object.values(ports).flatMap((p) => (p.security_groups as string[] | undefined) ?? []));
  for (const sg of sgs) {
    await post('/security-group-rules', 'security_group_rule', { security_group_id: sg, direction: 'ingress', ethertype: 'IPv4', protocol: 'icmp', remote_ip_prefix: '0.0.0.0/0' });
  }
  const cloud = { extNetId: ext.id, tenantNetId: tenant.id, tenantSubnetId: sub.id, routerId: router.id, ports };
  saved(cloud);
  return cloud;
}

/** instance namespace /run/haprobe-vms/<name> on its chassis, plugged on br-int as nova's OVS VIF driver does */
export async function plugOvnInstance(holder: number, name: string, port: Obj): Promise<void> {
  const mac = String(port.mac_address);
  const ip = (port.fixed_ips as { ip_address: string }[])[0].ip_address;
  const tap = `tap${port.id.slice(0, 11)}`;
  const ns = `/run/haprobe-vms/${name}`;
  await nodeScript(holder, [
    'set -e',
    `touch ${ns}`, `unshare --net=${ns} true`,
    `ip link add ${tap} type veth peer name eth0 netns ${ns}`,
    // MTU of a Geneve tenant network: 1500 - 58 (neutron's max_header_size 38 + IPv4/UDP)
    `nsenter --net=${ns} sh -c 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1; ip link set lo up && ip link set eth0 address ${mac} && ip link set eth0 mtu 1442 && ip link set eth0 up && ` +
      `ip addr add ${ip}/24 dev eth0 && ip route add default via ${NLAB_NET.tenantGw} && ethtool -K eth0 tx off >/dev/null'`,
    `ethtool -K ${tap} tx off >/dev/null`,
    `ip link set ${tap} up`,
    `ovs-vsctl --may-exist add-port br-int ${tap} -- set Interface ${tap} external_ids:iface-id=${port.id} ` +
      `external_ids:iface-status=active external_ids:attached-mac=${mac} external_ids:vm-uuid=${String(port.device_id)}`,
  ].join('\n') + '\n', `plug instance ${name}`);
}

/** OVSDB --format=json table: {headings, data} */
interface DbTable { headings: string[]; data: unknown[][] }

/** rows of an OVSDB JSON table as objects; `["set",[]]` → [], `["uuid",x]` → x, `["map",…]` → object (pure) */
export function rowsOfDbJson(text: string): Record<string, unknown>[] {
  const t = JSON.parse(text) as DbTable;
  const atom = (v: unknown): unknown => {
    if (!Array.isArray(v)) return v;
    if (v[0] === 'uuid' || v[0] === 'named-uuid') return v[1];
    if (v[0] === 'set') return (v[1] as unknown[]).map(atom);
    if (v[0] === 'map') return Object.fromEntries((v[1] as [unknown, unknown][]).map(([k, x]) => [String(atom(k)), atom(x)]));
    return v;
  };
  return t.data.map((row) => Object.fromEntries(t.headings.map((h, i) => [h, atom(row[i])])));
}

/** run ovn-nbctl/ovn-sbctl on the central node (its unix sockets) and return the rows */
export async function ovnDbRows(central: number, tool: 'ovn-nbctl' | 'ovn-sbctl', args: string[]): Promise<Record<string, unknown>[]> {
  const r = await runArgv(nodeArgv(central, [tool, '--format=json', ...args]), '', 30_000);
  if (r.code !== 0) throw new HaprobeError('lab', `${tool} ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return rowsOfDbJson(r.stdout);
}

function one(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

/** every chassis registered in the SB (by name), the gateways with enable-chassis-as-gw in other_config */
export async function waitChassisRegistered(central: number, chassis: { name: string; gateway: boolean }[], timeoutMs = 180_000): Promise<void> {
  let last = '';
  const ok = await waitFor(async () => {
    const rows = await ovnDbRows(central, 'ovn-sbctl', ['--columns=name,hostname,other_config', 'list', 'Chassis']).catch(() => []);
    last = rows.map((r) => String(r.name)).join(',');
    return chassis.every((c) => rows.some((r) => r.name === c.name && r.hostname === c.name &&
      (!c.gateway || String((r.other_config as Record<string, string>)['ovn-cms-options'] ?? '').includes('enable-chassis-as-gw'))));
  }, timeoutMs, 500);
  if (!ok) throw new HaprobeError('lab', `OVN chassis not all registered in the SB after ${timeoutMs / 1000} s (have: ${last || 'none'})`);
}

/** the chassis (name) that claims cr-lrp-<gw port> in the SB Port_Binding */
export async function crLrpChassis(central: number): Promise<Record<string, string | undefined>> {
  const [pbs, chs] = await Promise.all([
    ovnDbRows(central, 'ovn-sbctl', ['--columns=logical_port,chassis', 'find', 'Port_Binding', 'type=chassisredirect']),
    ovnDbRows(central, 'ovn-sbctl', ['--columns=_uuid,name', 'list', 'Chassis']),
  ]);
  const nameOf = new Map(chs.map((c) => [String(c._uuid), String(c.name)]));
  return Object.fromEntries(pbs.map((p) => [String(p.logical_port), nameOf.get(one(p.chassis) ?? '')]));
}

export async function waitCrLrpBound(central: number, timeoutMs = 180_000): Promise<{ port: string; chassis: string }> {
  let found: { port: string; chassis: string } | undefined;
  const ok = await waitFor(async () => {
    const m = await crLrpChassis(central).catch(() => ({} as Record<string, string | undefined>));
    const hit = Object.entries(m).find(([, c]) => c);
    if (hit) found = { port: hit[0], chassis: hit[1]! };
    return found !== undefined;
  }, timeoutMs, 500);
  if (!ok || !found) throw new HaprobeError('lab', `no chassis claims the router's cr-lrp-… after ${timeoutMs / 1000} s`);
  return found;
}

/** distributed FIPs: every dnat_and_snat NAT row has logical_port + external_mac (set once the LSP is up) */
export async function waitFipNatRows(central: number, fips: string[], distributed: boolean, timeoutMs = 180_000): Promise<void> {
  let last = '';
  const ok = await waitFor(async () => {
    const rows = await ovnDbRows(central, 'ovn-nbctl', ['--columns=type,external_ip,external_mac,logical_port', 'list', 'NAT']).catch(() => []);
    last = JSON.stringify(rows);
    return fips.every((f) => rows.some((r) => r.type === 'dnat_and_snat' && r.external_ip === f &&
      (!distributed || (one(r.external_mac) !== undefined && one(r.logical_port) !== undefined))));
  }, timeoutMs, 1000);
  if (!ok) throw new HaprobeError('lab', `NAT rows of ${fips.join(', ')} not as expected (distributed=${String(distributed)}) after ${timeoutMs / 1000} s: ${last.slice(0, 400)}`);
}
