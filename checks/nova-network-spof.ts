import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { findNode } from './lib/lookup';
import { NOVA_CODE, NOVA_SEED, novaOf } from './lib/nova';

/**
 * Seed 000: "the network host is a single point of failure! If the network host goes down for
 * any reason, it is impossible to communicate with the VMs." A single-host nova network is
 * reported as its own finding, on the network host, so the operator fixes it (multi_host, a hot
 * standby with send_arp_for_ha=True, a hardware gateway) or waives it knowingly (waivers file).
 * A multi_host network passes, and so does one whose host is in a hot standby pair (facts
 * nova.standby; nova-hot-standby judges the standby). This is a design finding: severity major, never critical.
 */
export const check: Check = {
  id: 'nova-network-spof',
  title: 'nova-network: a single network host is a single point of failure (waive it knowingly or fix it)',
  description:
    'A nova network with multi_host=False depends on one network host for the gateway, NAT, floating IPs, DHCP and metadata of ' +
    'every instance on it (OpenStack admin guide, nova-network HA options). Reported on that host; multi_host networks pass.',
  severity: 'major',
  references: [NOVA_SEED, NOVA_CODE, { kind: 'doc', ref: 'ground-truth §5a' }],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const nova = novaOf(ctx);
    if (!nova) return out.done();
    for (const net of nova.networks) {
      if (net.multiHost) {
        out.look({ device: net.bridge });
        continue;
      }
      const host = net.host ?? (nova.networkHosts.length === 1 ? nova.networkHosts[0] : undefined);
      // a hot standby pair covers the role (nova-hot-standby judges whether the standby is ready)
      const pair = ctx.facts?.nova?.standby?.hosts ?? [];
      if (pair.length >= 2 && (host === undefined || pair.includes(host))) {
        out.look({ node: host, device: net.bridge });
        continue;
      }
      const node = host ? findNode(ctx.snapshot, host) : undefined;
      const instances = (nova.fixedIps ?? []).filter((f) => f.network === net.label);
      const fips = (nova.floatingIps ?? []).filter((f) => f.host === host);
      out.fail(out.look({ node: host, device: net.bridge }), {
        message: `network host ${host ?? '(unknown)'} is a single point of failure for the gateway, NAT, ${fips.length} floating IP(s), ` +
          `DHCP and metadata of ${instances.length} instance(s) on ${net.label} (multi_host=False)`,
        expected: 'multi_host=True, a hot standby network host (send_arp_for_ha=True), or a waiver that accepts it',
        actual: `multi_host=False, network host ${host ?? 'unknown'}`,
        evidence: evidenceFor(node, ['addr:', 'versions']),
      });
    }
    return out.done();
  },
};
