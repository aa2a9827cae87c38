import { HaprobeError } from '../errors';
import type { Facts } from '../model/facts';

/**
 * Which paths a nova-network multi-NIC drill cuts and watches (pure; issue 9, seed 000 multi-NIC):
 * an instance with a fixed IP on two single-host networks served by different network hosts and
 * a floating IP on each. The cut path is the one of --fip (default: the first network's), the
 * surviving one the same instance's FIP on a network of another host.
 */
export interface NovaMultinicPath {
  fip: string;
  fixedIp: string;
  network: string;
  /** floating_ips.host: the network host that binds and NATs the FIP */
  host: string;
  bridge: string;
  /** flat_interface of the network (networks.bridge_interface) */
  flatInterface?: string;
}

export interface NovaMultinicDrillPlan {
  instance: string;
  cut: NovaMultinicPath;
  surviving: NovaMultinicPath;
  publicInterface: string;
  /** flat interfaces of every single-host network the cut host serves (stop-node takes them all down) */
  cutHostFlatInterfaces: string[];
}

/** the FIP paths of every instance: one per fixed IP on a single-host network that has a FIP */
function pathsByInstance(facts: Facts): Map<string, { name: string; paths: NovaMultinicPath[] }> {
  const nova = facts.nova!;
  const out = new Map<string, { name: string; paths: NovaMultinicPath[] }>();
  for (const fixed of nova.fixedIps ?? []) {
    const net = nova.networks.find((n) => n.label === fixed.network && !n.multiHost);
    const fip = (nova.floatingIps ?? []).find((f) => f.fixedIp === fixed.address);
    if (!net || !fip) continue;
    const entry = out.get(fixed.instance) ?? { name: fixed.instanceName ?? fixed.instance, paths: [] };
    entry.paths.push({ fip: fip.address, fixedIp: fixed.address, network: net.label, host: fip.host, bridge: net.bridge, ...(net.bridgeInterface ? { flatInterface: net.bridgeInterface } : {}) });
    out.set(fixed.instance, entry);
  }
  return out;
}

export function planNovaMultinicDrill(facts: Facts, fip?: string): NovaMultinicDrillPlan {
  const nova = facts.nova;
  if (!nova) throw new HaprobeError('facts', 'a nova multi-NIC drill needs the facts\' nova section', { where: 'facts.nova' });
  const instances = [...pathsByInstance(facts).values()];
  const pick = fip !== undefined ? instances.find((i) => i.paths.some((p) => p.fip === fip)) : instances.find((i) => new Set(i.paths.map((p) => p.host)).size >= 2);
  if (!pick) {
    throw new HaprobeError('usage', fip !== undefined
      ? `${fip} is not the floating IP of a fixed IP on a single-host nova network in the facts`
      : 'no instance has floating IPs on two single-host networks served by different hosts: nothing for a multi-NIC drill to keep reachable', {
      where: fip !== undefined ? '--fip' : 'facts.nova',
      hint: 'the multi-NIC design (seed 000): a NIC and a FIP on each of two networks, each network its own network host (nova-multinic-paths checks it)',
    });
  }
  const cut = fip !== undefined ? pick.paths.find((p) => p.fip === fip)! : pick.paths[0]!;
  const surviving = pick.paths.find((p) => p.host !== cut.host);
  if (!surviving) {
    throw new HaprobeError('usage', `every floating IP of ${pick.name} is bound on ${cut.host}: one host failure cuts all its paths, there is no surviving path to measure`, {
      where: 'facts.nova.floatingIps', hint: 'haprobe run -p nova-multinic names it (nova-multinic-paths)',
    });
  }
  const flats = nova.networks.filter((n) => !n.multiHost && n.host === cut.host && n.bridgeInterface).map((n) => n.bridgeInterface!);
  return { instance: pick.name, cut, surviving, publicInterface: nova.publicInterface ?? 'eth0', cutHostFlatInterfaces: [...new Set(flats)] };
}
