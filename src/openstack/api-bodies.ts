/**
 * The neutron (and nova version) answers haprobe reads to build facts, as plain JSON. Fields are
 * those of the neutron API reference (api-ref/source/v2: routers, ports, floatingips, networks,
 * subnets, agents, "List L3 agents hosting a router"); every one may be absent: admin-only
 * attributes (ha, distributed, binding:host_id, agents) are hidden from other users.
 */
export type Json = Record<string, unknown>;

export interface ApiBodies {
  routers: Json[];
  ports: Json[];
  floatingips: Json[];
  networks: Json[];
  subnets: Json[];
  /** undefined when the user may not list agents (403) */
  agents?: Json[];
  /** router id → GET /v2.0/routers/{id}/l3-agents `agents`; a router absent = not read */
  l3AgentsByRouter: Record<string, Json[]>;
  /** GET <compute endpoint>/ `versions`, when the catalog has one (for the release) */
  computeVersions?: Json[];
  /** what the reader could not read, for the warnings (e.g. "agents: HTTP 403") */
  unread?: string[];
}
