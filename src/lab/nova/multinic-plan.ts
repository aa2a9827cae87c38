import { makeMac } from '../ids';

/**
 * The multi-NIC part of a nova lab plan (nova-multinic, src/lab/nova/multinic.ts renders it).
 * Apart from multinic.ts because plan.ts imports it: it must not import plan.ts or render.ts.
 */
export interface MultinicNet {
  label: string;
  cidr: string;
  prefixLen: number;
  broadcast: string;
  netmask: string;
  gateway: string;
  dhcpStart: string;
  bridge: string;
  /** flat_interface of this network (networks.bridge_interface) */
  iface: string;
  /** networks.host at up */
  host: string;
  /** the guest's NIC on it and its policy-routing table */
  guestIf: string;
  table: number;
}

export interface MultinicNic {
  instance: string;
  host: string;
  network: string;
  ip: string;
  mac: string;
  vnet: string;
}

export interface MultinicPlan {
  networks: [MultinicNet, MultinicNet];
  /** every NIC of every instance, both networks */
  nics: MultinicNic[];
  /** FIP → the network of the fixed IP it is associated with */
  fipNetwork: Record<string, string>;
  /** FIP → the fixed IP */
  fipFixed: Record<string, string>;
}

export function buildMultinicPart(seed: string, computes: number): { multinic: MultinicPlan; fipPool: { ip: string; instance: string }[] } {
  const networks: [MultinicNet, MultinicNet] = [
    { label: 'private', cidr: '10.0.0.0/24', prefixLen: 24, broadcast: '10.0.0.255', netmask: '255.255.255.0', gateway: '10.0.0.1', dhcpStart: '10.0.0.2', bridge: 'br100', iface: 'eth1', host: 'net1', guestIf: 'eth0', table: 100 },
    { label: 'private2', cidr: '10.1.0.0/24', prefixLen: 24, broadcast: '10.1.0.255', netmask: '255.255.255.0', gateway: '10.1.0.1', dhcpStart: '10.1.0.2', bridge: 'br101', iface: 'eth2', host: 'net2', guestIf: 'eth1', table: 101 },
  ];
  const nics: MultinicNic[] = [];
  const fipPool: { ip: string; instance: string }[] = [];
  const fipNetwork: Record<string, string> = {};
  const fipFixed: Record<string, string> = {};
  networks.forEach((net, n) => {
    for (let i = 1; i <= computes; i++) {
      const ip = `${net.cidr.split('.').slice(0, 3).join('.')}.${10 + i}`;
      nics.push({ instance: `vm${i}`, host: `cmp${i}`, network: net.label, ip, mac: makeMac(seed, n === 0 ? `vm${i}` : `vm${i}:${net.label}`), vnet: `vnet${n}` });
      const fip = `203.0.113.${101 + n * computes + (i - 1)}`;
      fipPool.push({ ip: fip, instance: `vm${i}` });
      fipNetwork[fip] = net.label;
      fipFixed[fip] = ip;
    }
  });
  return { multinic: { networks, nics, fipNetwork, fipFixed }, fipPool };
}

