import type { CheckContext, CheckReference } from '../../src/engine/types';
import type { FactsMultiNicPair } from '../../src/model/facts';
import type { NodeSnapshot } from '../../src/model/types';
import { liveNamespaces } from './lookup';

/** seed 001: Deutsche Telekom, "OpenStack Networking High Availability concept" (Grizzly, 2013) */
export const MULTINIC_SEED: CheckReference = { kind: 'seed', ref: '001_771ab4542b276eab.txt (Deutsche Telekom: OpenStack Networking High Availability concept, active/active L3 with multi-NIC instances)' };

/** the multi-NIC pairs of the facts (none: the checks have nothing to judge) */
export function multiNicPairs(ctx: CheckContext): FactsMultiNicPair[] {
  return ctx.facts?.multiNic ?? [];
}

/** nodes (of those read) holding qrouter-<routerId>, live (not vanished) */
export function nodesWithRouter(ctx: CheckContext, routerId: string): NodeSnapshot[] {
  return ctx.snapshot.nodes.filter((n) => liveNamespaces(n).some((ns) => ns.name === `qrouter-${routerId}`));
}

/** a short label of a pair for messages: its instance and both router ids (8 chars) */
export function pairLabel(pair: FactsMultiNicPair): string {
  return `${pair.instance} (routers ${pair.paths.map((p) => p.routerId.slice(0, 8)).join(', ')})`;
}
