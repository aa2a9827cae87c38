import { HaprobeError } from '../errors';
import type { Facts } from '../model/facts';
import type { ResolvedProfile } from '../profile/types';
import type { AnnouncePoint, AnnouncerPlan } from './plan-announcer';
import { resolveGarpPattern } from './resolve-garp-pattern';

/**
 * Who must announce a nova-network floating IP (issue 9; ground-truth §5e), pure. nova-network
 * binds a FIP as a /32 on public_interface of floating_ips.host (the network host; with
 * multi_host the instance's own compute) and, with send_arp_for_ha=True, runs `arping -U <fip>
 * -A -I <public_interface> -c <send_arp_for_ha_count>` there: REPLYs 1 s apart from that
 * interface's MAC (pattern nova-network). The announcer is the host that holds the /32 now (read
 * over SSH: a hot standby pair moves it), else the facts' floating_ips.host; every nova-network
 * host is a candidate (another one announcing it is the wrong node). A host whose
 * public_interface MAC could not be read cannot be judged: refused, never guessed.
 */
export interface NovaHostProbe {
  /** public_interface MAC, lowercase */
  mac?: string;
  /** the FIP is bound (/32) on its public_interface */
  holdsFip: boolean;
}

export interface PlanNovaAnnouncerInput {
  facts: Facts;
  profile: Pick<ResolvedProfile, 'id' | 'garp' | 'release'>;
  fip: string;
  /** instance name or uuid of `--associate` */
  instance?: string;
  /** what each candidate host's probe showed (absent: the probe failed) */
  probes: ReadonlyMap<string, NovaHostProbe>;
}

/** the hosts that could bind a nova FIP: nova-network hosts, the standby pair, the FIP's own host */
export function novaCandidateHosts(facts: Facts, fip: string): string[] {
  const nova = facts.nova;
  if (!nova) return [];
  const f = (nova.floatingIps ?? []).find((x) => x.address === fip);
  return [...new Set([...(f ? [f.host] : []), ...nova.networkHosts, ...(nova.standby?.hosts ?? [])])];
}

export function planNovaAnnouncer(input: PlanNovaAnnouncerInput): AnnouncerPlan {
  const { facts, fip } = input;
  const nova = facts.nova;
  if (!nova) throw new HaprobeError('facts', 'the facts have no nova section', { where: 'facts.nova' });
  const notes: string[] = [];
  const entry = (nova.floatingIps ?? []).find((x) => x.address === fip);
  if (!entry) {
    throw new HaprobeError('usage', `floating IP ${fip} is not associated in the facts (nova.floatingIps)`, {
      where: '--fip', hint: `associated nova floating IPs: ${(nova.floatingIps ?? []).map((x) => x.address).join(', ') || 'none'}`,
    });
  }
  const fixed = (nova.fixedIps ?? []).find((x) => x.address === entry.fixedIp);
  if (input.instance !== undefined && fixed && input.instance !== fixed.instance && input.instance !== fixed.instanceName) {
    throw new HaprobeError('usage', `${fip} belongs to ${fixed.instanceName ?? fixed.instance} in the facts, not ${input.instance}`, { where: '--associate' });
  }
  const device = entry.interface ?? nova.publicInterface ?? 'eth0';
  const hosts = novaCandidateHosts(facts, fip);
  const holders = hosts.filter((h) => input.probes.get(h)?.holdsFip === true);
  if (holders.length > 1) notes.push(`${fip} is bound on ${holders.join(' and ')}: two hosts answer ARP for it (nova-floating-ip names it)`);
  const host = holders.includes(entry.host) ? entry.host : holders[0] ?? entry.host;
  if (host !== entry.host) notes.push(`${fip} is bound on ${host} now, the facts say ${entry.host} (a standby took over): ${host} must announce it`);
  const unread = hosts.filter((h) => input.probes.get(h)?.mac === undefined);
  if (unread.includes(host)) {
    throw new HaprobeError('inventory', `MAC of ${device} on ${host} unknown: the sender of nova's G-ARPs cannot be judged`, { where: 'garp verify', hint: `${host} must be in the inventory and answer \`ip -o link show dev ${device}\`` });
  }
  for (const h of unread) notes.push(`${h}: ${device} not read, its announcements are not captured`);
  const candidates: AnnouncePoint[] = hosts.filter((h) => !unread.includes(h)).map((h) => ({ node: h, namespace: '', device, mac: input.probes.get(h)!.mac! }));
  const expected = candidates.find((c) => c.node === host)!;
  const count = nova.sendArpForHaCount ?? 3;
  if (nova.sendArpForHa !== true) notes.push('send_arp_for_ha is not True in the facts (nova\'s default is False): nova sends no G-ARP when it binds a floating IP, upstream ARP caches stay stale until they expire (LP 782364)');
  if (count !== 3) notes.push(`send_arp_for_ha_count=${count}: the nova-network pattern expects nova's default 3 (LP 1043796)`);
  const resolved = resolveGarpPattern(input.profile, 'fip-associate', facts.release, 'legacy');
  const network = fixed ? nova.networks.find((n) => n.label === fixed.network) : undefined;
  return {
    fip, routerId: `network ${network?.label ?? '?'} on ${host}`, mode: 'nova-network', expected, candidates: [expected, ...candidates.filter((c) => c !== expected)],
    pattern: resolved.pattern, patternSource: resolved.source, fixedIp: entry.fixedIp, upstream: facts.upstream, notes,
    // nova-network has no Neutron port: portId stays empty
    ...(fixed ? { instance: { id: fixed.instance, ...(fixed.instanceName ? { name: fixed.instanceName } : {}), host: fixed.host, ip: fixed.address, portId: '', mac: fixed.mac ?? '' } } : {}),
  };
}
