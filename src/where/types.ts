import type { NodeSnapshot } from '../model/types';
import type { FdbEntry } from '../parse';
import type { WhereTarget } from './parse-target';

/** The vocabulary of `where`: its layers, places, disagreements and result (read by every where file). */
export type WhereLayer = 'address' | 'namespace' | 'route' | 'rule' | 'nat' | 'ovs-port' | 'ovs-flow' | 'keepalived' | 'neighbour' | 'fdb' | 'garp' | 'facts';

export interface WherePlace {
  layer: WhereLayer;
  node?: string;
  /** "" = the node's root namespace */
  namespace?: string;
  /** device, chain, bridge, router … the place inside the namespace */
  at: string;
  /** the line as read (trimmed) or what it says */
  detail: string;
  /** address layer: the device holds it (an owner); neighbour/fdb layer: the MAC it maps to */
  owner?: boolean;
  mac?: string;
  /** where it was read: evidence command / file */
  source?: string;
  /** garp layer: the capture point sent ('out') or received ('in') the frame; its time (epoch s) */
  direction?: 'in' | 'out';
  ts?: number;
}

export interface WhereProblem {
  kind:
    | 'two-owners'
    | 'neighbour-mac-unknown'
    | 'neighbour-mac-not-owner'
    | 'dnat-without-address'
    | 'two-primaries'
    | 'facts-not-in-dataplane'
    | 'facts-elsewhere'
    | 'address-without-dnat'
    | 'stale-namespace'
    | 'two-announcers'
    | 'garp-not-owner';
  message: string;
}

export interface WhereNode {
  snapshot: NodeSnapshot;
  /** evidence key ("addr:qrouter-…", "flows:br-int") → where it was read */
  sourceOf: (key: string) => string | undefined;
  /** OVS MAC learning tables (sos: ovs-appctl fdb/show BR) */
  fdb?: { bridge: string; entries: FdbEntry[]; source: string }[];
  /** the Interface table as sos lists it (`ovs-vsctl list interface`): MACs and external_ids `ovs-vsctl show` lacks */
  ovsInterfaces?: { name: string; macInUse?: string; ofport?: number; externalIds: Record<string, string>; source: string }[];
}

export interface WhereResult {
  target: WhereTarget;
  places: WherePlace[];
  problems: WhereProblem[];
  /** nodes searched, and what of them was not read (so an absence is not over-read) */
  searched: { node: string; notRead: string[] }[];
}

