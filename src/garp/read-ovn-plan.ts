import { HaprobeError } from '../errors';
import type { Inventory } from '../inventory/types';
import type { Facts } from '../model/facts';
import type { Transport } from '../transport/types';
import { readSouthbound } from './central-candidates';
import { buildOvnChassisProbeCommand, buildOvnGarpSettingsCommand } from './ovn-drill-commands';
import { listProviderUplinks, parseOvnChassisProbe, isDeviceName } from './ovn-chassis-probe';
import { nodeOfChassis, parseOvnSbGateways } from './ovn-gateway';
import { ovnGarpPatternFor, parseOvnGarpSettings } from './ovn-garp-pattern';
import { planOvnAnnouncer } from './plan-ovn-announcer';
import type { AnnouncerPlan } from './plan-announcer';
import type { GarpAction } from './garp-action';

/**
 * The I/O edge of `garp verify -p ovn` (issue 11): the SB (gateways, claims, nat_addresses) from
 * the first node with its socket, then every chassis in the inventory — its provider uplinks and
 * its ovn-controller version / garp-max-timeout-sec — and planOvnAnnouncer decides. Read-only.
 */
export async function readOvnPlan(
  input: { inventory: Inventory; facts: Facts; fip: string; action?: GarpAction; distributed: boolean | 'auto' },
  io: { transportOf: (node: string) => Transport; sudoOf: (node: string) => boolean | undefined; warn: (line: string) => void },
): Promise<AnnouncerPlan> {
  /** one read: its output, or why there is none (transport failure, exit status) */
  type Read = { stdout: string } | { why: string };
  const once = async (node: string, cmd: string): Promise<Read> => {
    try {
      const r = await io.transportOf(node).exec(cmd, { sudo: io.sudoOf(node), timeoutMs: 20_000 });
      if (!r.failure && r.exitCode === 0) return { stdout: r.stdout };
      return { why: r.failure ? `${r.failure.reason}: ${r.failure.message}` : `exit ${r.exitCode}` };
    } catch (err) {
      return { why: err instanceof Error ? err.message : String(err) };
    }
  };
  // a chassis read gets a second try when the first failed (read-only; a loaded node missed the 20 s once: clean-clone run 16)
  const twice = async (node: string, cmd: string): Promise<Read> => {
    const first = await once(node, cmd);
    return 'stdout' in first ? first : once(node, cmd);
  };
  const { central, sbText } = await readSouthbound(input.inventory.nodes, io, { why: 'garp verify -p ovn reads who announces there', where: 'garp verify' });
  const sb = parseOvnSbGateways(sbText);
  for (const w of sb.warnings) io.warn(`SB on ${central}: ${w.message}`);
  const chassisNodes = [...new Set(sb.value.chassis.map((c) => nodeOfChassis(input.inventory.nodes, c.name, sb.value.chassis)).filter((n): n is string => n !== undefined))];
  const uplinks = new Map<string, string[]>();
  const settings = new Map<string, ReturnType<typeof parseOvnGarpSettings>['value']>();
  // chassis whose probe could not be read, and why: named if one of them must announce
  const unread = new Map<string, string>();
  await Promise.all(chassisNodes.map(async (n) => {
    const [probe, set] = await Promise.all([twice(n, buildOvnChassisProbeCommand()), twice(n, buildOvnGarpSettingsCommand())]);
    if (!('stdout' in probe)) {
      unread.set(n, probe.why);
      io.warn(`${n}: chassis probe failed (${probe.why}): its G-ARPs are not captured`);
    } else {
      const p = parseOvnChassisProbe(probe.stdout);
      const devs = listProviderUplinks(p.value).flatMap((b) => b.uplinks).filter(isDeviceName);
      if (devs.length === 0) io.warn(`${n}: no provider bridge uplink (ovn-bridge-mappings): its G-ARPs are not captured`);
      else uplinks.set(n, devs);
    }
    const s = parseOvnGarpSettings('stdout' in set ? set.stdout : '');
    for (const w of s.warnings) io.warn(`${n} G-ARP settings line ${w.line}: ${w.message}`);
    settings.set(n, s.value);
  }));
  return planOvnAnnouncer({
    facts: input.facts, sb: sb.value, fip: input.fip, action: input.action, nodes: input.inventory.nodes, uplinks,
    distributed: input.distributed, patternFor: (n) => ovnGarpPatternFor(settings.get(n) ?? {}),
    unreadUplinks: unread,
  });
}
