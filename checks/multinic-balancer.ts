import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { findNode } from './lib/lookup';
import { MULTINIC_SEED, multiNicPairs } from './lib/multinic';

/**
 * Seed 001: "we need to set up a load balancer in front of the Network node to manage the IP
 * swapping, to hide any changes to the IP addresses from the public network." The balancer must
 * list both floating IPs of the pair as backends with a health check that sees them UP: a backend
 * missing or DOWN leaves one path, and the next network node failure is an outage. Read from
 * haproxy's admin socket (`show stat`, section haproxy-stat) on the balancer node.
 */
export const check: Check = {
  id: 'multinic-balancer',
  title: 'multi-NIC active/active: the upstream balancer has both floating IPs as backends, UP',
  description:
    'For each multi-NIC pair with a balancer (facts multiNic[].balancer, haproxy): the backend lists a server per floating IP of the pair ' +
    '(haproxy `show stat` addr column) and each is UP by its health check; missing or DOWN = one path left, no failover.',
  severity: 'critical',
  references: [MULTINIC_SEED],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    for (const pair of multiNicPairs(ctx)) {
      const b = pair.balancer;
      if (!b) {
        out.skip(out.look({ device: pair.instance }), { message: `no balancer named for ${pair.instance} (facts multiNic[].balancer): seed 001's balancer in front of both FIPs is not judged`, evidence: [] });
        continue;
      }
      const node = findNode(ctx.snapshot, b.node);
      const subject = out.look({ node: b.node, device: b.backend });
      const stat = node?.multiNic?.haproxyStat;
      if (!node || !stat) {
        out.skip(subject, {
          message: `${!node ? `${b.node} was not read` : `haproxy's stats were not read on ${b.node} (no ${b.statsSocket ?? '/run/haproxy/admin.sock'} or no socat)`}: backends not judged`,
          evidence: evidenceFor(node, ['versions']),
        });
        continue;
      }
      const ev = evidenceFor(node, ['haproxy-stat']);
      const servers = stat.filter((r) => r.proxy === b.backend && r.server !== 'BACKEND' && r.server !== 'FRONTEND');
      if (servers.length > 0 && servers.every((s) => s.addr === '')) {
        out.skip(subject, { message: `haproxy on ${b.node} prints no addr column (older than 1.9): backends cannot be matched to floating IPs`, evidence: ev });
        continue;
      }
      for (const path of pair.paths) {
        const at = out.look({ node: b.node, device: b.backend, floatingIp: path.floatingIp });
        const s = servers.find((r) => r.addr.replace(/:\d+$/, '') === path.floatingIp);
        if (!s) {
          out.fail(at, {
            message: `backend ${b.backend} on ${b.node} has no server for ${path.floatingIp}: that path carries no traffic and cannot take over when the other network node fails`,
            expected: `a server ${path.floatingIp}:<port> check in backend ${b.backend}`,
            actual: servers.map((r) => `${r.server} ${r.addr} ${r.status}`).join('; ') || (stat.some((r) => r.proxy === b.backend) ? 'no server' : `no backend ${b.backend}`),
            evidence: ev,
          });
        } else if (s.status === 'no check') {
          out.warn(at, {
            message: `server ${s.server} (${path.floatingIp}) of ${b.backend} has no health check: the balancer keeps sending to a dead path`,
            expected: 'check on the server line', actual: 'no check', evidence: ev,
          });
        } else if (!s.status.startsWith('UP')) {
          out.fail(at, {
            message: `server ${s.server} (${path.floatingIp}) of ${b.backend} on ${b.node} is ${s.status}${s.checkStatus ? ` (${s.checkStatus})` : ''}: only one path carries traffic, the next network node failure is an outage`,
            expected: 'UP', actual: `${s.status} ${s.checkStatus}`.trim(), evidence: ev,
          });
        }
      }
    }
    return out.done();
  },
};
