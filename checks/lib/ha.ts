import type { HaRouterState, NodeSnapshot } from '../../src/model/types';
import { findNamespace } from './lookup';
import { cidrContains } from './net';

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

/**
 * Does the ha- device in `nsName` hold the primary VIP? With a known vrid the exact
 * 169.254.0.<vrid>/24; without one any /24 address in 169.254.0.0/24.
 */
export function holdsPrimaryVip(node: NodeSnapshot, nsName: string, vrid?: number): boolean {
  const ns = findNamespace(node, nsName);
  for (const dev of ns?.devices ?? []) {
    if (!dev.name.startsWith('ha-')) continue;
    for (const a of dev.addresses) {
      if (a.family !== 'inet') continue;
      if (vrid !== undefined ? a.address === primaryVip(vrid) : a.prefixLen === 24 && cidrContains('169.254.0.0/24', a.address)) return true;
    }
  }
  return false;
}
