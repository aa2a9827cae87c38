import { HaprobeError } from '../../errors';
import { labPaths, resolveStateDir } from '../paths';
import { nodeScript } from '../shell';
import { requireLabUp } from '../state';
import type { LabState } from '../types';
import { buildNovaPlan, fipHostOf, type NovaLabPlan } from './plan';
import { multinicHostOf } from './multinic';
import { activeMember } from './standby';
import { bindFloatingIpLines, floatingForwardRules } from './render-network-role';

/**
 * Re-associate a floating IP as nova-network does on the host that owns it (issue 9):
 * unbind (ip addr del, remove floating_forward_rules) then bind again (rules, ip addr add /32 on
 * public_interface and, with send_arp_for_ha, `arping -U fip -A -I eth0 -c 3`) — what
 * `nova remove-floating-ip` + `nova add-floating-ip` make nova-network do. `garp: false`
 * reproduces send_arp_for_ha=False (LP 782364). `instance`, when given, must be the one the lab
 * associated the FIP with (the lab moves no FIP between instances). Returns the host and the
 * epoch ms of the bind.
 */
export async function reassociateNovaFip(opts: { stateDir?: string; fip: string; garp: boolean; instance?: string }): Promise<{ host: string; instance: string; boundAtMs: number }> {
  const paths = labPaths(resolveStateDir(opts.stateDir));
  const state = requireLabUp(paths);
  const plan = buildNovaPlan(state.profile, { computes: state.computes });
  const name = state.fips[opts.fip];
  if (!name) throw new HaprobeError('usage', `${opts.fip} is not an associated floating IP of this lab`);
  if (opts.instance !== undefined && opts.instance !== name && plan.instances.find((i) => i.name === name)?.id !== opts.instance) {
    throw new HaprobeError('usage', `the nova lab re-associates ${opts.fip} with the instance it belongs to (${name}), not ${opts.instance}`, { where: '--associate' });
  }
  const { host, fixed } = await fipBindingOf(plan, state, opts.fip, name);
  const holder = state.nodes[host]!.holderPid!;
  const rules = floatingForwardRules(opts.fip, fixed).map((l) => l.replace(/^-A /, ''));
  await nodeScript(holder, [`ip addr del ${opts.fip}/32 dev eth0`, ...rules.map((r) => `iptables -t nat -D ${r}`)].join('\n') + '\n', 'unbind floating IP');
  const boundAtMs = Date.now();
  await nodeScript(holder, ['set -e', ...rules.map((r) => `iptables -t nat -A ${r}`), ...bindFloatingIpLines(opts.fip, opts.garp)].join('\n') + '\n', 'bind floating IP');
  return { host, instance: name, boundAtMs };
}

/** where the FIP is bound now and its fixed IP: the active member of a standby pair, the network's host (multi-NIC), else floating_ips.host */
async function fipBindingOf(plan: NovaLabPlan, state: LabState, fip: string, name: string): Promise<{ host: string; fixed: string }> {
  if (plan.multinic) {
    const faults = state.faults.map((f) => f.name);
    return { host: multinicHostOf(plan, plan.multinic.fipNetwork[fip]!, faults), fixed: plan.multinic.fipFixed[fip]! };
  }
  const fixed = plan.instances.find((i) => i.name === name)!.ip;
  return { host: plan.standby ? await activeMember(plan, state) : fipHostOf(plan, name), fixed };
}
