import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import type { FactsNovaStandby } from '../src/model/facts-nova';
import { evidenceFor, notCollectedReason, wasNamespaceCollected } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { findDevice, findNamespace, findNode } from './lib/lookup';
import { NOVA_CODE, NOVA_SEED, standbyActivity, standbyNetworks } from './lib/nova';

const TRUE = /^(true|1|yes|on)$/i;

/** argv[0] names of each cluster manager's daemons */
const DAEMONS: Record<FactsNovaStandby['manager'], string[]> = {
  keepalived: ['keepalived'],
  pacemaker: ['pacemakerd', 'corosync'],
  heartbeat: ['heartbeat'],
};

/**
 * A hot standby network host (seed 000: NTT's "4 second failover to a hot backup of the network
 * host", with send_arp_for_ha=True, LP 782364): exactly one member of the pair holds the network
 * host role (a dhcp_server of the pair's networks on its bridge), every member runs the cluster
 * manager (a dead one on the active lets the standby take over beside it: both active; on the
 * standby: it never takes over), and the standby is ready to take over: the bridge with
 * flat_interface in it, and send_arp_for_ha=True in its nova.conf (else its takeover moves the
 * floating IPs unannounced). The active member's data plane is judged by the other nova checks.
 */
export const check: Check = {
  id: 'nova-hot-standby',
  title: 'nova-network hot standby: exactly one active network host, the standby ready to take over',
  description:
    'With facts nova.standby (a pair of network hosts under keepalived, pacemaker or heartbeat): exactly one member holds the ' +
    "network host role (dhcp_server on the bridge), the cluster manager runs on every member, and each standby has the bridge " +
    'enslaving flat_interface and send_arp_for_ha=True in nova.conf.',
  severity: 'critical',
  references: [NOVA_SEED, NOVA_CODE, { kind: 'bug', ref: 'lp#782364' }, { kind: 'doc', ref: 'ground-truth §5e' }],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const nova = ctx.facts?.nova;
    const pair = nova?.standby;
    if (!nova || !pair) return out.done();
    const nets = standbyNetworks(nova);
    const bridges = [...new Set(nets.map((n) => n.bridge))];
    const bridge = bridges[0] ?? 'br100';
    const { active, passive, unread } = standbyActivity(nova, ctx.snapshot);
    const named = nets.find((n) => n.host)?.host ?? pair.hosts[0]!;
    for (const host of unread) {
      const node = findNode(ctx.snapshot, host);
      out.skip(out.look({ node: host }), { message: node ? notCollectedReason(node, 'addr', '') : `${host} (hot standby pair) was not read`, evidence: evidenceFor(node, ['versions']) });
    }
    // 1. exactly one active member
    if (active.length === 0 && unread.length === 0) {
      out.fail(out.look({ node: named, device: bridge }), {
        message: `no member of the hot standby pair (${pair.hosts.join(', ')}) holds the network host role: no gateway, DHCP, NAT or floating IP for the instances`,
        expected: `one of ${pair.hosts.join(', ')} with dhcp_server ${nets.map((n) => n.dhcpServer ?? n.gateway).join(', ')} on ${bridge}`,
        actual: 'on none',
        evidence: pair.hosts.flatMap((h) => evidenceFor(findNode(ctx.snapshot, h), ['addr:'])),
      });
    } else if (active.length > 1) {
      for (const host of active) {
        out.fail(out.look({ node: host, device: bridge }), {
          message: `${active.join(' and ')} both hold the network host role (split brain): both answer ARP for the gateway and the floating IPs`,
          expected: 'exactly one active network host', actual: `active: ${active.join(', ')}`,
          evidence: evidenceFor(findNode(ctx.snapshot, host), ['addr:']),
        });
      }
    } else if (active.length === 1) {
      out.look({ node: active[0], device: bridge });
    }
    // 2. every member: the cluster manager runs
    for (const host of [...active, ...passive]) {
      const node = findNode(ctx.snapshot, host)!;
      const procs = node.nova?.clusterManager;
      const subject = out.look({ node: host });
      if (procs === undefined) {
        out.skip(subject, { message: `processes of ${host} not collected (no nova-ha section)`, evidence: evidenceFor(node, ['versions']) });
        continue;
      }
      const names = DAEMONS[pair.manager];
      const running = procs.filter((p) => names.includes((p.argv[0] ?? '').split('/').pop()!));
      if (running.length === 0) {
        const isActive = active.includes(host);
        out.fail(subject, {
          message: isActive
            ? `${pair.manager} is not running on the active network host ${host}: the standby will take the role over while ${host} still holds it (split brain)`
            : `${pair.manager} is not running on the standby ${host}: it will never take over when the active network host fails`,
          expected: `${names.join(' / ')} running`, actual: procs.length ? procs.map((p) => p.argv[0]).join(', ') : 'no cluster manager process',
          evidence: evidenceFor(node, ['nova-ha']),
        });
      }
    }
    // 3. each standby: ready to take the role
    for (const host of passive) {
      const node = findNode(ctx.snapshot, host)!;
      const subject = out.look({ node: host });
      if (wasNamespaceCollected(node, '', 'addr')) {
        const root = findNamespace(node, '');
        for (const net of nets) {
          const dev = findDevice(root, net.bridge);
          const slave = net.bridgeInterface ? findDevice(root, net.bridgeInterface) : undefined;
          if (!dev) {
            out.fail(subject, { message: `bridge ${net.bridge} missing on the standby ${host}: a takeover has no bridge to put dhcp_server ${net.dhcpServer ?? net.gateway ?? ''} on`, expected: `${net.bridge} (ensure_bridge) enslaving ${net.bridgeInterface ?? 'flat_interface'}`, actual: 'no such device', evidence: evidenceFor(node, ['addr:']) });
          } else if (net.bridgeInterface && slave?.master !== net.bridge) {
            out.fail(subject, { message: `${net.bridgeInterface} is not in ${net.bridge} on the standby ${host}: after a takeover the instances cannot reach it`, expected: `${net.bridgeInterface} master ${net.bridge}`, actual: slave ? `master ${slave.master ?? 'none'}` : `no ${net.bridgeInterface}`, evidence: evidenceFor(node, ['addr:']) });
          }
        }
      }
      const conf = node.nova?.conf;
      if (conf !== undefined && nova.sendArpForHa !== false) {
        const v = conf['send_arp_for_ha'];
        if (v === undefined || !TRUE.test(v)) {
          out.fail(subject, {
            message: `nova.conf on the standby ${host} has send_arp_for_ha=${v ?? 'unset (default False)'}: its takeover binds the floating IPs unannounced and the upstream keeps the dead host's MAC (LP 782364)`,
            expected: 'send_arp_for_ha = True', actual: v === undefined ? 'key absent' : `send_arp_for_ha = ${v}`, evidence: evidenceFor(node, ['nova-conf']),
          });
        }
      }
    }
    return out.done();
  },
};
