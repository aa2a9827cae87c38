import { HaprobeError } from '../errors';
import { BACKUP_IPV6_CHECK, BACKUP_IPV6_REFERENCES } from '../capture/backup-emissions';
import { holderOf, record, type FaultCtx, type FaultSpec } from './fault-spec';
import { haPrimaryOf, readHaStates } from './ha-state';
import { HA_CONFS, haNamespace } from './render-node';
import { nodeScript } from './shell';

/**
 * §7 row 13 (lp#1859832, lp#1771841, lp#1952907, lp#1965297): an L3 HA backup's qg- talks IPv6.
 * How the lab configures IPv6 on backups today: the default (IPv4) lab creates every router
 * namespace with `disable_ipv6=1` (all/default, render-node.ts `mkns`), so no qg- has IPv6 at all;
 * `--ipv6` and the `zed` variant create HA namespaces with IPv6 on and `addr_gen_mode=1` (the
 * Zed fix `5288593faf`, `mkns6 … ha`, and `accept_dad=0`): the kernel makes no link-local address
 * and keepalived adds it, as a VIP, on the primary only.
 * The fault undoes that on one backup's qg- the way releases before the fix were: IPv6 on and
 * addr_gen_mode 0 (EUI-64) with DAD on. The kernel then makes the link-local address itself
 * (addrconf_add_linklocal → addrconf_dad_start), joins its solicited-node group and sends a DAD
 * neighbour solicitation from :: and MLDv2 reports (to ff02::16) from the shared qg- MAC — what
 * the operators of lp#1859832 saw the upstream switch learn. Heal: the device's own values back
 * and the link-local address gone.
 */

const sysctlKeys = ['disable_ipv6', 'addr_gen_mode', 'accept_dad'] as const;

/** "0 1 0": the qg- device's disable_ipv6, addr_gen_mode and accept_dad now */
const renderReadV6 = (ns: string, dev: string): string =>
  `for k in ${sysctlKeys.join(' ')}; do ip netns exec ${ns} cat /proc/sys/net/ipv6/conf/${dev}/$k; done | tr '\\n' ' '; echo\n`;

/**
 * IPv6 on, EUI-64 link-local, DAD on (the kernel defaults). Enabling IPv6 on an up device or
 * changing addr_gen_mode makes the kernel configure the device as on link up; only when no
 * link-local appears within 2 s is the link bounced (what the agent's plug did on old releases).
 */
function renderLeakV6(ns: string, dev: string): string {
  return [
    `ip netns exec ${ns} sysctl -qw net.ipv6.conf.${dev}.accept_dad=1 net.ipv6.conf.${dev}.addr_gen_mode=0 net.ipv6.conf.${dev}.disable_ipv6=0`,
    `for i in $(seq 20); do ip -n ${ns} -6 -o addr show dev ${dev} scope link | grep -q fe80: && break; sleep 0.1; done`,
    `ip -n ${ns} -6 -o addr show dev ${dev} scope link | grep -q fe80: || { ip -n ${ns} link set ${dev} down; ip -n ${ns} link set ${dev} up; }`,
    `ip -n ${ns} -6 -o addr show dev ${dev} scope link`,
  ].join('\n') + '\n';
}

/** the values read before the fault back; the link-local address removed unless the node is primary now (keepalived's VIP) */
function renderRestoreV6(ns: string, dev: string, routerId: string, orig: Record<string, string>): string {
  return [
    `ip netns exec ${ns} sysctl -qw net.ipv6.conf.${dev}.addr_gen_mode=${orig.addr_gen_mode} net.ipv6.conf.${dev}.accept_dad=${orig.accept_dad}`,
    `case "$(cat ${HA_CONFS}/${routerId}/state 2>/dev/null)" in primary|master) ;; *) ip -n ${ns} -6 addr flush dev ${dev} scope link ;; esac`,
    `ip netns exec ${ns} sysctl -qw net.ipv6.conf.${dev}.disable_ipv6=${orig.disable_ipv6}`,
  ].join('\n') + '\n';
}

export function parseV6Sysctls(text: string): Record<string, string> | undefined {
  const words = text.trim().split(/\s+/);
  if (words.length !== sysctlKeys.length || !words.every((w) => /^-?\d+$/.test(w))) return undefined;
  return Object.fromEntries(sysctlKeys.map((k, i) => [k, words[i]!]));
}

export const IPV6_FAULTS: readonly FaultSpec[] = [
  {
    name: 'lp1859832',
    // issue 12 follow-up: a plain `haprobe run` catches it too (the backup's qg- holds the link-local address the kernel made)
    check: 'l3ha-backup-ipv6',
    subject: 'node + device (a backup qg-)',
    also: `${BACKUP_IPV6_CHECK}: \`garp watch --on ns:qrouter-<id>:qg-…\` on every replica, started before the fault: one anomaly per frame the backup sent`,
    bug: { row: 13, refs: [...BACKUP_IPV6_REFERENCES], how: 'mechanism' },
    needs: 'an HA profile (seen on neutron-l3ha; on neutron-dvr-snat-ha it acts on the snat- qg-, not tried there)',
    description: 'mechanism: one backup\'s qg- gets IPv6 on with addr_gen_mode=0 and DAD on (namespaces before the Zed fix): the kernel makes ' +
      'its EUI-64 link-local address and sends a DAD neighbour solicitation and MLDv2 reports from the shared qg- MAC, so the upstream switch ' +
      'learns the gateway MAC on the backup',
    async apply(ctx: FaultCtx) {
      const r = ctx.plan.router;
      if (r.haHosts.length < 2) throw new HaprobeError('usage', `${this.name} needs an HA profile (this is ${ctx.plan.profile})`);
      const primary = haPrimaryOf(ctx.plan, ctx.paths);
      if (!primary) throw new HaprobeError('lab', `router has no single primary now: ${JSON.stringify(readHaStates(ctx.plan, ctx.paths))}`);
      if (ctx.node === primary) throw new HaprobeError('usage', `${ctx.node} is the primary; ${this.name} is injected on a backup`);
      const backup = ctx.node ?? r.haHosts.find((h) => h !== primary)!;
      const ns = haNamespace(ctx.plan);
      const dev = r.qg.device;
      const orig = parseV6Sysctls(await nodeScript(holderOf(ctx, backup), renderReadV6(ns, dev), `IPv6 sysctls of ${dev} on ${backup}`));
      if (!orig) throw new HaprobeError('lab', `cannot read the IPv6 sysctls of ${dev} in ${ns} on ${backup}`);
      const ll = await nodeScript(holderOf(ctx, backup), renderLeakV6(ns, dev), `IPv6 link-local on ${dev} of ${backup}`);
      if (!/fe80:/.test(ll)) throw new HaprobeError('lab', `${backup} ${dev}: the kernel made no link-local address`);
      return record(this, `node ${backup} device ${dev}`, backup, { ns, dev, ...orig });
    },
    async heal(ctx, rec) {
      const u = rec.undo as Record<string, string>;
      await nodeScript(holderOf(ctx, rec.node!), renderRestoreV6(u.ns!, u.dev!, ctx.plan.router.id, u), `restore IPv6 of ${u.dev} on ${rec.node}`);
    },
  },
];
