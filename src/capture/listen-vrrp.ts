import type { CloudSnapshot } from '../engine/types';
import type { NodeSnapshot, VrrpListen } from '../model/types';
import type { Transport } from '../transport/types';
import { buildCaptureCommand, startLiveCapture, type CaptureTarget } from './live';
import type { CapturedFrame } from './types';

/**
 * `haprobe run --listen-vrrp` (issue 12): a short capture of VRRP (IP protocol 112) on every HA
 * replica's ha- device inside its router namespace, 3 × advert_int, so a run can say which replica
 * hears no adverts from the primary (the HA network path is cut: a backup that hears nothing takes
 * over — split brain — or, if its keepalived is also gone, the router is not redundant).
 * Pure planning and counting here; the capture itself is src/capture/live.ts (one `tcpdump -Q in`
 * per replica over the node's transport, stopped by pid, and bounded on the node by `timeout`).
 */

/** keepalived's advert_int when keepalived.conf has none is 1 s; neutron always renders one (ha_vrrp_advert_int, default 2) */
export const DEFAULT_ADVERT_INT_S = 2;
/** adverts missed before a backup declares the primary down (RFC 3768 Master_Down_Interval ≈ 3 × Advertisement_Interval) */
export const LISTEN_ADVERTS = 3;
/** VRRP inside the router namespace: untagged (the VLAN is OVS's business) */
export const VRRP_FILTER = 'ip proto 112';

export interface VrrpListenTarget {
  node: string;
  routerId: string;
  namespace: string;
  device: string;
  vrid?: number;
  windowMs: number;
  /** this replica's own IPv4 addresses on the device: its own adverts are not counted */
  ownAddresses: string[];
}

/** one target per (node, HA router) whose keepalived.conf names an ha- interface found in one of the node's namespaces */
export function planVrrpListen(snapshot: CloudSnapshot): VrrpListenTarget[] {
  const out: VrrpListenTarget[] = [];
  for (const node of snapshot.nodes) {
    for (const h of node.haRouters) {
      const inst = h.config?.instances[0];
      const device = inst?.interface;
      if (!inst || !device) continue;
      const ns = namespaceWithDevice(node, device, h.routerId);
      if (!ns) continue;
      const advertS = inst.advertInt !== undefined && inst.advertInt > 0 ? inst.advertInt : DEFAULT_ADVERT_INT_S;
      const dev = ns.devices.find((d) => d.name === device);
      out.push({
        node: node.node,
        routerId: h.routerId,
        namespace: ns.name,
        device,
        vrid: inst.virtualRouterId,
        windowMs: Math.round(LISTEN_ADVERTS * advertS * 1000),
        ownAddresses: (dev?.addresses ?? []).map((a) => a.address),
      });
    }
  }
  return out;
}

/** the namespace holding the router's ha- device: its qrouter- (L3 HA) or snat- (DVR-HA) namespace first */
function namespaceWithDevice(node: NodeSnapshot, device: string, routerId: string): NodeSnapshot['namespaces'][number] | undefined {
  const holders = node.namespaces.filter((ns) => ns.devices.some((d) => d.name === device));
  return holders.find((ns) => ns.name.endsWith(routerId)) ?? holders[0];
}

/** the remote command of one listen point (registered in test/transport/injection.test.ts) */
export function buildVrrpListenCommand(namespace: string, device: string, windowMs: number): string {
  return buildCaptureCommand(listenCaptureTarget(namespace, device, windowMs));
}

function listenCaptureTarget(namespace: string, device: string, windowMs: number): CaptureTarget {
  // the node ends tcpdump itself 10 s after the window even if stop() never reaches it
  return { namespace, device, filter: VRRP_FILTER, direction: 'in', limitSeconds: Math.ceil(windowMs / 1000) + 10 };
}

/** adverts (VRRP type 1) with the router's vrid, not sent by this replica, and where they came from */
export function countVrrpAdverts(frames: readonly CapturedFrame[], t: Pick<VrrpListenTarget, 'vrid' | 'ownAddresses'>): { adverts: number; sources: string[] } {
  const own = new Set(t.ownAddresses);
  const heard = frames.filter((f) => f.kind === 'vrrp' && f.vrrp !== undefined && f.vrrp.type === 1 && (t.vrid === undefined || f.vrrp.vrid === t.vrid) && !own.has(f.ip?.src ?? ''));
  return { adverts: heard.length, sources: [...new Set(heard.map((f) => f.ip?.src ?? '?'))].sort() };
}

export interface ListenVrrpOptions {
  transportFor: (node: string) => Transport | undefined;
  sudo?: (node: string) => boolean | undefined;
  /** progress or trace lines */
  log?: (line: string) => void;
}

/**
 * Listens on every target at once for the longest window, then stops every capture (by pid, live.ts)
 * and attaches what each replica heard to its HaRouterState (vrrpListen). A capture that did not run
 * is recorded with its error, never as "heard none".
 */
export async function listenForVrrp(snapshot: CloudSnapshot, opts: ListenVrrpOptions): Promise<VrrpListenTarget[]> {
  const targets = planVrrpListen(snapshot).filter((t) => opts.transportFor(t.node) !== undefined);
  if (targets.length === 0) return targets;
  const windowMs = Math.max(...targets.map((t) => t.windowMs));
  const frames = new Map<string, CapturedFrame[]>();
  const keyOf = (node: string, ns: string, device: string): string => `${node}\0ns:${ns}:${device}`;
  // one capture per (node, namespace, device): two routers never share an ha- device, but be safe
  const unique = new Map<string, VrrpListenTarget>();
  for (const t of targets) unique.set(keyOf(t.node, t.namespace, t.device), t);
  const capture = startLiveCapture({
    sources: [...unique.values()].map((t) => ({ node: t.node, transport: opts.transportFor(t.node)!, sudo: opts.sudo?.(t.node), target: listenCaptureTarget(t.namespace, t.device, windowMs) })),
    onFrame: (f) => {
      const k = `${f.node}\0${f.device}`;
      const list = frames.get(k) ?? [];
      list.push(f);
      frames.set(k, list);
    },
    timeoutMs: windowMs + 60_000,
  });
  await capture.ready;
  opts.log?.(`listening for VRRP on ${unique.size} ha- device(s) for ${windowMs / 1000} s`);
  const started = Date.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const listenedMs = Date.now() - started;
  await capture.stop();
  const results = await capture.done;
  const errorOf = new Map(results.filter((r) => r.error).map((r) => [`${r.node}\0${r.device}`, r.error!]));
  for (const t of targets) {
    const k = keyOf(t.node, t.namespace, t.device);
    const got = countVrrpAdverts(frames.get(k) ?? [], t);
    const listen: VrrpListen = { device: t.device, namespace: t.namespace, windowMs: listenedMs, ...got };
    const error = errorOf.get(k);
    if (error) listen.error = error;
    const h = snapshot.nodes.find((n) => n.node === t.node)?.haRouters.find((x) => x.routerId === t.routerId);
    if (h) h.vrrpListen = listen;
  }
  return targets;
}
