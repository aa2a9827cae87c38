import type { CheckContext, CheckReference } from '../../src/engine/types';
import type { NodeSnapshot } from '../../src/model/types';
import type { OvnChassis, OvnGatewayMember, OvnNorthbound, OvnRouter, OvnRouterPort, OvnSouthbound, OvnTunnel } from '../../src/model/ovn-types';
import { evidenceFor } from './evidence';

/** ML2/OVN (issue 11): shared lookups of the ovn-* checks. One home for OVN's naming and limits. */

export const OVN_GROUND_TRUTH: CheckReference = { kind: 'doc', ref: 'ground-truth §6' };
/** neutron/common/ovn/constants.py MAX_GW_CHASSIS */
export const MAX_GW_CHASSIS = 5;
export const METADATA_IP = '169.254.169.254';

export interface OvnCentral {
  nb?: OvnNorthbound;
  sb?: OvnSouthbound;
  /** evidence ids of the sections read */
  nbEvidence: string[];
  sbEvidence: string[];
}

/** the NB and SB as read on the first node that has each (all central nodes read the same database) */
export function findOvnCentral(ctx: CheckContext): OvnCentral {
  const nbNode = ctx.snapshot.nodes.find((n) => n.ovn?.nb);
  const sbNode = ctx.snapshot.nodes.find((n) => n.ovn?.sb);
  return {
    nb: nbNode?.ovn?.nb,
    sb: sbNode?.ovn?.sb,
    nbEvidence: evidenceFor(nbNode, ['ovn-nb']),
    sbEvidence: evidenceFor(sbNode, ['ovn-sb']),
  };
}

/** the chassis name of a node: its Open_vSwitch external_ids:system-id (= SB Chassis name) */
export function chassisNameOf(node: NodeSnapshot): string | undefined {
  return node.ovn?.local?.externalIds['system-id'];
}

export function findNodeOfChassis(ctx: CheckContext, chassis: string, sb?: OvnSouthbound): NodeSnapshot | undefined {
  const byId = ctx.snapshot.nodes.find((n) => chassisNameOf(n) === chassis);
  if (byId) return byId;
  const host = sb?.chassis.find((c) => c.name === chassis)?.hostname;
  return ctx.snapshot.nodes.find((n) => n.node === chassis || (host !== undefined && (n.node === host || host.startsWith(`${n.node}.`))));
}

export interface GatewayList {
  router?: OvnRouter;
  port: OvnRouterPort;
  /** highest priority first */
  members: OvnGatewayMember[];
  source: 'Gateway_Chassis' | 'HA_Chassis_Group';
}

/** every LRP with a gateway list (neutron ≤ 2026.1 Gateway_Chassis, master HA_Chassis_Group) */
export function listGatewayPorts(nb: OvnNorthbound): GatewayList[] {
  const out: GatewayList[] = [];
  for (const port of nb.routerPorts) {
    const router = nb.routers.find((r) => r.ports.includes(port.name));
    if (port.gatewayChassis.length > 0) out.push({ router, port, members: port.gatewayChassis, source: 'Gateway_Chassis' });
    else if (port.haChassisGroup !== undefined) {
      const g = nb.haChassisGroups.find((x) => x.name === port.haChassisGroup);
      out.push({ router, port, members: g?.members ?? [], source: 'HA_Chassis_Group' });
    }
  }
  return out;
}

/** every chassis that appears in a gateway list (NB) */
export function gatewayChassisNames(nb: OvnNorthbound): Set<string> {
  return new Set(listGatewayPorts(nb).flatMap((g) => g.members.map((m) => m.chassis)));
}

export function findSbChassis(sb: OvnSouthbound | undefined, name: string): OvnChassis | undefined {
  return sb?.chassis.find((c) => c.name === name);
}

/** BFD is up on a tunnel: state=up and not forwarding=false (ovs-vswitchd's bfd_status) */
export function isBfdUp(t: OvnTunnel): boolean {
  return t.bfdStatus.state === 'up' && t.bfdStatus.forwarding !== 'false';
}

/**
 * The SB chassis at the other end of a tunnel: the one owning its remote_ip; without a remote_ip,
 * the one chassis whose name starts with the <id> of ovn-controller's tunnel name ovn-<id>-<n>.
 */
export function findTunnelPeer(sb: OvnSouthbound, t: OvnTunnel): OvnChassis | undefined {
  if (t.remoteIp !== undefined) return sb.chassis.find((c) => c.encapIps.includes(t.remoteIp!));
  const id = /^ovn-(.+)-\d+$/.exec(t.name)?.[1];
  const hits = id === undefined ? [] : sb.chassis.filter((c) => c.name.startsWith(id));
  return hits.length === 1 ? hits[0] : undefined;
}

/** the tunnel of a node toward a chassis */
export function findTunnelTo(node: NodeSnapshot, peer: OvnChassis, sb: OvnSouthbound): OvnTunnel | undefined {
  return node.ovn?.local?.tunnels.find((t) => findTunnelPeer(sb, t)?.name === peer.name);
}

export interface BfdView {
  /** 'up' when a read peer sees BFD up toward it; 'down' when read peers see it only down; undefined = unknown */
  state?: 'up' | 'down';
  /** "gw2 → gw1 state=up forwarding=true" */
  seen: string[];
  evidence: string[];
}

/**
 * How the chassis' peers see `chassis` over BFD (ha-chassis.c: a chassis is active only with a
 * live BFD session): from every read node with a BFD-enabled tunnel to its encap IP that has a status.
 */
export function viewBfdOf(ctx: CheckContext, sb: OvnSouthbound | undefined, chassis: string): BfdView {
  const peer = findSbChassis(sb, chassis);
  const view: BfdView = { seen: [], evidence: [] };
  if (!peer || !sb) return view;
  for (const node of ctx.snapshot.nodes) {
    const t = findTunnelTo(node, peer, sb);
    if (!t || !t.bfdEnabled || t.bfdStatus.state === undefined) continue;
    const up = isBfdUp(t);
    view.seen.push(`${node.node} → ${chassis} (${t.name}) state=${t.bfdStatus.state} forwarding=${t.bfdStatus.forwarding ?? '?'}`);
    view.evidence.push(...evidenceFor(node, ['ovn-chassis']));
    if (up) view.state = 'up';
    else if (view.state === undefined) view.state = 'down';
  }
  return view;
}

/** "neutron-<uuid>" → "<uuid>" */
export function stripNeutronPrefix(name: string): string {
  return name.startsWith('neutron-') ? name.slice('neutron-'.length) : name;
}

/** does this snapshot hold any OVN data at all? (the checks pass silently on a non-OVN cloud only under another profile) */
export function hasOvnData(ctx: CheckContext): boolean {
  return ctx.snapshot.nodes.some((n) => n.ovn !== undefined);
}
