/**
 * JSON Schema (draft-07, checked by ajv) of the facts file: src/model/facts.ts in schema form,
 * with the formats of src/model/formats.ts. Unknown fields are refused (a typo such as `haVrid`
 * must not silently turn a check off), so a NEW optional facts field is added in two places:
 * the interface in facts.ts and its line in the definition below (tests validate the lab's
 * facts for every profile, which catches a field added to one and not the other).
 * Lists may be left out (they default to []).
 */

import { NOVA_FACTS_DEFINITIONS } from './facts-nova-schema';

const str = { type: 'string' } as const;
const fmt = (format: string): Record<string, unknown> => ({ type: 'string', format });
const listOf = (items: Record<string, unknown>): Record<string, unknown> => ({ type: 'array', items });
/** a safe word: no whitespace, quotes, shell metacharacters */
const word = { type: 'string', pattern: '^[A-Za-z0-9._:+-]+$' } as const;

export const FACTS_DEFINITIONS = {
  router: {
    type: 'object',
    required: ['id', 'mode', 'hosts', 'subnets'],
    additionalProperties: false,
    properties: {
      id: fmt('uuid'),
      name: str,
      mode: { enum: ['legacy', 'ha', 'dvr', 'dvr-ha'] },
      externalNetworkId: fmt('uuid'),
      gatewayIp: fmt('ip'),
      externalGatewayIp: fmt('ip'),
      enableSnat: { type: 'boolean' },
      /** keepalived virtual_router_id */
      haVrId: { type: 'integer', minimum: 1, maximum: 255 },
      haState: { type: 'object', propertyNames: { format: 'hostname' }, additionalProperties: { enum: ['active', 'standby', 'unknown'] } },
      hosts: listOf(fmt('hostname')),
      snatHosts: listOf(fmt('hostname')),
      subnets: listOf({
        type: 'object',
        required: ['networkId', 'cidr', 'gatewayIp'],
        additionalProperties: false,
        properties: { id: fmt('uuid'), networkId: fmt('uuid'), cidr: fmt('cidr'), gatewayIp: fmt('ip') },
      }),
    },
  },
  port: {
    type: 'object',
    required: ['id', 'deviceOwner', 'networkId', 'mac', 'fixedIps'],
    additionalProperties: false,
    properties: {
      id: fmt('uuid'),
      /** network:router_interface, compute:<zone> … */
      deviceOwner: word,
      /** a router or instance UUID, an agent id, neutron's "dhcp<hash>-<net>"; may be empty */
      deviceId: { type: 'string', pattern: '^[A-Za-z0-9._:-]*$' },
      networkId: fmt('uuid'),
      mac: fmt('mac'),
      fixedIps: listOf(fmt('ip')),
      host: fmt('hostname'),
      /** admin_state_up; false parks the port on VLAN 4095 */
      adminStateUp: { type: 'boolean' },
      prefixLen: { type: 'integer', minimum: 0, maximum: 128 },
      portSecurityEnabled: { type: 'boolean' },
      allowedAddressPairs: listOf({
        type: 'object',
        required: ['ipAddress'],
        additionalProperties: false,
        properties: { ipAddress: fmt('ip-or-cidr'), macAddress: fmt('mac') },
      }),
    },
  },
  floatingIp: {
    type: 'object',
    required: ['floatingIp', 'fixedIp', 'portId', 'routerId'],
    additionalProperties: false,
    properties: {
      id: fmt('uuid'),
      floatingIp: fmt('ip'),
      fixedIp: fmt('ip'),
      portId: fmt('uuid'),
      routerId: fmt('uuid'),
      host: fmt('hostname'),
      externalNetworkId: fmt('uuid'),
      portMac: fmt('mac'),
    },
  },
  instance: {
    type: 'object',
    required: ['id', 'host', 'portId', 'mac', 'ip'],
    additionalProperties: false,
    properties: { id: fmt('uuid'), name: str, host: fmt('hostname'), portId: fmt('uuid'), mac: fmt('mac'), ip: fmt('ip') },
  },
  agent: {
    type: 'object',
    required: ['host', 'type', 'alive'],
    additionalProperties: false,
    properties: {
      host: fmt('hostname'),
      type: { enum: ['l3', 'dhcp', 'ovs', 'metadata'] },
      agentMode: { enum: ['legacy', 'dvr', 'dvr_snat', 'dvr_no_external'] },
      alive: { type: 'boolean' },
    },
  },
  upstream: {
    type: 'object',
    required: ['ip'],
    additionalProperties: false,
    properties: { node: fmt('hostname'), namespace: fmt('netns'), ip: fmt('ip') },
  },
  multiNicPair: {
    type: 'object',
    required: ['instance', 'paths'],
    additionalProperties: false,
    properties: {
      instance: word,
      host: fmt('hostname'),
      paths: {
        type: 'array', minItems: 2, maxItems: 2,
        items: {
          type: 'object',
          required: ['routerId', 'portId', 'fixedIp', 'gatewayIp', 'floatingIp', 'table'],
          additionalProperties: false,
          properties: { routerId: fmt('uuid'), portId: fmt('uuid'), fixedIp: fmt('ip'), gatewayIp: fmt('ip'), floatingIp: fmt('ip'),
            table: { type: 'integer', minimum: 1, maximum: 4294967295 } },
        },
      },
      balancer: {
        type: 'object',
        required: ['node', 'kind', 'backend'],
        additionalProperties: false,
        properties: { node: fmt('hostname'), kind: { enum: ['haproxy'] }, backend: word, statsSocket: { type: 'string', pattern: '^/[A-Za-z0-9._/-]+$' } },
      },
    },
  },
  ...NOVA_FACTS_DEFINITIONS,
} as const;

export const FACTS_SCHEMA = {
  $id: 'haprobe-facts',
  type: 'object',
  required: ['version'],
  additionalProperties: false,
  properties: {
    version: { const: 1 },
    profile: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
    /** release family: "pike+", "newton", "juno", "2024.1" … */
    release: word,
    routers: { ...listOf({ $ref: '#/definitions/router' }), default: [] },
    ports: { ...listOf({ $ref: '#/definitions/port' }), default: [] },
    floatingIps: { ...listOf({ $ref: '#/definitions/floatingIp' }), default: [] },
    instances: { ...listOf({ $ref: '#/definitions/instance' }), default: [] },
    agents: { ...listOf({ $ref: '#/definitions/agent' }), default: [] },
    /** [securitygroup] firewall_driver: openvswitch | iptables_hybrid | iptables | noop, or a class path */
    firewallDriver: word,
    /** per host (host name → driver); wins over firewallDriver */
    firewallDrivers: { type: 'object', propertyNames: { format: 'hostname' }, additionalProperties: word },
    /** L3 agent mode per host; wins over agents[].agentMode */
    agentModes: { type: 'object', propertyNames: { format: 'hostname' }, additionalProperties: { enum: ['legacy', 'dvr', 'dvr_snat', 'dvr_no_external'] } },
    upstream: { $ref: '#/definitions/upstream' },
    nova: { $ref: '#/definitions/nova' },
    multiNic: listOf({ $ref: '#/definitions/multiNicPair' }),
  },
  definitions: FACTS_DEFINITIONS,
} as const;

/** one facts entity kind, for validating a single value (e.g. one router read from the Neutron API) */
export type FactsPartKind = keyof typeof FACTS_DEFINITIONS;
