import { buildFacts, buildPlan, initialFips } from '../../src/lab/plan';

/**
 * Facts that must be refused, shared by the facts validation tests and the precompiled-validator
 * test (the build's generated validator must refuse each with the same path and message).
 */

/** the lab's facts for a profile, as written to facts.json (JSON round trip drops undefined) */
export function labFacts(profile = 'neutron-l3ha'): Record<string, any> {
  const plan = buildPlan(profile);
  return JSON.parse(JSON.stringify(buildFacts(plan, initialFips(plan), 'net1')));
}

/** [what is changed, the change, the path named, what the message must say] */
export const BAD: [string, (f: Record<string, any>) => void, string, RegExp][] = [
  ['hosts as a string (crashed checks with "(names ?? []).map is not a function")', (f) => (f.routers[0].hosts = 'net1'), 'routers[0].hosts', /expected a list, got a string "net1"/],
  ['router id with shell text', (f) => (f.routers[0].id = '$(touch /tmp/x)'), 'routers[0].id', /expected a UUID/],
  ['haVrId as text', (f) => (f.routers[0].haVrId = '1; reboot'), 'routers[0].haVrId', /expected a whole number/],
  ['haVrId out of VRRP range', (f) => (f.routers[0].haVrId = 256), 'routers[0].haVrId', /<= 255/],
  ['unknown router mode', (f) => (f.routers[0].mode = 'active-active'), 'routers[0].mode', /expected one of legacy, ha, dvr, dvr-ha/],
  ['haState value', (f) => (f.routers[0].haState = { net1: 'primary' }), 'routers[0].haState.net1', /expected one of active, standby, unknown/],
  ['host name with a space', (f) => (f.routers[0].hosts = ['net1', 'net 2']), 'routers[0].hosts[1]', /expected a host name/],
  ['subnet CIDR without prefix', (f) => (f.routers[0].subnets[0].cidr = '10.0.0.0'), 'routers[0].subnets[0].cidr', /expected a CIDR/],
  ['IPv4 CIDR with a /33', (f) => (f.routers[0].subnets[0].cidr = '10.0.0.0/33'), 'routers[0].subnets[0].cidr', /expected a CIDR/],
  ['gateway not an IP', (f) => (f.routers[0].gatewayIp = '203.0.113.300'), 'routers[0].gatewayIp', /expected an IPv4 or IPv6 address/],
  ['port MAC', (f) => (f.ports[0].mac = 'zz:16:3e:00:00:01'), 'ports[0].mac', /expected a MAC address/],
  ['port fixed IP', (f) => (f.ports[0].fixedIps = ['10.0.0.1`id`']), 'ports[0].fixedIps[0]', /expected an IPv4 or IPv6 address/],
  ['allowed address pair', (f) => (f.ports[0].allowedAddressPairs = [{ ipAddress: '10.0.0.0/99' }]), 'ports[0].allowedAddressPairs[0].ipAddress', /an IP address or a CIDR/],
  ['deviceOwner with a quote', (f) => (f.ports[0].deviceOwner = "network:router_interface'"), 'ports[0].deviceOwner', /not allowed/],
  ['floating IP', (f) => (f.floatingIps[0].floatingIp = '203.0.113.101; id'), 'floatingIps[0].floatingIp', /IPv4 or IPv6/],
  ['instance port id', (f) => (f.instances[0].portId = 'vm1-port'), 'instances[0].portId', /UUID/],
  ['agent alive as text', (f) => (f.agents[0].alive = 'yes'), 'agents[0].alive', /expected true or false/],
  ['agent mode', (f) => (f.agents[0].agentMode = 'dvr-snat'), 'agents[0].agentMode', /dvr_snat/],
  ['upstream namespace with a glob', (f) => (f.upstream.namespace = 'ns/../x'), 'upstream.namespace', /namespace name/],
  ['upstream IP missing', (f) => delete f.upstream.ip, 'upstream.ip', /missing required field "ip"/],
  ['a typo in a field name', (f) => (f.routers[0].haVrid = 3), 'routers[0].haVrid', /unknown field "haVrid"/],
  ['version', (f) => (f.version = 2), 'version', /expected 1/],
  ['firewallDriver with shell text', (f) => (f.firewallDriver = 'openvswitch; id'), 'firewallDriver', /not allowed/],
  ['agentModes value', (f) => (f.agentModes = { cmp1: 'snat' }), 'agentModes.cmp1', /dvr_no_external/],
  ['adminStateUp as text', (f) => (f.ports[0].adminStateUp = 'false'), 'ports[0].adminStateUp', /true or false/],
];

