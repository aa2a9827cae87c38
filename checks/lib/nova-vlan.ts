import type { Device, NodeSnapshot } from '../../src/model/types';
import { ovsInterfaceByName } from './lookup';

/**
 * How a VlanManager `vlan<N>` device is read (nova-vlan-bridge):
 * - `kernel`: an 802.1Q device, as nova's LinuxBridgeInterfaceDriver.ensure_vlan makes it
 *   (`ip link add link <vlan_interface> name vlan<N> type vlan id <N>`): the id from `ip -d`
 *   (Device.vlanId), the parent from the `vlan<N>@<parent>` name (Device.link);
 * - `ovs`: an OVS internal port with `tag=N` (the lab's stand-in where the kernel has no 8021q,
 *   docs/nova-multinic-and-vlan.md; the same tagged frames leave vlan_interface): the id is the
 *   port's tag in OVSDB, the "parent" is the other ports of its OVS bridge (the trunk);
 * - `unread`: a tap/openvswitch device whose OVSDB was not collected: its id cannot be judged.
 * Pure; `undefined` fields are unknown, never wrong.
 */
export type VlanDeviceReading =
  | { via: 'kernel'; id?: number; parents?: string[] }
  | { via: 'ovs'; id?: number; parents: string[]; ovsBridge: string }
  | { via: 'unread'; kind: string }
  | { via: 'other'; kind: string };

/** device kinds an OVS internal port shows in `ip -d`: a tap (netdev datapath) or openvswitch (kernel datapath) */
const OVS_PORT_KINDS = new Set(['tun', 'openvswitch']);

export function readVlanDevice(node: NodeSnapshot, dev: Device): VlanDeviceReading {
  const port = ovsInterfaceByName(node, dev.name);
  if (port && port.iface.type === 'internal' && dev.kind !== 'vlan') {
    const parents = port.bridge.ports.filter((p) => p.name !== port.port.name && p.name !== port.bridge.name).map((p) => p.name);
    return { via: 'ovs', id: port.port.tag, parents, ovsBridge: port.bridge.name };
  }
  if (dev.kind === undefined || dev.kind === 'vlan') {
    const parent = dev.link !== undefined && !dev.link.startsWith('if') ? [dev.link] : undefined;
    return { via: 'kernel', id: dev.vlanId, ...(parent ? { parents: parent } : {}) };
  }
  if (OVS_PORT_KINDS.has(dev.kind) && node.ovs === undefined) return { via: 'unread', kind: dev.kind };
  return { via: 'other', kind: dev.kind };
}

/** the 802.1Q id a reading names, if any */
export function vlanIdOf(reading: VlanDeviceReading): number | undefined {
  return reading.via === 'kernel' || reading.via === 'ovs' ? reading.id : undefined;
}

/**
 * What is wrong with one network's vlan<N> on a host, against the facts (id N, parent =
 * vlan_interface, master = br<N>); `others`: the ids other networks' vlan devices carry on the
 * same host (a wrong id equal to one of them = two networks on one L2 segment).
 */
export function vlanDeviceProblems(
  dev: Device, reading: VlanDeviceReading, want: { vlan: number; bridge: string; vlanInterface?: string }, others: { label: string; bridge: string; id: number }[],
): string[] {
  const out: string[] = [];
  if (reading.via === 'other') out.push(`${dev.name} is a ${reading.kind} device, neither 802.1Q nor a tagged OVS port`);
  if (reading.via === 'ovs' && reading.id === undefined) out.push(`${dev.name} is an OVS port of ${reading.ovsBridge} without a tag (a trunk: it carries every vlan)`);
  const id = vlanIdOf(reading);
  if (id !== undefined && id !== want.vlan) {
    const same = others.find((o) => o.id === id);
    out.push(`${dev.name} carries vlan id ${id}${reading.via === 'ovs' ? ' (OVS tag)' : ''}` +
      (same ? `, the id of network ${same.label} (${same.bridge}): both networks on one L2 segment` : ''));
  }
  if (want.vlanInterface !== undefined && (reading.via === 'kernel' || reading.via === 'ovs') && reading.parents !== undefined && !reading.parents.includes(want.vlanInterface)) {
    out.push(reading.via === 'ovs'
      ? `${dev.name}'s OVS bridge ${reading.ovsBridge} has no port ${want.vlanInterface} (vlan_interface)`
      : `${dev.name} sits on ${reading.parents.join(', ')}, not vlan_interface ${want.vlanInterface}`);
  }
  if (dev.master !== want.bridge) out.push(dev.master ? `${dev.name} is in ${dev.master}, not ${want.bridge}` : `${dev.name} is in no bridge`);
  return out;
}
