import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { findNode } from './lib/lookup';
import { NOVA_CODE, NOVA_DEFAULTS, NOVA_SEED, novaOf } from './lib/nova';

const TRUE = /^(true|1|yes|on)$/i;

/**
 * send_arp_for_ha (ground-truth §5e): default False, so nova-network sends no G-ARP when a
 * floating IP is (re)bound — after a migration or a network-host takeover the upstream keeps
 * the old MAC until its ARP entry times out (LP 782364; count 3 since Folsom, LP 1043796).
 * The facts say what the cloud intends; every nova-network host's nova.conf must agree (a host
 * left at the default is named). Intent off is a warn: a design risk, not a broken host.
 */
export const check: Check = {
  id: 'nova-send-arp-for-ha',
  title: 'nova-network: send_arp_for_ha on (and the same in every nova-network host\'s nova.conf)',
  description:
    'Warns when the cloud runs with send_arp_for_ha=False (no G-ARP when a floating IP moves, LP 782364) or a count below 3 ' +
    '(LP 1043796); fails on a nova-network host whose nova.conf disagrees with the facts (e.g. left at the default).',
  severity: 'major',
  references: [{ kind: 'bug', ref: 'lp#782364' }, { kind: 'bug', ref: 'lp#1043796' }, NOVA_CODE, NOVA_SEED, { kind: 'doc', ref: 'ground-truth §5e' }],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const nova = novaOf(ctx);
    if (!nova) return out.done();
    const want = nova.sendArpForHa === true;
    const count = nova.sendArpForHaCount ?? NOVA_DEFAULTS.sendArpForHaCount;
    for (const host of nova.networkHosts) {
      const node = findNode(ctx.snapshot, host);
      const subject = out.look({ node: host });
      const ev = evidenceFor(node, ['nova-conf', 'versions']);
      if (!want) {
        out.warn(subject, { message: `send_arp_for_ha=False: ${host} sends no G-ARP when a floating IP is bound there; upstream ARP caches stay stale until they expire (LP 782364)`, expected: 'send_arp_for_ha=True', actual: `send_arp_for_ha=${String(nova.sendArpForHa ?? 'unset (False)')}`, evidence: ev });
      } else if (count < 3) {
        out.warn(subject, { message: `send_arp_for_ha_count=${count}: one lost frame leaves the upstream stale (LP 1043796 made it 3)`, expected: 'send_arp_for_ha_count >= 3', actual: String(count), evidence: ev });
      }
      const conf = node?.nova?.conf;
      if (!node || conf === undefined) continue; // nova.conf not read: the intent alone was judged
      const onNode = conf['send_arp_for_ha'];
      const isOn = onNode !== undefined && TRUE.test(onNode);
      if (isOn !== want) {
        out.fail(subject, {
          message: `nova.conf on ${host} has send_arp_for_ha=${onNode ?? 'unset (default False)'}, the cloud intends ${want ? 'True' : 'False'}` +
            (want ? `: floating IPs bound by ${host} are not announced (LP 782364)` : ''),
          expected: `send_arp_for_ha = ${want ? 'True' : 'False'}`, actual: onNode === undefined ? 'key absent' : `send_arp_for_ha = ${onNode}`,
          evidence: evidenceFor(node, ['nova-conf']),
        });
      }
    }
    return out.done();
  },
};
