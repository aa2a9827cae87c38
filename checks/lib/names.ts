/**
 * Neutron naming rules (ground-truth §0.3): every device is (prefix + uuid)[:14]
 * (LINUX_DEV_LEN = 14); namespaces are prefix + full uuid, never truncated.
 */
export const LINUX_DEV_LEN = 14;

export const NS_PREFIX = { qrouter: 'qrouter-', snat: 'snat-', fip: 'fip-', qdhcp: 'qdhcp-' } as const;
export type NamespaceKind = keyof typeof NS_PREFIX | 'other';

/** device name neutron derives from a prefix and a port (or router) id */
export function deviceName(prefix: string, id: string): string {
  return (prefix + id).slice(0, LINUX_DEV_LEN);
}

export function namespaceName(kind: keyof typeof NS_PREFIX, id: string): string {
  return NS_PREFIX[kind] + id;
}

export function namespaceKind(name: string): NamespaceKind {
  for (const [kind, prefix] of Object.entries(NS_PREFIX)) if (name.startsWith(prefix)) return kind as NamespaceKind;
  return 'other';
}

/** router id of a `qrouter-<id>` or `snat-<id>` namespace; undefined for anything else */
export function routerIdFromNamespace(name: string): string | undefined {
  const kind = namespaceKind(name);
  if (kind !== 'qrouter' && kind !== 'snat') return undefined;
  const id = name.slice(NS_PREFIX[kind].length);
  return id.length > 0 ? id : undefined;
}

/** external network id of a `fip-<ext net id>` namespace */
export function networkIdFromFipNamespace(name: string): string | undefined {
  return name.startsWith(NS_PREFIX.fip) && name.length > NS_PREFIX.fip.length ? name.slice(NS_PREFIX.fip.length) : undefined;
}

/** device prefix of a neutron port by device_owner (ground-truth §0.3 table) */
export function prefixForOwner(deviceOwner: string): string | undefined {
  switch (deviceOwner) {
    case 'network:router_interface':
    case 'network:ha_router_replicated_interface':
    case 'network:router_interface_distributed':
      return 'qr-';
    case 'network:router_gateway':
      return 'qg-';
    case 'network:router_ha_interface':
      return 'ha-';
    case 'network:router_centralized_snat':
      return 'sg-';
    case 'network:floatingip_agent_gateway':
      return 'fg-';
    default:
      return undefined;
  }
}

/** router-side device prefixes whose name is prefix + port id */
export const ROUTER_PORT_PREFIXES = ['qr-', 'qg-', 'ha-', 'sg-', 'fg-'] as const;

export function routerPortPrefixOf(devName: string): string | undefined {
  return ROUTER_PORT_PREFIXES.find((p) => devName.startsWith(p));
}
