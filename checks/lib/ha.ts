import type { HaRouterState, NodeSnapshot } from '../../src/model/types';
import { findNamespace } from './lookup';
import { routerIdFromNamespace } from './names';
import { cidrContains, stripPrefix } from './net';

/** state file says primary: `primary` (Victoria+) or `master` (Kilo–Ussuri), ground-truth §2e' */
export function isPrimaryState(state: string | undefined): boolean {
  const s = state?.trim().toLowerCase();
  return s === 'primary' || s === 'master';
}

/** the primary VIP neutron puts on ha- of the primary: 169.254.0.<vrid>/24 (§2b) */
export function primaryVip(vrid: number): string {
  return `169.254.0.${vrid}`;
}

export function haRouterState(node: NodeSnapshot, routerId: string): HaRouterState | undefined {
  return node.haRouters.find((h) => h.routerId === routerId);
}

/** virtual_router_id from the node's keepalived config of that router */
export function configuredVrid(node: NodeSnapshot, routerId: string): number | undefined {
  return haRouterState(node, routerId)?.config?.instances[0]?.virtualRouterId;
}

/** keepalived's primary VIP as configured (first virtual_ipaddress entry of the router's config) */
export function configuredPrimaryVip(node: NodeSnapshot, routerId: string): { address: string; dev?: string } | undefined {
  const v = haRouterState(node, routerId)?.config?.instances[0]?.virtualIpaddress[0];
  return v ? { address: stripPrefix(v.address), ...(v.dev ? { dev: v.dev } : {}) } : undefined;
}

/** the Juno form (release.ts haPrimaryVipLinkLocal): the primary VIP is the router's own address, not 169.254.0.x */
export function isLinkLocalPrimaryVip(address: string): boolean {
  return cidrContains('169.254.0.0/24', stripPrefix(address));
}

/**
 * Does the namespace hold the primary VIP? Where the node's keepalived.conf names a primary VIP
 * that is not link-local (Juno: the gateway address on qg-), that address on its device; otherwise
 * the ha- device with the exact 169.254.0.<vrid>/24 for a known vrid, any /24 in 169.254.0.0/24 without.
 */
export function holdsPrimaryVip(node: NodeSnapshot, nsName: string, vrid?: number): boolean {
  const ns = findNamespace(node, nsName);
  const rid = routerIdFromNamespace(nsName);
  const cfgVip = rid ? configuredPrimaryVip(node, rid) : undefined;
  if (cfgVip && !isLinkLocalPrimaryVip(cfgVip.address))
    return (ns?.devices ?? []).some((d) => (!cfgVip.dev || d.name === cfgVip.dev) && d.addresses.some((a) => a.address === cfgVip.address));
  for (const dev of ns?.devices ?? []) {
    if (!dev.name.startsWith('ha-')) continue;
    for (const a of dev.addresses) {
      if (a.family !== 'inet') continue;
      if (vrid !== undefined ? a.address === primaryVip(vrid) : a.prefixLen === 24 && cidrContains('169.254.0.0/24', a.address)) return true;
    }
  }
  return false;
}
