import type { Facts } from '../model/facts';
import type { ResolvedProfile } from '../profile/types';
import type { Transport } from '../transport/types';
import { buildNovaRoleProbeCommand, parseNovaRoleProbe } from './nova-drill-commands';
import { novaCandidateHosts, planNovaAnnouncer, type NovaHostProbe } from './plan-nova-announcer';
import type { AnnouncerPlan } from './plan-announcer';
import type { GarpAction } from './garp-action';

/**
 * The I/O edge of `garp verify` on nova-network (issue 9): on every host that could bind the FIP,
 * public_interface's addresses (is the /32 there?) and its MAC — the hot standby probe with the
 * public interface in place of the bridge — then planNovaAnnouncer decides. Read-only.
 */
export async function readNovaPlan(
  input: { facts: Facts; profile: Pick<ResolvedProfile, 'id' | 'garp' | 'release'>; fip: string; action?: GarpAction; has: (node: string) => boolean },
  io: { transportOf: (node: string) => Transport; sudoOf: (node: string) => boolean | undefined; warn: (line: string) => void },
): Promise<AnnouncerPlan> {
  const entry = (input.facts.nova?.floatingIps ?? []).find((f) => f.address === input.fip);
  const device = entry?.interface ?? input.facts.nova?.publicInterface ?? 'eth0';
  const probes = new Map<string, NovaHostProbe>();
  await Promise.all(novaCandidateHosts(input.facts, input.fip).map(async (h) => {
    if (!input.has(h)) return io.warn(`${h} (a nova-network host in the facts) is not in the inventory`);
    const r = await io.transportOf(h).exec(buildNovaRoleProbeCommand(device, device), { sudo: io.sudoOf(h), timeoutMs: 20_000 }).catch(() => undefined);
    if (!r || r.failure || r.exitCode !== 0) return io.warn(`${h}: ${device} not readable (${r?.failure?.message ?? r?.stderr.trim() ?? 'no answer'})`);
    const p = parseNovaRoleProbe(r.stdout, input.fip);
    probes.set(h, { holdsFip: p.holds, ...(p.mac ? { mac: p.mac } : {}) });
  }));
  return planNovaAnnouncer({ facts: input.facts, profile: input.profile, fip: input.fip, probes, ...(input.action?.kind === 'associate' ? { instance: input.action.instance } : {}) });
}
