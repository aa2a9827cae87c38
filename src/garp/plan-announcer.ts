import { HaprobeError } from '../errors';
import type { Facts, FactsFloatingIp, FactsInstance, FactsPort, FactsRouter, HaMode } from '../model/facts';
import type { ResolvedProfile } from '../profile/types';
import type { PatternId } from '../capture/patterns';
import { resolveGarpPattern } from './resolve-garp-pattern';

/**
 * Who must announce a floating IP (DESIGN "G-ARP: what counts"; ground-truth §1e, §2e'', §3e).
 * Pure: facts + profile + (for HA) the primary read from the nodes → the announcing device,
 * every other device that could announce it (HA instances, other computes' fg-), and the
 * expected pattern.
 */

export interface AnnouncePoint {
  node: string;
  namespace: string;
  device: string;
  /** MAC this device announces with */
  mac: string;
}

export interface AnnouncerPlan {
  fip: string;
  routerId: string;
  /** 'ovn': ML2/OVN, planned by planOvnAnnouncer; 'nova-network': planNovaAnnouncer (issue 9) */
  mode: HaMode | 'ovn' | 'nova-network';
  /** the device that must send the G-ARPs after the event */
  expected: AnnouncePoint;
  /** every device that could announce the FIP (expected first) */
  candidates: AnnouncePoint[];
  pattern: PatternId;
  /** where the pattern came from, for the output */
  patternSource: string;
  instance?: FactsInstance;
  fixedIp?: string;
  upstream?: Facts['upstream'];
  notes: string[];
}

export type GarpEventName = 'fip-associate' | 'failover';

export interface PlanAnnouncerInput {
  facts: Facts;
  profile: Pick<ResolvedProfile, 'id' | 'garp' | 'release'>;
  fip: string;
  /** instance name or id the FIP is (being) associated with; default: facts.floatingIps */
  instance?: string;
  /** HA: node whose state file says primary (read over SSH); default: facts haState active */
  haPrimary?: string;
  event?: GarpEventName;
}

/** neutron device name: (prefix + port id)[:14] (ground-truth §0.3) */
export function deviceFor(prefix: string, portId: string): string {
  return (prefix + portId).slice(0, 14);
}

export function planAnnouncer(input: PlanAnnouncerInput): AnnouncerPlan {
  const { facts, fip } = input;
  const notes: string[] = [];
  const { router, instance, fipEntry } = locateRouter(facts, fip, input.instance);
  const gw = portOf(facts, (p) => p.deviceOwner === 'network:router_gateway' && (p.deviceId === undefined || p.deviceId === router.id));
  let candidates: AnnouncePoint[];
  let expected: AnnouncePoint | undefined;
  let centralized = false;
  const qrouter = `qrouter-${router.id}`;
  if (router.mode === 'legacy' || router.mode === 'ha') {
    if (!gw) throw new HaprobeError('facts', `router ${router.id} has no network:router_gateway port`, { where: 'facts.ports' });
    candidates = router.hosts.map((node) => ({ node, namespace: qrouter, device: deviceFor('qg-', gw.id), mac: gw.mac.toLowerCase() }));
    if (router.mode === 'legacy') {
      if (router.hosts.length !== 1) notes.push(`legacy router ${router.id} is listed on ${router.hosts.length} hosts; using ${router.hosts[0]}`);
      expected = candidates[0];
    } else {
      const primary = haPrimaryOf(router, router.hosts, input.haPrimary, notes);
      expected = candidates.find((c) => c.node === primary);
    }
  } else {
    const ext = router.externalNetworkId ?? fipEntry?.externalNetworkId;
    if (!ext) throw new HaprobeError('facts', `DVR router ${router.id} has no externalNetworkId`, { where: 'facts.routers' });
    // one fg- per host AND external network: another network's fg- lives in another fip- namespace
    const fgs = facts.ports
      .filter((p) => p.deviceOwner === 'network:floatingip_agent_gateway' && p.host !== undefined && p.networkId === ext)
      .map((p) => ({ node: p.host as string, namespace: `fip-${ext}`, device: deviceFor('fg-', p.id), mac: p.mac.toLowerCase() }));
    centralized = isCentralizedFip(facts, fipEntry, instance);
    if (centralized) {
      // centralized FIP (snat-bound: no host in the facts, or the instance is on a dvr_no_external
      // node): announced from snat-<router>/qg- on the snat host with the qg- MAC (§3e)
      if (!gw) throw new HaprobeError('facts', `router ${router.id} has no network:router_gateway port`, { where: 'facts.ports' });
      const snatHosts = router.snatHosts ?? (gw.host !== undefined ? [gw.host] : []);
      const snat = snatHosts.map((node) => ({ node, namespace: `snat-${router.id}`, device: deviceFor('qg-', gw.id), mac: gw.mac.toLowerCase() }));
      candidates = [...snat, ...fgs];
      notes.push(`${fip} is a centralized floating IP (no host bound): announced from the snat namespace`);
      let host: string | undefined;
      if (router.mode === 'dvr-ha') host = haPrimaryOf(router, snatHosts, input.haPrimary, notes);
      else {
        if (snatHosts.length !== 1) notes.push(`DVR router ${router.id} lists ${snatHosts.length} snat hosts; using ${snatHosts[0] ?? 'none'}`);
        host = snatHosts[0];
      }
      expected = snat.find((c) => c.node === host);
    } else {
      // routed FIP, announced from the fip namespace's fg- on the instance's host (§3e)
      candidates = fgs;
      const host = instance?.host ?? fipEntry?.host;
      expected = candidates.find((c) => c.node === host);
      if (!expected && host) notes.push(`no fg- port (network:floatingip_agent_gateway) for host ${host} in the facts`);
    }
  }
  if (!expected) {
    throw new HaprobeError('facts', `cannot tell which node must announce ${fip} (router ${router.id}, mode ${router.mode})`, {
      where: 'facts.routers',
      hint:
        router.mode === 'ha' || router.mode === 'dvr-ha'
          ? 'no single HA primary: state files disagree or are unreadable, and facts haState has no single active'
          : router.mode === 'dvr'
            ? 'a DVR floating IP needs a host (fg- on that node) or, when centralized, router snatHosts'
            : undefined,
    });
  }
  candidates = [expected, ...candidates.filter((c) => c !== expected)];
  const resolved = resolveGarpPattern(input.profile, input.event ?? 'fip-associate', facts.release, router.mode, { centralized });
  return {
    fip,
    routerId: router.id,
    mode: router.mode,
    expected,
    candidates,
    pattern: resolved.pattern,
    patternSource: resolved.source,
    instance,
    fixedIp: instance?.ip ?? fipEntry?.fixedIp,
    upstream: facts.upstream,
    notes,
  };
}

/**
 * The HA primary among `hosts`: the one the caller read from the state files, else the single
 * `active` of the facts' haState (the note says which was used). undefined = unknown.
 */
function haPrimaryOf(router: FactsRouter, hosts: string[], readPrimary: string | undefined, notes: string[]): string | undefined {
  if (readPrimary !== undefined) return hosts.includes(readPrimary) ? readPrimary : undefined;
  const active = Object.entries(router.haState ?? {}).filter(([n, s]) => s === 'active' && hosts.includes(n)).map(([n]) => n);
  notes.push(active.length === 1 ? `HA primary ${active[0]} taken from the facts (haState)` : 'HA primary unknown: no state file read and no single active haState');
  return active.length === 1 ? active[0] : undefined;
}

/**
 * DVR: a FIP is centralized (DVR_SNAT_BOUND, served from snat-<router>) when the facts list it
 * without a host, or its instance runs on a dvr_no_external node (ground-truth §3a, §3e).
 */
function isCentralizedFip(facts: Facts, fipEntry: FactsFloatingIp | undefined, instance: FactsInstance | undefined): boolean {
  if (fipEntry && fipEntry.host === undefined) return true;
  const host = instance?.host ?? fipEntry?.host;
  return facts.agents.some((a) => a.type === 'l3' && a.host === host && a.agentMode === 'dvr_no_external');
}

/** the router (and instance) a FIP belongs to: facts.floatingIps, else the instance's subnet */
export function locateRouter(facts: Facts, fip: string, instanceRef?: string): { router: FactsRouter; instance?: FactsInstance; fipEntry?: FactsFloatingIp } {
  const fipEntry = facts.floatingIps.find((f) => f.floatingIp === fip);
  const instance = findInstance(facts, instanceRef, fipEntry?.portId, fipEntry?.fixedIp);
  if (!instance && !fipEntry) {
    throw new HaprobeError('usage', `floating IP ${fip} is not associated in the facts file`, {
      where: '--fip',
      hint: 'give the instance with --associate INSTANCE, or use a FIP listed in facts.floatingIps',
    });
  }
  const router = findRouter(facts, fipEntry?.routerId, instance?.ip ?? fipEntry?.fixedIp);
  return { router, instance, fipEntry };
}

function findInstance(facts: Facts, wanted: string | undefined, portId?: string, fixedIp?: string): FactsInstance | undefined {
  if (wanted !== undefined) {
    const hit = facts.instances.find((i) => i.name === wanted || i.id === wanted);
    if (!hit) {
      throw new HaprobeError('usage', `unknown instance ${wanted}`, { where: '--associate', hint: `instances in the facts: ${facts.instances.map((i) => i.name ?? i.id).join(', ')}` });
    }
    return hit;
  }
  return facts.instances.find((i) => (portId !== undefined && i.portId === portId) || (fixedIp !== undefined && i.ip === fixedIp));
}

function findRouter(facts: Facts, routerId: string | undefined, ip: string | undefined): FactsRouter {
  const byId = routerId !== undefined ? facts.routers.find((r) => r.id === routerId) : undefined;
  if (byId) return byId;
  const bySubnet = ip !== undefined ? facts.routers.find((r) => r.subnets.some((s) => ipInCidr(ip, s.cidr))) : undefined;
  if (bySubnet) return bySubnet;
  if (facts.routers.length === 1) return facts.routers[0];
  throw new HaprobeError('facts', `no router found for ${routerId ?? ip ?? 'this floating IP'}`, { where: 'facts.routers' });
}

function portOf(facts: Facts, pred: (p: FactsPort) => boolean): FactsPort | undefined {
  return facts.ports.find(pred);
}

/** IPv4 only; false for anything else */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [net, len] = cidr.split('/');
  const a = toInt(ip);
  const b = toInt(net);
  const n = Number(len);
  if (a === undefined || b === undefined || !Number.isInteger(n) || n < 0 || n > 32) return false;
  const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

function toInt(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + p, 0) >>> 0;
}
