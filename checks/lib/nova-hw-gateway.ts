import type { CheckReference } from '../../src/engine/types';
import type { NovaOptsFile } from '../../src/model/nova-types';
import type { IptablesRuleset } from '../../src/model/types';
import { inChain, ruleInIface, ruleOutIface, ruleTarget } from './nat';
import { gatewayOptions } from './nova';

/** seed 003: openstack-manuals computenetworking.xml, "Option 3: HW Gateway" */
export const NOVA_HW_GATEWAY_SEED: CheckReference = { kind: 'seed', ref: '003_8279f87ac232bae0.txt (openstack-manuals computenetworking.xml, Option 3: HW Gateway)' };

/**
 * The router (DHCP option 3) one nova dnsmasq hands out, from what haprobe read. PRECEDENCE, as
 * dnsmasq 2.90 answered a real DHCP client (busybox udhcpc) on the nova-hw-gateway lab with both
 * files present: an untagged option 3 of its --dhcp-optsfile (get_dhcp_opts: `3,<networks.gateway>`,
 * read after the conf file, wins) before one of its --conf-file (dnsmasq_config_file:
 * `dhcp-option=3,<router>`), else dnsmasq's default, the address it answers from (its
 * --listen-address). Within one file the last line wins. `3` with no value (withhold the gateway)
 * gives address undefined. `overridden`: the conf file's router that the opts file hides. Pure, total.
 */
export function handedOutRouter(conf: NovaOptsFile | undefined, opts: NovaOptsFile | undefined, listenAddress: string | undefined): { address: string | undefined; from: string; overridden?: string } {
  const confOpts = conf ? gatewayOptions(stripDhcpOption(conf)).filter((o) => !o.tagged) : [];
  const fileOpts = opts ? gatewayOptions(opts).filter((o) => !o.tagged) : [];
  const confValue = confOpts.length > 0 ? confOpts[confOpts.length - 1]!.value : undefined;
  if (fileOpts.length > 0) {
    const address = fileOpts[fileOpts.length - 1]!.value;
    return { address, from: opts!.path, ...(confOpts.length > 0 && confValue !== address && confValue !== undefined ? { overridden: confValue } : {}) };
  }
  if (confOpts.length > 0) return { address: confValue, from: conf!.path };
  return { address: listenAddress, from: "dnsmasq's default: its own address" };
}

/** `dhcp-option=3,x` / `dhcp-option-force = option:router,x` → the opts-file spelling `3,x` (other lines dropped) */
function stripDhcpOption(file: NovaOptsFile): NovaOptsFile {
  const lines = file.lines.flatMap((l) => {
    const m = /^dhcp-option(?:-force)?\s*=\s*(.*)$/.exec(l.trim());
    return m ? [m[1]!.trim()] : [];
  });
  return { path: file.path, lines };
}

/**
 * Would the host route packets in or out of `bridge`? The first FORWARD-side rule (the built-in
 * FORWARD chain and nova's wrapped `nova-network-FORWARD`, in iptables-save order) that names the
 * bridge (`-i`/`-o`, not negated) or the fixed range decides: ACCEPT forwards, DROP/REJECT does
 * not; no such rule → the FORWARD policy (ACCEPT when absent). nova's default
 * (forward_bridge_interface=['all']) is `-i/-o <bridge> -j ACCEPT`; a network without a gateway
 * gets `--in/--out-interface <bridge> -j DROP` (LinuxNetL3, ground-truth §5b).
 */
export function forwardsForBridge(rs: IptablesRuleset, bridge: string, cidr: string): { forwards: boolean; why: string } {
  const rules = rs.rules.filter((r) => r.table === 'filter' && inChain(r, 'FORWARD'));
  for (const r of rules) {
    const i = ruleInIface(r);
    const o = ruleOutIface(r);
    const names = (i && !i.negated && i.value === bridge) || (o && !o.negated && o.value === bridge) || new RegExp(`(^|\\s)-[sd] ${cidr.replace(/[./]/g, '\\$&')}(\\s|$)`).test(r.spec);
    if (!names) continue;
    const t = ruleTarget(r);
    if (t === 'ACCEPT') return { forwards: true, why: `-A ${r.chain} ${r.spec}` };
    if (t === 'DROP' || t === 'REJECT') return { forwards: false, why: `-A ${r.chain} ${r.spec}` };
  }
  const policy = rs.chains.find((c) => c.table === 'filter' && c.name === 'FORWARD')?.policy ?? 'ACCEPT';
  return { forwards: policy === 'ACCEPT', why: `no rule names ${bridge} or ${cidr}, FORWARD policy ${policy}` };
}
