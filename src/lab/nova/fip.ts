import { HaprobeError } from '../../errors';
import { labPaths, resolveStateDir } from '../paths';
import { nodeScript } from '../shell';
import { requireLabUp } from '../state';
import { buildNovaPlan, fipHostOf } from './plan';
import { bindFloatingIpLines, floatingForwardRules } from './render';

/**
 * Re-associate a floating IP as nova-network does on the host that owns it (issue 9):
 * unbind (ip addr del, remove floating_forward_rules) then bind again (rules, ip addr add /32 on
 * public_interface and, with send_arp_for_ha, `arping -U fip -A -I eth0 -c 3`). `garp: false`
 * reproduces send_arp_for_ha=False (LP 782364). Returns the host and the epoch ms of the bind.
 */
export async function reassociateNovaFip(opts: { stateDir?: string; fip: string; garp: boolean }): Promise<{ host: string; boundAtMs: number }> {
  const paths = labPaths(resolveStateDir(opts.stateDir));
  const state = requireLabUp(paths);
  const plan = buildNovaPlan(state.profile, { computes: state.computes });
  const name = state.fips[opts.fip];
  if (!name) throw new HaprobeError('usage', `${opts.fip} is not an associated floating IP of this lab`);
  const host = fipHostOf(plan, name);
  const fixed = plan.instances.find((i) => i.name === name)!.ip;
  const holder = state.nodes[host]!.holderPid!;
  const rules = floatingForwardRules(opts.fip, fixed).map((l) => l.replace(/^-A /, ''));
  await nodeScript(holder, [`ip addr del ${opts.fip}/32 dev eth0`, ...rules.map((r) => `iptables -t nat -D ${r}`)].join('\n') + '\n', 'unbind floating IP');
  const boundAtMs = Date.now();
  await nodeScript(holder, ['set -e', ...rules.map((r) => `iptables -t nat -A ${r}`), ...bindFloatingIpLines(opts.fip, opts.garp)].join('\n') + '\n', 'bind floating IP');
  return { host, boundAtMs };
}
