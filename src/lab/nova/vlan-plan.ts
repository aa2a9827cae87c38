import { makeMac } from '../ids';
import type { MultinicNet, MultinicNic } from './multinic-plan';

/**
 * The VlanManager part of a nova lab plan (nova-vlan, src/lab/nova/vlan.ts renders it). Apart
 * from vlan.ts because plan.ts imports it: it must not import plan.ts or render.ts at run time.
 *
 * VlanManager (ground-truth §5b, linux_net.py 2014.2 ensure_vlan_bridge): per network `vlan<N>`
 * on vlan_interface (`ip link add link <if> name vlan<N> type vlan id <N>`) enslaved in `br<N>`.
 * This machine's kernel has no 8021q module, so the lab's `vlan<N>` is an OVS internal port
 * with `tag=N` on an OVS bridge whose other port is vlan_interface (a trunk): the same frames
 * on the wire (802.1Q tag N on vlan_interface), the same device name in br<N>, but its id lives
 * in OVSDB (Port.tag), not in `ip -d` (docs/nova-multinic-and-vlan.md).
 */
export interface VlanNet extends MultinicNet {
  /** networks.vlan: the 802.1Q id (vlan_start=100 → 100, 101 …) */
  vlan: number;
}

export interface VlanPlan {
  /** vlan_interface of nova.conf: the trunk (eth1, a port of ovsBridge in the lab) */
  vlanInterface: string;
  /** the OVS bridge holding vlan_interface and every vlan<N> stand-in */
  ovsBridge: string;
  networks: VlanNet[];
  /** one NIC per instance, in the network of its project (vm1 private, vm2 private2 …) */
  nics: MultinicNic[];
  /** FIP → the network of the fixed IP it is associated with */
  fipNetwork: Record<string, string>;
  /** FIP → the fixed IP */
  fipFixed: Record<string, string>;
}

export const VLAN_INTERFACE = 'eth1';
export const VLAN_OVS_BRIDGE = 'br-vlan';

function vlanNet(vlan: number, third: number, label: string, host: string): VlanNet {
  return {
    label, vlan, cidr: `10.0.${third}.0/24`, prefixLen: 24, broadcast: `10.0.${third}.255`, netmask: '255.255.255.0',
    gateway: `10.0.${third}.1`, dhcpStart: `10.0.${third}.2`, bridge: `br${vlan}`, iface: `vlan${vlan}`, host, guestIf: 'eth0', table: vlan,
  };
}

/** two networks (vlan 100 and 101) served by net1; instance i on cmp<i> in network (i-1) mod 2, one FIP each */
export function buildVlanPart(seed: string, computes: number): { vlan: VlanPlan; fipPool: { ip: string; instance: string }[] } {
  const networks = [vlanNet(100, 0, 'private', 'net1'), vlanNet(101, 1, 'private2', 'net1')];
  const nics: MultinicNic[] = [];
  const fipPool: { ip: string; instance: string }[] = [];
  const fipNetwork: Record<string, string> = {};
  const fipFixed: Record<string, string> = {};
  for (let i = 1; i <= computes; i++) {
    const net = networks[(i - 1) % networks.length]!;
    const ip = `${net.cidr.split('.').slice(0, 3).join('.')}.${10 + i}`;
    nics.push({ instance: `vm${i}`, host: `cmp${i}`, network: net.label, ip, mac: makeMac(seed, `vm${i}`), vnet: 'vnet0' });
    const fip = `203.0.113.${100 + i}`;
    fipPool.push({ ip: fip, instance: `vm${i}` });
    fipNetwork[fip] = net.label;
    fipFixed[fip] = ip;
  }
  return { vlan: { vlanInterface: VLAN_INTERFACE, ovsBridge: VLAN_OVS_BRIDGE, networks, nics, fipNetwork, fipFixed }, fipPool };
}
