import { randomUUID } from 'node:crypto';
import type { HaMode } from '../../model/facts';
import { HaprobeError } from '../../errors';
import { waitFor } from '../ha-state';
import { nodeScript } from '../shell';
import type { NeutronApi } from './api';
import { NLAB_NET } from './names';
import type { NeutronLabState } from './state';

/**
 * The lab's cloud, made through the Neutron API (one client): external flat network on
 * physnet extnet (br-ex), a VXLAN tenant network, one router of the profile's kind with its
 * gateway and interface, one instance port bound to the instance host, a floating IP on it.
 */
interface Obj { id: string; [k: string]: unknown }

export async function createCloud(api: NeutronApi, mode: HaMode, instanceHost: string, res: NeutronLabState['resources'], save: () => void): Promise<{ port: Obj }> {
  const post = async (path: string, key: string, body: Record<string, unknown>): Promise<Obj> =>
    (await api.neutronRequest<Record<string, Obj>>('POST', path, { [key]: body }))[key];
  const ext = await post('/networks', 'network', {
    name: 'ext-net', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'extnet',
  });
  res.extNetId = ext.id;
  save();
  await post('/subnets', 'subnet', {
    name: 'ext-subnet', network_id: ext.id, ip_version: 4, cidr: NLAB_NET.extCidr, gateway_ip: NLAB_NET.extGw, enable_dhcp: false,
    allocation_pools: [{ start: NLAB_NET.extPoolStart, end: NLAB_NET.extPoolEnd }],
  });
  const tenant = await post('/networks', 'network', { name: 'tenant-net' });
  res.tenantNetId = tenant.id;
  const sub = await post('/subnets', 'subnet', { name: 'tenant-subnet', network_id: tenant.id, ip_version: 4, cidr: NLAB_NET.tenantCidr, gateway_ip: NLAB_NET.tenantGw, enable_dhcp: false });
  res.tenantSubnetId = sub.id;
  save();
  const router = await post('/routers', 'router', {
    name: 'router1', external_gateway_info: { network_id: ext.id },
    ha: mode === 'ha' || mode === 'dvr-ha', distributed: mode === 'dvr' || mode === 'dvr-ha',
  });
  res.routerId = router.id;
  save();
  await api.neutronRequest('PUT', `/routers/${router.id}/add_router_interface`, { subnet_id: sub.id });
  const port = await post('/ports', 'port', {
    name: 'vm1', network_id: tenant.id, device_owner: 'compute:nova', device_id: randomUUID(), 'binding:host_id': instanceHost,
  });
  res.instancePortId = port.id;
  save();
  return { port };
}

/** instance namespace on its host, plugged on br-int as nova's OVS vif driver does (iface-id, attached-mac, vm-uuid) */
export async function plugInstance(holder: number, port: Obj): Promise<void> {
  const mac = String(port.mac_address);
  const ip = (port.fixed_ips as { ip_address: string }[])[0].ip_address;
  const tap = `tap${port.id.slice(0, 11)}`;
  const ns = '/run/haprobe-vms/vm1';
  await nodeScript(holder, [
    'set -e',
    `touch ${ns}`, `unshare --net=${ns} true`,
    `ip link add ${tap} type veth peer name eth0 netns ${ns}`,
    `nsenter --net=${ns} sh -c 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1; ip link set lo up && ip link set eth0 address ${mac} && ip link set eth0 up && ` +
      `ip addr add ${ip}/24 dev eth0 && ip route add default via ${NLAB_NET.tenantGw} && ethtool -K eth0 tx off >/dev/null'`,
    `ethtool -K ${tap} tx off >/dev/null`,
    `ip link set ${tap} up`,
    `ovs-vsctl --may-exist add-port br-int ${tap} -- set Interface ${tap} external_ids:iface-id=${port.id} ` +
      `external_ids:iface-status=active external_ids:attached-mac=${mac} external_ids:vm-uuid=${String(port.device_id)}`,
  ].join('\n') + '\n', 'plug instance vm1');
}

export async function waitPortActive(api: NeutronApi, portId: string, timeoutMs = 300_000): Promise<void> {
  let last = '';
  const ok = await waitFor(async () => {
    const p = (await api.neutronRequest<{ port: { status: string } }>('GET', `/ports/${portId}`)).port;
    last = p.status;
    return p.status === 'ACTIVE';
  }, timeoutMs, 1000);
  if (!ok) throw new HaprobeError('lab', `port ${portId} is ${last}, not ACTIVE, after ${timeoutMs / 1000} s`);
}

export async function associateFloatingIp(api: NeutronApi, extNetId: string, portId: string): Promise<{ id: string; ip: string }> {
  const f = (await api.neutronRequest<{ floatingip: { id: string; floating_ip_address: string } }>('POST', '/floatingips', {
    floatingip: { floating_network_id: extNetId, port_id: portId },
  })).floatingip;
  return { id: f.id, ip: f.floating_ip_address };
}

/** poll `pred` every second while `goOn()` says so */
async function waitUntil(goOn: () => boolean, pred: () => Promise<boolean>): Promise<boolean> {
  for (;;) {
    if (await pred()) return true;
    if (!goOn()) return false;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * Pure: is an L3 agent inside an update of `routerId`, judged from the tail of its log (the last
 * `Starting router update for <id>` comes after the last `Finished a router update for <id>`)
 */
export function isUpdatingRouter(logTail: string, routerId: string): boolean {
  const start = logTail.lastIndexOf(`Starting router update for ${routerId}`);
  const end = logTail.lastIndexOf(`Finished a router update for ${routerId}`);
  return start >= 0 && start > end;
}

/** L3 agents hosting the router (HA: with ha_state) */
export async function routerAgents(api: NeutronApi, routerId: string): Promise<{ host: string; ha_state?: string; agent_type: string; configurations?: { agent_mode?: string } }[]> {
  return (await api.neutronRequest<{ agents: { host: string; ha_state?: string; agent_type: string; configurations?: { agent_mode?: string } }[] }>(
    'GET', `/routers/${routerId}/l3-agents`)).agents;
}

/** what the API and the agents' own state files say about an HA router, and whether to nudge the server */
export interface HaReadiness {
  ready: boolean;
  /** the data plane has settled (one `primary` state file, the others `backup`) but the API still says otherwise */
  apiStale: boolean;
}

/**
 * Pure: is the HA router ready (API: exactly one active, the others standby, ≥ 2 agents), and
 * if not, is it only the API that lags behind keepalived (state files settled)? Real Zed drops a
 * state report when a second transition arrives before the first is sent (agent/l3/ha.py
 * `_enqueue_state_change` returns when the transition state changed under it) and the agent's
 * `check_ha_state_for_router` may report `unknown` on a router update that runs before keepalived
 * wrote its state file; only the next router update makes the agent report the real state again.
 */
export function judgeHaReadiness(api: { host: string; ha_state?: string }[], files: Record<string, string | undefined>): HaReadiness {
  const ready = api.length >= 2 && api.filter((a) => a.ha_state === 'active').length === 1 && api.filter((a) => a.ha_state === 'standby').length === api.length - 1;
  if (ready) return { ready, apiStale: false };
  const states = api.map((a) => files[a.host]?.trim());
  const settled = api.length >= 2 && states.filter((s) => s === 'primary').length === 1 && states.filter((s) => s === 'backup').length === api.length - 1;
  const agrees = api.every((a) => (files[a.host]?.trim() === 'primary') === (a.ha_state === 'active'));
  return { ready, apiStale: settled && !agrees };
}

export interface RouterReadyOptions {
  /** give up after this long without progress (default 300 s) */
  timeoutMs?: number;
  /** hard cap however busy the agents are (default 900 s) */
  capMs?: number;
  /** true while some L3 agent is still inside an update of this router (its log): the wait goes on */
  agentsBusy?: () => boolean;
  /** HA: the `state` file keepalived-state-change wrote on each host (undefined: none yet) */
  readStateFiles?: () => Record<string, string | undefined>;
}

/**
 * HA: exactly one agent active (and the others standby); legacy/DVR: at least one agent hosts it.
 * HA with readStateFiles: when keepalived has settled and the API still disagrees for 10 polls,
 * update the router (description) so the server sends a router update and every agent's
 * check_ha_state_for_router reports its real state (again every 30 polls while it lags).
 */
export async function waitRouterReady(api: NeutronApi, routerId: string, mode: HaMode, opts: RouterReadyOptions = {}): Promise<{ nudges: number }> {
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const capMs = opts.capMs ?? 900_000;
  let last = '';
  let stalePolls = 0;
  let nudges = 0;
  // the deadline moves while an agent is still processing the router: on a loaded machine one
  // DVR-HA router update took 130 s and HA needs two or three of them (clean-clone failure, issue 16)
  const t0 = Date.now();
  let lastProgress = t0;
  const ok = await waitUntil(() => {
    if (opts.agentsBusy?.()) lastProgress = Date.now();
    return Date.now() - lastProgress < timeoutMs && Date.now() - t0 < capMs;
  }, async () => {
    const agents = await routerAgents(api, routerId);
    last = JSON.stringify(agents.map((a) => [a.host, a.ha_state]));
    if (mode !== 'ha' && mode !== 'dvr-ha') return agents.length > 0;
    const files = opts.readStateFiles?.() ?? {};
    const j = judgeHaReadiness(agents, files);
    // API ready is not enough: a binding starts as `standby` before its keepalived runs (a loaded
    // dvr-snat-ha lab returned with no keepalived on net2): every host must have a state file
    if (j.ready && (!opts.readStateFiles || agents.every((a) => files[a.host] === 'primary' || files[a.host] === 'backup'))) return true;
    last += ` state files ${JSON.stringify(files)}`;
    stalePolls = j.apiStale ? stalePolls + 1 : 0;
    if (stalePolls === 10 || (stalePolls > 10 && (stalePolls - 10) % 30 === 0)) {
      nudges += 1;
      await api.neutronRequest('PUT', `/routers/${routerId}`, { router: { description: `haprobe lab: resync HA state ${nudges}` } });
    }
    return false;
  });
  if (!ok) throw new HaprobeError('lab', `router ${routerId} not ready after ${Math.round((Date.now() - t0) / 1000)} s (${timeoutMs / 1000} s without an agent processing it): ${last}${nudges ? ` (${nudges} router update(s) sent to resync)` : ''}`);
  return { nudges };
}
