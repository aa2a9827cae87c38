import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { Device, NamespaceSnapshot } from '../src/model/types';
import { nsEvidence, wasNamespaceCollected } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { haRouterState } from './lib/ha';
import { haRouters } from './lib/ha-routers';
import { findNamespace } from './lib/lookup';

/**
 * §7 row 13 (lp#1859832, lp#1771841, lp#1952907, lp#1965297): an L3 HA backup's qg- (and qr-)
 * carries the router's shared MAC. When IPv6 is live on it the kernel makes a link-local address
 * on link up and sends a DAD neighbour solicitation and MLD reports from that MAC: the upstream
 * switch (or br-tun, for qr-) learns the gateway MAC on the backup's port and floating IPs lose
 * traffic until the primary speaks again.
 *
 * neutron's answer: HA namespaces start with IPv6 forwarding off (Rocky `3e9e2a5b4b`), the
 * link-local address is flushed on backups and kept as a keepalived VIP (`ha_router.py
 * _disable_ipv6_addressing_on_interface`), and from Zed (`5288593faf`) the namespace gets
 * `net.ipv6.conf.all.addr_gen_mode=1`, so no device makes a link-local address by itself.
 *
 * Per replica whose state file says `backup`, per qg-/qr-/sg- device (sg-: DVR SNAT HA's snat-):
 * - an IPv6 address on it → fail (it has sent DAD/MLD for it and answers MLD queries);
 * - `disable_ipv6`=0 with `addr_gen_mode`≠1 (collected per device) in an L3 HA qrouter → warn: the
 *   next link up (node reboot, agent restart) makes the kernel announce the MAC from the backup
 *   (not in a DVR SNAT HA snat- namespace: neutron builds it so in every release and flushes instead);
 * - sysctls not collected → judged on the addresses only.
 */
/**
 * the devices a backup shares with the primary (same port, same MAC): qg- and qr- of an L3 HA
 * qrouter; qg- and sg- of a DVR SNAT HA snat- namespace, where sg- is the router's port on the
 * tenant network (its MLD/DAD teaches br-int/br-tun the sg- MAC on the backup). The collection
 * reads disable_ipv6/addr_gen_mode of qg-/qr- only: sg- is judged on its addresses.
 */
const SHARED_PREFIXES = ['qg-', 'qr-', 'sg-'];

function ipv6Addresses(d: Device): string[] {
  return d.addresses.filter((a) => a.family === 'inet6').map((a) => `${a.address}/${a.prefixLen}`);
}

/** the per-device sysctl, `net.ipv6.conf.<dev>.<key>` as the collection writes it */
function devSysctl(ns: NamespaceSnapshot, dev: string, key: string): string | undefined {
  return ns.sysctls[`net.ipv6.conf.${dev}.${key}`];
}

export const check: Check = {
  id: 'l3ha-backup-ipv6',
  title: "No L3 HA backup's qg-/qr-/sg- has IPv6 live (no MLD / DAD from the shared MAC)",
  description:
    "A backup's qg- shares the gateway MAC with the primary: with IPv6 live on it the kernel sends DAD and MLD reports from that MAC and the fabric " +
    'learns it on the backup node, so floating IPs lose traffic (lp#1859832; fixed in Zed by addr_gen_mode=1, lp#1952907).',
  severity: 'major',
  references: [
    { kind: 'doc', ref: 'ground-truth §2b, §7 row 13' },
    { kind: 'bug', ref: 'lp#1859832' },
    { kind: 'bug', ref: 'lp#1771841' },
    { kind: 'bug', ref: 'lp#1952907' },
    { kind: 'bug', ref: 'lp#1965297' },
  ],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    for (const r of haRouters(ctx))
      for (const rep of r.replicas) {
        const state = haRouterState(rep.node, r.id)?.state?.trim().toLowerCase();
        if (state !== 'backup') continue; // the primary owns the link-local VIP; other states are l3ha-single-primary's
        const ns = findNamespace(rep.node, rep.namespace);
        if (!ns || !wasNamespaceCollected(rep.node, ns, 'addr')) continue;
        for (const d of ns.devices) {
          if (!SHARED_PREFIXES.some((p) => d.name.startsWith(p))) continue;
          const subject = out.look({ node: rep.node.node, namespace: ns.name, router: r.id, device: d.name });
          const v6 = ipv6Addresses(d);
          const disabled = devSysctl(ns, d.name, 'disable_ipv6');
          const genMode = devSysctl(ns, d.name, 'addr_gen_mode');
          const sysctlText = disabled === undefined ? 'sysctls not collected' : `disable_ipv6=${disabled} addr_gen_mode=${genMode ?? '?'}`;
          if (v6.length > 0) {
            out.fail(subject, {
              message:
                `${d.name} of backup ${rep.node.node} (HA router ${r.id}) has IPv6 ${v6.join(' ')}: its kernel sent DAD and MLD reports from the shared MAC ` +
                `${d.mac ?? '?'} and answers MLD queries, so the fabric learns the gateway MAC on this node (lp#1859832) [${sysctlText}]`,
              expected: 'no IPv6 address on a backup (the link-local address is a keepalived VIP of the primary)',
              actual: v6.join(' '),
              evidence: nsEvidence(rep.node, ns.name, ['addr', 'sysctl']),
            });
            continue;
          }
          // the latent form is judged in L3 HA qrouters only: neutron (Zed included) creates the DVR
          // SNAT HA snat- namespace without addr_gen_mode=1 and flushes the backup's qg-/sg- IPv6 instead
          // (real engine, 2026-12-01: addr_gen_mode 0 on every device, no address on the backup): that is
          // the release's own build, which no upgrade changes, so only an address there is a finding
          if (r.mode === 'ha' && disabled === '0' && genMode !== undefined && genMode !== '1')
            out.warn(subject, {
              message:
                `${d.name} of backup ${rep.node.node} (HA router ${r.id}) has IPv6 on with addr_gen_mode=${genMode}: on the next link up (reboot, agent restart) ` +
                `its kernel makes a link-local address and sends DAD and MLD from the shared MAC ${d.mac ?? '?'} (lp#1859832; Zed sets addr_gen_mode=1, lp#1952907)`,
              expected: 'disable_ipv6=1, or addr_gen_mode=1 (Zed+)',
              actual: sysctlText,
              evidence: nsEvidence(rep.node, ns.name, ['sysctl']),
            });
        }
      }
    return out.done();
  },
};
