import type { Check } from '../src/engine/types';
import { check as namespacePlacement } from './namespace-placement';
import { check as deviceMac } from './device-mac';
import { check as fipPlacement } from './fip-placement';
import { check as natRules } from './nat-rules';
import { check as l3haSinglePrimary } from './l3ha-single-primary';
import { check as l3haVridUnique } from './l3ha-vrid-unique';
import { check as keepalivedConfig } from './keepalived-config';
import { check as dvrSnatPlacement } from './dvr-snat-placement';
import { check as dvrFipNamespace } from './dvr-fip-namespace';
import { check as ovsDeadVlan } from './ovs-dead-vlan';
import { check as ovsPorts } from './ovs-ports';
import { check as ovsAntispoof } from './ovs-antispoof';
import { check as prerequisites } from './prerequisites';
import { check as upstreamNeighbour } from './upstream-neighbour';
import { check as apiDataplaneAgreement } from './api-dataplane-agreement';
import { check as novaDhcpServer } from './nova-dhcp-server';
import { check as novaFloatingIp } from './nova-floating-ip';
import { check as novaMetadata } from './nova-metadata';
import { check as novaNetworkSpof } from './nova-network-spof';
import { check as novaSendArpForHa } from './nova-send-arp-for-ha';
import { check as ovnGatewayChassis } from './ovn-gateway-chassis';
import { check as ovnCrLrpClaim } from './ovn-cr-lrp-claim';
import { check as ovnNatRows } from './ovn-nat-rows';
import { check as ovnGarpOptions } from './ovn-garp-options';
import { check as ovnBfd } from './ovn-bfd';
import { check as ovnMetadataNamespace } from './ovn-metadata-namespace';
import { check as novaHotStandby } from './nova-hot-standby';
import { check as novaHwGateway } from './nova-hw-gateway';
import { check as l3haBackupIpv6 } from './l3ha-backup-ipv6';
import { check as ovsTunnelStaleMac } from './ovs-tunnel-stale-mac';
import { check as novaMultinicPaths } from './nova-multinic-paths';
import { check as novaVlanBridge } from './nova-vlan-bridge';
import { check as novaDhcpIsolation } from './nova-dhcp-isolation';
import { check as multinicAntiAffinity } from './multinic-anti-affinity';
import { check as multinicPaths } from './multinic-paths';
import { check as multinicPolicyRouting } from './multinic-policy-routing';
import { check as multinicBalancer } from './multinic-balancer';

/**
 * The check registry. One file per check under checks/, named after its id (the registry
 * test enforces it). Order = report order. Every evaluate() is pure over CheckContext.
 */
export const CHECKS: readonly Check[] = [
  namespacePlacement,
  deviceMac,
  fipPlacement,
  natRules,
  l3haSinglePrimary,
  l3haVridUnique,
  keepalivedConfig,
  dvrSnatPlacement,
  dvrFipNamespace,
  ovsDeadVlan,
  ovsPorts,
  ovsAntispoof,
  prerequisites,
  upstreamNeighbour,
  apiDataplaneAgreement,
  // nova-network (issue 9)
  novaDhcpServer,
  novaFloatingIp,
  novaMetadata,
  novaNetworkSpof,
  novaSendArpForHa,
  // ML2/OVN (issue 11)
  ovnGatewayChassis,
  ovnCrLrpClaim,
  ovnNatRows,
  ovnGarpOptions,
  ovnBfd,
  ovnMetadataNamespace,
  novaHotStandby,
  novaHwGateway,
  // issue 12: §7 rows 13 and 14
  l3haBackupIpv6,
  ovsTunnelStaleMac,
  novaMultinicPaths,
  novaVlanBridge,
  novaDhcpIsolation,
  // neutron-multinic-aa (issue 9, seed 001)
  multinicAntiAffinity,
  multinicPaths,
  multinicPolicyRouting,
  multinicBalancer,
];

export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
