import type { GarpExpectation } from '../capture/verdict';
import type { Facts } from '../model/facts';

/**
 * What a nova-network floating IP association must put on the wire (ground-truth §5e, issue 9):
 * with send_arp_for_ha=True, bind_floating_ip() runs `arping -U <fip> -A -I <public_interface>
 * -c <send_arp_for_ha_count>` on floating_ips.host → `count` ARP REPLYs 1 s apart, sender MAC =
 * that host's public_interface MAC (pattern 'nova-network', capture/patterns.ts). With the
 * default send_arp_for_ha=False nothing is sent (LP 782364): the answer is then "no G-ARP
 * expected" with the reason, never a pass or a fail. Pure: the caller reads the MAC.
 */
export type NovaGarpPlan =
  | { expected: true; expectation: GarpExpectation; count: number }
  | { expected: false; reason: string };

export function novaGarpExpectation(facts: Facts, fip: string, publicMacOf: (host: string, device: string) => string | undefined, deadlineMs: number): NovaGarpPlan {
  const nova = facts.nova;
  if (!nova) return { expected: false, reason: 'the facts have no nova section' };
  const f = (nova.floatingIps ?? []).find((x) => x.address === fip);
  if (!f) return { expected: false, reason: `${fip} is not an associated nova floating IP in the facts` };
  const count = nova.sendArpForHaCount ?? 3;
  if (nova.sendArpForHa !== true) {
    return { expected: false, reason: 'send_arp_for_ha=False (nova default): no G-ARP is sent when the floating IP moves; upstream ARP caches stay stale until they time out (LP 782364)' };
  }
  if (count <= 0) return { expected: false, reason: 'send_arp_for_ha_count=0: no G-ARP is sent' };
  const device = f.interface ?? nova.publicInterface ?? 'eth0';
  const mac = publicMacOf(f.host, device);
  if (!mac) return { expected: false, reason: `MAC of ${device} on ${f.host} unknown: the sender cannot be judged` };
  const steps = Array.from({ length: count }, () => ({ op: 'reply' as const, minGapMs: 700, maxGapMs: 1600 }));
  return {
    expected: true,
    count,
    expectation: {
      ip: fip, mac, node: f.host, device, deadlineMs,
      // the stock pattern is the default count (3); another count is the same sender with its own length
      pattern: count === 3 ? 'nova-network' : { id: 'nova-network', title: `nova-network send_arp_for_ha_count=${count}`, reference: 'ground-truth §5e', steps, extraAllowed: 0 },
    },
  };
}
