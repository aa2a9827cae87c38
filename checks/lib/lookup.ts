import type { Facts, FactsFloatingIp, FactsPort, FactsRouter } from '../../src/model/facts';
import type { CloudSnapshot } from '../../src/engine/types';
import type { Device, NamespaceSnapshot, NodeSnapshot, OvsBridge, OvsInterface, OvsPort } from '../../src/model/types';
import { deviceName, namespaceKind, routerPortPrefixOf } from './names';

export function findNode(snapshot: CloudSnapshot, name: string): NodeSnapshot | undefined {
  return snapshot.nodes.find((n) => n.node === name);
}

/** namespace by name; "" is the node's root namespace */
export function findNamespace(node: NodeSnapshot | undefined, name: string): NamespaceSnapshot | undefined {
  if (!node) return undefined;
  if (name === '') return node.root ?? node.namespaces.find((n) => n.name === '');
  return node.namespaces.find((n) => n.name === name);
}

/** namespaces that were really read (a namespace that vanished mid-run is not judged) */
export function liveNamespaces(node: NodeSnapshot): NamespaceSnapshot[] {
  return node.namespaces.filter((n) => n.name !== '' && !n.vanished);
}

export interface RouterPortDevice {
  ns: NamespaceSnapshot;
  dev: Device;
  /** qr-/qg-/ha-/sg-/fg- */
  prefix: string;
}

/**
 * The router-side devices named prefix + port id (qr-/qg-/ha-/sg-/fg-, ground-truth §0.3) in the
 * live qrouter-/snat-/fip- namespaces of a node, in snapshot order.
 */
export function routerPortDevices(node: NodeSnapshot): RouterPortDevice[] {
  const out: RouterPortDevice[] = [];
  for (const ns of liveNamespaces(node)) {
    const kind = namespaceKind(ns.name);
    if (kind !== 'qrouter' && kind !== 'snat' && kind !== 'fip') continue;
    for (const dev of ns.devices) {
      const prefix = routerPortPrefixOf(dev.name);
      if (prefix) out.push({ ns, dev, prefix });
    }
  }
  return out;
}

export function devicesWithPrefix(ns: NamespaceSnapshot | undefined, prefix: string): Device[] {
  return (ns?.devices ?? []).filter((d) => d.name.startsWith(prefix));
}

export function findDevice(ns: NamespaceSnapshot | undefined, name: string): Device | undefined {
  return ns?.devices.find((d) => d.name === name);
}

export function findRouter(facts: Facts | undefined, id: string): FactsRouter | undefined {
  return facts?.routers.find((r) => r.id === id);
}

export function portById(facts: Facts | undefined, id: string): FactsPort | undefined {
  return facts?.ports.find((p) => p.id === id);
}

export function portsOfRouter(facts: Facts | undefined, routerId: string, owners?: string[]): FactsPort[] {
  return (facts?.ports ?? []).filter((p) => p.deviceId === routerId && (!owners || owners.includes(p.deviceOwner)));
}

export function fipsOfRouter(facts: Facts | undefined, routerId: string): FactsFloatingIp[] {
  return (facts?.floatingIps ?? []).filter((f) => f.routerId === routerId);
}

/** the facts port whose neutron device name (prefix + id)[:14] is devName */
export function portForDevice(facts: Facts | undefined, prefix: string, devName: string): FactsPort | undefined {
  return facts?.ports.find((p) => deviceName(prefix, p.id) === devName);
}

/** gateway port of a router (network:router_gateway) */
export function gatewayPort(facts: Facts | undefined, routerId: string): FactsPort | undefined {
  return portsOfRouter(facts, routerId, ['network:router_gateway'])[0];
}

/** agent gateway port (fg-) of one host on one external network */
export function agentGatewayPort(facts: Facts | undefined, host: string, networkId?: string): FactsPort | undefined {
  return facts?.ports.find(
    (p) => p.deviceOwner === 'network:floatingip_agent_gateway' && p.host === host && (!networkId || p.networkId === networkId),
  );
}

export interface OvsIfaceRef {
  bridge: OvsBridge;
  port: OvsPort;
  iface: OvsInterface;
}

export function ovsInterfaces(node: NodeSnapshot): OvsIfaceRef[] {
  const out: OvsIfaceRef[] = [];
  for (const bridge of node.ovs?.bridges ?? [])
    for (const port of bridge.ports) for (const iface of port.interfaces) out.push({ bridge, port, iface });
  return out;
}

export function ovsInterfaceByName(node: NodeSnapshot, name: string): OvsIfaceRef | undefined {
  return ovsInterfaces(node).find((r) => r.iface.name === name);
}

export function ovsInterfaceByIfaceId(node: NodeSnapshot, ifaceId: string): OvsIfaceRef | undefined {
  return ovsInterfaces(node).find((r) => r.iface.externalIds['iface-id'] === ifaceId);
}

/** nodes of the snapshot whose name is in `names` (unreachable nodes are absent and not judged) */
export function nodesNamed(snapshot: CloudSnapshot, names: string[] | undefined): NodeSnapshot[] {
  return (names ?? []).map((n) => findNode(snapshot, n)).filter((n): n is NodeSnapshot => n !== undefined);
}
