/**
 * JSON Schema of the nova-network facts (src/model/facts-nova.ts), merged into FACTS_DEFINITIONS.
 * Same rule as the rest: unknown fields are refused; values reaching commands are formats.
 */
const fmt = (format: string): Record<string, unknown> => ({ type: 'string', format });
const listOf = (items: Record<string, unknown>): Record<string, unknown> => ({ type: 'array', items });
/** a network label: nova allows free text, haprobe only safe words */
const label = { type: 'string', pattern: '^[A-Za-z0-9._:+-]+$' } as const;

export const NOVA_FACTS_DEFINITIONS = {
  novaNetwork: {
    type: 'object',
    required: ['label', 'cidr', 'bridge', 'multiHost'],
    additionalProperties: false,
    properties: {
      label,
      cidr: fmt('cidr'),
      bridge: fmt('ifname'),
      bridgeInterface: fmt('ifname'),
      gateway: fmt('ip'),
      dhcpServer: fmt('ip'),
      multiHost: { type: 'boolean' },
      host: fmt('hostname'),
      shareAddress: { type: 'boolean' },
      vlan: { type: 'integer', minimum: 1, maximum: 4094 },
      hardwareGateway: fmt('ip'),
    },
  },
  nova: {
    type: 'object',
    required: ['networkManager', 'networkHosts', 'networks'],
    additionalProperties: false,
    properties: {
      networkManager: { enum: ['flat', 'flatdhcp', 'vlan'] },
      publicInterface: fmt('ifname'),
      metadataHost: fmt('ip'),
      dnsmasqConfigFile: { type: 'string', pattern: '^/[A-Za-z0-9._/+-]+$' },
      hardwareGatewayNode: fmt('hostname'),
      metadataPort: { type: 'integer', minimum: 1, maximum: 65535 },
      sendArpForHa: { type: 'boolean' },
      sendArpForHaCount: { type: 'integer', minimum: 0, maximum: 100 },
      myIps: { type: 'object', propertyNames: { format: 'hostname' }, additionalProperties: fmt('ip') },
      networkHosts: listOf(fmt('hostname')),
      networks: listOf({ $ref: '#/definitions/novaNetwork' }),
      dhcpServers: listOf({
        type: 'object', required: ['host', 'network', 'address'], additionalProperties: false,
        properties: { host: fmt('hostname'), network: label, address: fmt('ip') },
      }),
      fixedIps: listOf({
        type: 'object', required: ['address', 'network', 'instance', 'host'], additionalProperties: false,
        properties: { address: fmt('ip'), network: label, instance: fmt('uuid'), instanceName: { type: 'string' }, host: fmt('hostname'), mac: fmt('mac') },
      }),
      floatingIps: listOf({
        type: 'object', required: ['address', 'fixedIp', 'host'], additionalProperties: false,
        properties: { address: fmt('ip'), fixedIp: fmt('ip'), host: fmt('hostname'), interface: fmt('ifname') },
      }),
      standby: {
        type: 'object', required: ['hosts', 'manager'], additionalProperties: false,
        properties: { hosts: { ...listOf(fmt('hostname')), minItems: 2 }, manager: { enum: ['keepalived', 'pacemaker', 'heartbeat'] } },
      },
    },
  },
} as const;
