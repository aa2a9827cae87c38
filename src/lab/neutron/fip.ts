import { HaprobeError } from '../../errors';
import type { NeutronApi } from './api';

/**
 * Associate / disassociate a floating IP of a real-engine lab through the Neutron API (the L3
 * agent then builds NAT and sends its G-ARPs or keepalived does: that is what `garp verify`
 * judges). Returns the epoch ms the API accepted the change.
 */
export async function setFloatingIpPort(api: NeutronApi, fip: string, portId: string | null): Promise<{ fipId: string; atMs: number }> {
  const { floatingips } = await api.neutronRequest<{ floatingips: { id: string }[] }>('GET', `/floatingips?floating_ip_address=${encodeURIComponent(fip)}`);
  if (floatingips.length !== 1) throw new HaprobeError('lab', `floating IP ${fip} is not in the lab's Neutron (${floatingips.length} found)`);
  const at = Date.now();
  await api.neutronRequest('PUT', `/floatingips/${floatingips[0].id}`, { floatingip: { port_id: portId } });
  return { fipId: floatingips[0].id, atMs: at };
}

/** the instance port of `instance` (name vm1, or the port/device id) */
export async function instancePortOf(api: NeutronApi, instance: string): Promise<string> {
  const { ports } = await api.neutronRequest<{ ports: { id: string; name: string; device_id: string }[] }>('GET', '/ports?device_owner=compute:nova');
  const p = ports.find((x) => x.name === instance || x.id === instance || x.device_id === instance);
  if (!p) throw new HaprobeError('lab', `no instance port for "${instance}" in the lab's Neutron`);
  return p.id;
}
