import type { HaMode } from '../model/facts';

/** What a node of one role must not hold: namespace name prefixes ("qrouter-", "snat-", …). */
export interface RoleExpectation {
  forbid?: string[];
  /** documentation only: namespaces a node of this role typically holds */
  expect?: string[];
}

/** The G-ARP expected for one event (pattern names are those of src/capture/patterns). */
export interface GarpEventExpectation {
  /** "neutron-pike" (3×(REQUEST+REPLY) 2 s apart), "neutron-kilo", "neutron-juno", "keepalived", "nova-network" */
  pattern: string;
  /** device prefix that sends it: qg-, fg-, qr-, sg-, ha- */
  device?: string;
  /** namespace kind it is sent from: qrouter, snat, fip */
  namespace?: string;
  /** whose MAC must be the sender: "qg-port", "fg-of-instance-host", … */
  ownerMac?: string;
  note?: string;
}

export interface GarpExpectations {
  /** seconds from a failure until the new owner's G-ARP is on the wire */
  failoverBudgetSeconds?: number;
  events: Record<string, GarpEventExpectation>;
}

/** One check of a profile as written in YAML. */
export interface ProfileCheckEntry {
  id: string;
  params?: Record<string, unknown>;
  /** false removes a check an extended profile enabled */
  enabled?: boolean;
}

/** A profile file (or a site override file) after validation, before extends are merged. */
export interface ProfileDoc {
  id?: string;
  title?: string;
  description?: string;
  seed?: string;
  /** abstract profiles (base) only exist to be extended */
  abstract?: boolean;
  extends?: string;
  haMode?: HaMode;
  /** release family for templates: "pike+", "newton", "2023.1+" … */
  release?: string;
  /** parameters given to every check (a check's own params override them) */
  params?: Record<string, unknown>;
  roles?: Record<string, RoleExpectation>;
  garp?: Partial<GarpExpectations>;
  checks?: ProfileCheckEntry[];
}

/** A check of a resolved profile: `params` = profile params + haMode/release/roles + check params. */
export interface ProfileCheck {
  id: string;
  params: Record<string, unknown>;
}

export interface ResolvedProfile {
  id: string;
  title: string;
  description: string;
  seed?: string;
  abstract: boolean;
  haMode?: HaMode;
  release?: string;
  /** profile ids from the root of `extends` down to this one */
  extendsChain: string[];
  /** files merged, in order (the site override file last) */
  sources: string[];
  roles: Record<string, RoleExpectation>;
  garp: GarpExpectations;
  params: Record<string, unknown>;
  checks: ProfileCheck[];
}

export interface ProfileSummary {
  id: string;
  title: string;
  abstract: boolean;
  file: string;
}
