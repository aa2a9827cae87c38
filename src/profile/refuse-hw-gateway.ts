import { HaprobeError } from '../errors';
import type { Facts } from '../model/facts';

/**
 * nova-hw-gateway is refused together with VLAN mode (seed 000's warning: "The hardware gateway
 * option is not available when running in VLAN mode, as it can only be used to specify a single
 * gateway for all instances, and VLAN mode requires a separate gateway for each network").
 * Pure: `run` calls it once the profile and the facts are loaded, before anything is collected.
 */
export function refuseHwGatewayWithVlan(profileId: string, facts: Pick<Facts, 'nova'> | undefined): void {
  if (profileId !== 'nova-hw-gateway' || facts?.nova?.networkManager !== 'vlan') return;
  throw new HaprobeError('usage', 'profile nova-hw-gateway cannot judge a VlanManager cloud: the hardware gateway (dnsmasq_config_file with dhcp-option=3,<router>) is one gateway for all instances, and VLAN mode needs one per network (OpenStack admin guide, nova-network HA options)', {
    hint: 'facts nova.networkManager is "vlan": run a VLAN-mode profile, or fix networkManager if the cloud runs FlatDHCPManager',
  });
}
