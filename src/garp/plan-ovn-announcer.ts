import { HaprobeError } from '../errors';
import type { Facts } from '../model/facts';
import type { PatternId } from '../capture/patterns';
import type { GarpAction } from './garp-action';
import type { AnnouncePoint, AnnouncerPlan } from './plan-announcer';
import { nodeOfChassis, type OvnSbGateways } from './ovn-gateway';

/**
 * Who must announce a floating IP on ML2/OVN (issue 11; ground-truth §6c, §6e), pure.
 * ovn-controller G-ARPs a `nat_addresses` entry of the external patch port only on the chassis
 * where its `is_chassis_resident(...)` holds (OVN 22.06 4a86fba20, RH bz 2062580):
 * - centralized (no external_mac): resident on `cr-lrp-…`, sent by the chassis claiming it, with the LRP MAC;
 * - distributed (`enable_distributed_floating_ip`): resident on the instance's port, sent by the
 *   instance's chassis with the NAT row's external_mac — the FIP's own port MAC (neutron
 *   ovn_client.py _create_or_update_floatingip; ground-truth §6c says the VM port's: the lab showed otherwise).
 * Frames leave through the provider bridge's uplink of that chassis: every chassis' uplinks are
 * capture origins, so a frame names the chassis that sent it.
 */
export interface PlanOvnAnnouncerInput {
  facts: Facts;
  sb: OvnSbGateways;
  fip: string;
  action?: GarpAction;
  /** inventory node names */
  nodes: readonly { name: string }[];
  /** provider bridge uplinks of each chassis node (listProviderUplinks), where its G-ARPs leave */
  uplinks: ReadonlyMap<string, readonly string[]>;
  /** profile param distributedFloatingIps: true | false | auto (auto: as the other FIPs of the SB are) */
  distributed: boolean | 'auto';
  /** the G-ARP pattern of the announcing node (its ovn-controller version and settings) */
  patternFor: (node: string) => { pattern: PatternId; source: string };
  /** chassis nodes whose uplinks could not be read, and why (a failed probe, not a missing uplink) */
  unreadUplinks?: ReadonlyMap<string, string>;
}

export function planOvnAnnouncer(input: PlanOvnAnnouncerInput): AnnouncerPlan {
  const { facts, sb, fip } = input;
  const notes: string[] = [];
  const fipEntry = facts.floatingIps.find((f) => f.floatingIp === fip);
  const instRef = input.action?.kind === 'associate' ? input.action.instance : undefined;
  const instance = facts.instances.find((i) => (instRef !== undefined ? i.name === instRef || i.id === instRef : fipEntry !== undefined && (i.portId === fipEntry.portId || i.ip === fipEntry.fixedIp)));
  if (instRef !== undefined && !instance) throw new HaprobeError('facts', `instance ${instRef} is not in the facts`, { where: 'facts.instances' });
  const nodeOf = (chassis: string): string => nodeOfChassis(input.nodes, chassis, sb.chassis) ?? chassis;
  const now = sb.announces.find((a) => a.ips.some((ip) => ip.split('/')[0] === fip));
  const crPorts = new Set(sb.ports.map((p) => p.port));
  let distributed: boolean;
  if (now && input.action?.kind !== 'associate') {
    distributed = now.resident !== undefined && !crPorts.has(now.resident);
    notes.push(`${fip} is in the SB nat_addresses, resident on ${now.resident ?? '(no condition)'}: ${distributed ? 'distributed' : 'centralized'}`);
  } else if (input.distributed === 'auto') {
    distributed = sb.announces.some((a) => a.resident !== undefined && !crPorts.has(a.resident));
    notes.push(`distributedFloatingIps auto: ${distributed ? 'other floating IPs are resident on instance ports' : 'no floating IP resident on an instance port'} → ${distributed ? 'distributed' : 'centralized'}`);
  } else distributed = input.distributed;

  const routerId = fipEntry?.routerId ?? sb.ports[0]?.routerId;
  const gw = sb.ports.find((p) => routerId !== undefined && p.routerId === routerId) ?? (sb.ports.length === 1 ? sb.ports[0] : undefined);
  if (!gw) throw new HaprobeError('facts', `no cr-lrp port of router ${routerId ?? '?'} in the OVN southbound`, { where: 'garp verify' });
  let node: string | undefined;
  let mac: string | undefined;
  if (distributed) {
    node = instance?.host ?? fipEntry?.host;
    // neutron sets external_mac to the FIP's own port MAC (ovn_client.py _create_or_update_floatingip; docs/ovn-lab.md)
    mac = (now && input.action?.kind !== 'associate' ? now.mac : undefined) ?? fipEntry?.portMac?.toLowerCase();
    if (!mac) throw new HaprobeError('facts', `distributed floating IP ${fip}: the MAC it is announced with (its own port's, floatingIps[].portMac) is not in the facts and it is not in the SB nat_addresses now`, { where: 'facts.floatingIps' });
    if (!node) throw new HaprobeError('facts', `distributed floating IP ${fip}: its instance's host is not in the facts`, { where: 'facts.instances' });
  } else {
    if (gw.chassis === undefined) throw new HaprobeError('facts', `${gw.port} is not claimed by any chassis: nothing can announce ${fip}`, { where: 'garp verify' });
    node = nodeOf(gw.chassis);
    mac = gw.mac ?? sb.announces.find((a) => a.resident === gw.port)?.mac;
  }
  if (!mac) throw new HaprobeError('facts', `cannot tell the MAC that must announce ${fip}`, { where: 'garp verify' });
  const candidates: AnnouncePoint[] = [];
  for (const [n, devs] of input.uplinks) for (const d of devs) candidates.push({ node: n, namespace: '', device: d, mac });
  const expected = candidates.find((c) => c.node === node);
  const unread = input.unreadUplinks?.get(node);
  if (!expected && unread !== undefined) {
    throw new HaprobeError('node', `${node} must announce ${fip} but could not be read (${unread}): haprobe cannot tell which device its G-ARPs leave by`, {
      where: 'garp verify', hint: `check that ${node} answers over SSH (haprobe doctor), then run garp verify again`,
    });
  }
  if (!expected) {
    throw new HaprobeError('facts', `${node} must announce ${fip} but no provider uplink of it is known`, {
      where: 'garp verify', hint: 'the node must be in the inventory and its ovn-bridge-mappings bridge must have a system port',
    });
  }
  notes.push(distributed ? `distributed: announced by ${node} (instance ${instance?.name ?? instance?.id ?? '?'}) with the FIP port MAC (external_mac)` : `centralized: announced by ${node}, the chassis claiming ${gw.port}, with the LRP MAC`);
  return {
    fip, routerId: routerId ?? gw.port, mode: 'ovn', expected,
    candidates: [expected, ...candidates.filter((c) => c !== expected)],
    pattern: input.patternFor(expected.node).pattern, patternSource: input.patternFor(expected.node).source,
    instance, fixedIp: instance?.ip ?? fipEntry?.fixedIp, upstream: facts.upstream, notes,
  };
}
