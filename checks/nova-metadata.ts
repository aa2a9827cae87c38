import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor, notCollectedReason, partialReason, wasNamespaceCollected } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { findNamespace, findNode } from './lib/lookup';
import { inChain, METADATA_IP, natRules, ruleDestination, ruleTarget } from './lib/nat';
import { sameHost } from './lib/net';
import { metadataHostOf, metadataPortOf, NOVA_CODE, NOVA_GROUND_TRUTH, NOVA_SEED, novaOf } from './lib/nova';

/**
 * Every nova-network host forwards 169.254.169.254:80 to the metadata API (metadata_forward():
 * DNAT to <metadata_host>:<metadata_port>, or REDIRECT to the port when metadata_host is
 * 127.0.0.1), and something listens there (nova-api-metadata; with multi_host on every compute,
 * seed 000: "each compute host must run … nova-api-metadata").
 */
export const check: Check = {
  id: 'nova-metadata',
  title: 'nova-network: metadata DNAT to metadata_host:8775 on every nova-network host, and the API listening',
  description:
    'On each nova-network host: nova-network-PREROUTING -d 169.254.169.254/32 -p tcp --dport 80 -j DNAT --to-destination ' +
    '<metadata_host>:<metadata_port> (REDIRECT when metadata_host=127.0.0.1), and a listener on that address and port where it is this host.',
  severity: 'major',
  references: [NOVA_GROUND_TRUTH, NOVA_CODE, NOVA_SEED],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const nova = novaOf(ctx);
    if (!nova) return out.done();
    const port = metadataPortOf(nova);
    for (const host of nova.networkHosts) {
      const node = findNode(ctx.snapshot, host);
      const subject = out.look({ node: host });
      if (!node) {
        out.skip(subject, { message: `${host} was not read`, evidence: [] });
        continue;
      }
      const mh = metadataHostOf(nova, host);
      const root = findNamespace(node, '');
      const template = mh === '127.0.0.1'
        ? `nova-network-PREROUTING -d ${METADATA_IP}/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports ${port}`
        : `nova-network-PREROUTING -d ${METADATA_IP}/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination ${mh ?? '<metadata_host>'}:${port}`;
      if (!wasNamespaceCollected(node, '', 'iptables') || !root?.iptables) {
        out.skip(subject, { message: notCollectedReason(node, 'iptables', ''), evidence: evidenceFor(node, ['versions']) });
      } else {
        const ev = evidenceFor(node, ['iptables:']);
        const meta = natRules(root.iptables).filter((r) => inChain(r, 'PREROUTING') && sameHost(ruleDestination(r), METADATA_IP) && /--dport 80(\s|$)/.test(r.spec));
        const to = (spec: string): string | undefined => /--to-destination (\S+)/.exec(spec)?.[1];
        const ok = meta.some((r) => mh === '127.0.0.1'
          ? ruleTarget(r) === 'REDIRECT' && new RegExp(`--to-ports ${port}(\\s|$)`).test(r.spec)
          : ruleTarget(r) === 'DNAT' && (mh === undefined ? to(r.spec)?.endsWith(`:${port}`) === true : to(r.spec) === `${mh}:${port}`));
        if (!ok) {
          const partial = partialReason(node, 'iptables:');
          const input = {
            message: meta.length === 0
              ? `no metadata forward on ${host}: instances served there cannot reach 169.254.169.254`
              : `metadata forward on ${host} does not go to ${mh ?? '<metadata_host>'}:${port}`,
            expected: template,
            actual: meta.length ? meta.map((r) => `-A ${r.chain} ${r.spec}`).join('; ') : 'absent',
            evidence: ev,
          };
          if (partial) out.warn(subject, { ...input, message: `${input.message}: not judged, ${partial}` });
          else out.fail(subject, input);
        }
      }
      // the API itself, where metadata_host is this host (or 127.0.0.1)
      const own = mh === undefined || mh === '127.0.0.1' || (root?.devices ?? []).some((d) => d.addresses.some((a) => a.address === mh));
      if (!own) continue;
      const listeners = node.nova?.listeners;
      if (listeners === undefined) {
        out.skip(subject, { message: `listening sockets of ${host} not collected (no nova section)`, evidence: evidenceFor(node, ['versions']) });
        continue;
      }
      const any = ['0.0.0.0', '*', '::', ''];
      if (!listeners.some((l) => l.port === port && (any.includes(l.address) || mh === undefined || l.address === mh))) {
        out.fail(subject, {
          message: `nothing listens on ${mh ?? '*'}:${port} on ${host}: the metadata API (nova-api-metadata) is not reachable`,
          expected: `a listener on ${mh ?? '0.0.0.0'}:${port}`,
          actual: listeners.filter((l) => l.port === port).map((l) => `${l.address}:${l.port}`).join(', ') || `nothing on port ${port}`,
          evidence: evidenceFor(node, ['nova-listen']),
        });
      }
    }
    return out.done();
  },
};
