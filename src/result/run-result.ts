import type { NodeSnapshot } from '../model/types';
import type { Finding, Subject, Verdict } from './finding';

/**
 * The versioned result model of one run. Every reporter renders this; history, diff
 * and report work from saved run files only. JSON Schema: reports/run-result.schema.json.
 */
export const RESULT_SCHEMA_VERSION = 1;

export interface EvidenceItem {
  id: string;
  node: string;
  /** the command that produced it (or "section:NAME" inside the batched script) */
  command: string;
  exitCode: number | null;
  output: string;
  durationMs?: number;
}

export interface NodeStatus {
  name: string;
  address: string;
  roles: string[];
  reachable: boolean;
  reason?: string;
  message?: string;
  collectMs?: number;
}

/** One row per check × subject: the unit JUnit turns into a testcase. */
export interface ResultRow {
  checkId: string;
  subject: Subject;
  verdict: Verdict;
  /** findings of this check on this subject (empty when it passed) */
  findingIndexes: number[];
}

export interface CheckSummary {
  id: string;
  title: string;
  severity: string;
  description: string;
  references: string[];
}

export interface RunResult {
  schemaVersion: number;
  runId: string;
  tool: { name: 'haprobe'; version: string };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  profile: string;
  /** hostKeysChecked: false when the inventory had `knownHosts: false` (absent in older files) */
  inventory: { source: string; digest: string; hostKeysChecked?: boolean };
  facts?: { source: string; digest: string };
  nodes: NodeStatus[];
  checks: CheckSummary[];
  rows: ResultRow[];
  findings: Finding[];
  evidence: EvidenceItem[];
  /** overall verdict: pass only when no unwaived failure and every node was reached */
  verdict: 'pass' | 'fail';
  summary: { pass: number; fail: number; warn: number; skip: number; error: number; waived: number };
  /** optional extras attached by other commands */
  garp?: GarpVerification[];
  drills?: DrillResult[];
  /** parser and framing warnings from collection: what haprobe read but did not understand */
  warnings?: { node: string; section: string; line: number; message: string }[];
  /** waiver ids by outcome; set by applyWaivers (report/apply-waivers.ts) */
  waivers?: {
    applied: string[];
    expired: string[];
    unmatched: string[];
    /** added by the report engineer: one entry per waiver of the file, for reports */
    details?: WaiverOutcome[];
  };
  /**
   * Added by the report engineer (optional): namespaces seen per reached node, so the report
   * can draw the nodes × routers matrix even for routers without any finding.
   */
  topology?: NodeTopology[];
  /** `run --shard K/N` (issue 10): what `haprobe merge` needs to judge the shards as one run */
  shard?: ShardRecord;
}

/**
 * A shard run's own findings see only its nodes (a cross-node check such as single-primary is
 * partial); `haprobe merge` re-evaluates every check on the union of the shards' snapshots.
 */
export interface ShardRecord {
  index: number;
  count: number;
  /** nodes selected before sharding (after --node/--role) */
  selectedTotal: number;
  /** check ids this shard ran (node-reachable excluded); merge runs exactly these */
  checkIds: string[];
  /** the shard's nodes; position = index among the nodes selected before sharding */
  nodes: { name: string; address: string; port: number; roles: string[]; position: number }[];
  /** parsed snapshot of every reached node of the shard (model/types NodeSnapshot) */
  snapshots: NodeSnapshot[];
}

export interface NodeTopology {
  node: string;
  /** `ip netns` names as listed on the node: qrouter-<id>, snat-<id>, fip-<net>, qdhcp-<net> … */
  namespaces: string[];
}

/** What happened to one waiver of the waivers file in this run. */
export interface WaiverOutcome {
  waiverId: string;
  check: string;
  /** the subject pattern as written (glob string or per-field map rendered as k=v,…) */
  subject: string;
  justification: string;
  /** YYYY-MM-DD; the waiver waives through the end of that day (UTC) */
  expires: string;
  owner?: string;
  status: 'applied' | 'expired' | 'unmatched';
  /** indexes into RunResult.findings the waiver matched (also when it had expired) */
  findingIndexes: number[];
  /** "expired on 2024-05-01" / "matched no finding" */
  note?: string;
}

/** One event of a failover drill, on a time axis starting at the fault (tMs = 0). */
export interface DrillEvent {
  /** milliseconds since the fault was injected (may be negative for baseline samples) */
  tMs: number;
  /**
   * bfd-down: a standby saw its BFD session toward the failed OVN gateway go down (issue 11);
   * path-down: a multi-path design stopped using the cut path (the balancer's health check took it out, issue 9)
   */
  kind: 'fault' | 'new-primary' | 'first-garp' | 'ping-lost' | 'ping-recovered' | 'restored' | 'bfd-down' | 'path-down';
  detail?: string;
  node?: string;
}

/** Failover drill on one router: fault injected, time until a new primary, its first G-ARP, outage. */
export interface DrillResult {
  router: string;
  /** e.g. "kill-keepalived net1", "link-down net1/ha-…" */
  fault: string;
  startedAt: string;
  events: DrillEvent[];
  /** ping outage in ms; null when ping never recovered within the watch window */
  outageMs: number | null;
  newPrimaryMs: number | null;
  firstGarpMs: number | null;
  /** failover budget from the profile, ms */
  budgetMs: number;
  verdict: Verdict;
  oldPrimary?: string;
  newPrimary?: string;
  message?: string;
  /**
   * multi-path designs (nova-network multi-NIC, Neutron multi-NIC active/active; issue 9): nothing
   * takes over, one path is cut and the other must carry on; what the upstream saw on each
   */
  paths?: DrillPath[];
}

/** one client path of a multi-path drill, as seen from the upstream */
export interface DrillPath {
  /** cut: the fault takes it down and nothing takes it over (by design); surviving: must keep answering */
  role: 'cut' | 'surviving';
  /** what the client reaches: a floating IP, or the balancer's frontend (ip:port) */
  target: string;
  /** the host serving this path (a nova network host, a Neutron network node) */
  host?: string;
  /** the network it belongs to (nova networks.label) */
  network?: string;
  /** ms without answers after the fault (0 = none lost); null = not answered again before the watch ended; absent = not measured */
  outageMs?: number | null;
}

/** One ARP frame seen while verifying the G-ARPs for a floating IP. */
export interface GarpFrame {
  /** milliseconds since the trigger (FIP association, failover) */
  tMs: number;
  node: string;
  device: string;
  /** 'request' | 'reply' (ARP op) */
  kind: string;
  /** sender hardware / protocol address, target protocol address */
  sha: string;
  spa: string;
  tpa: string;
  /** classification by the capture layer: true = a real gratuitous ARP for tpa */
  garp?: boolean;
  note?: string;
}

/** `haprobe garp verify` result for one floating IP. */
export interface GarpVerification {
  fip: string;
  verdict: Verdict;
  /** machine-readable cause when not pass: "missing", "wrong-sender-ip", "wrong-mac", "late", … */
  cause?: string;
  /** what had to be seen (all optional: the verifier fills what the profile defines) */
  expected: { mac?: string; node?: string; device?: string; count?: number; withinMs?: number; shape?: string };
  timeline: GarpFrame[];
  message?: string;
}
