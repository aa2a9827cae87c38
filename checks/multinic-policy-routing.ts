import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { evidenceFor } from './lib/evidence';
import { createOutcome } from './lib/finding';
import { findNode } from './lib/lookup';
import { MULTINIC_SEED, multiNicPairs } from './lib/multinic';
import { sameHost } from './lib/net';

/**
 * Seed 001: "you need to configure PBR (Policy based routing) inside the VM … packets arriving on
 * interface ethX will be replied or sent back via the same interface. This will require two routing
 * tables and two default routes, one for each interface." Without the rule of a NIC its replies
 * follow the main table's default route out of the OTHER NIC, through the other router, which
 * SNATs them to the other FIP (or drops them): the client behind the balancer sees no answer.
 * The guest is read only where haprobe can enter it: a lab instance namespace (multinic-script.ts).
 */
export const check: Check = {
  id: 'multinic-policy-routing',
  title: 'multi-NIC active/active: the instance routes replies out of the NIC they came in on (one rule and table per NIC)',
  description:
    'For each multi-NIC instance whose routing haprobe can read (a lab instance namespace on its compute): for each path a rule ' +
    '`from <fixed ip> lookup <table>` and, in that table, a default route via that path\'s router; a missing one makes the replies of that ' +
    'path leave by the other NIC (asymmetric). Elsewhere: skip, with the commands to run in the guest.',
  severity: 'major',
  references: [MULTINIC_SEED],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    for (const pair of multiNicPairs(ctx)) {
      const node = pair.host ? findNode(ctx.snapshot, pair.host) : undefined;
      const vm = node?.multiNic?.instances[pair.instance];
      const subject = out.look({ node: pair.host, device: pair.instance });
      if (!node || !vm || !vm.rules || !vm.routes) {
        out.skip(subject, {
          message: `the routing inside ${pair.instance} was not read (haprobe enters only a lab instance namespace under /run/haprobe-vms${pair.host ? ` on ${pair.host}` : ''}): ` +
            `run \`ip rule\` and ${pair.paths.map((p) => `\`ip route show table ${p.table}\``).join(', ')} in the guest`,
          evidence: evidenceFor(node, ['versions']),
        });
        continue;
      }
      const ev = evidenceFor(node, [`vm-rule:${pair.instance}`, `vm-route:${pair.instance}`]);
      for (const path of pair.paths) {
        const table = String(path.table);
        const rule = vm.rules.find((r) => r.from !== undefined && sameHost(r.from, path.fixedIp) && r.table === table);
        if (!rule) {
          out.fail(subject, {
            message: `${pair.instance} has no rule \`from ${path.fixedIp} lookup ${table}\`: replies to ${path.floatingIp} leave by the main table's default route, not the NIC they came in on (asymmetric; the client gets no answer)`,
            expected: `from ${path.fixedIp} lookup ${table}`,
            actual: vm.rules.map((r) => r.raw).join('; ') || 'no rules',
            evidence: ev,
          });
        }
        const routes = vm.routes.filter((r) => r.table === table);
        if (!routes.some((r) => r.dst === 'default' && r.via === path.gatewayIp)) {
          out.fail(subject, {
            message: `table ${table} of ${pair.instance} has no default route via ${path.gatewayIp} (the router of ${path.floatingIp})`,
            expected: `default via ${path.gatewayIp} table ${table}`,
            actual: routes.map((r) => r.raw).join('; ') || `table ${table} empty`,
            evidence: ev,
          });
        }
      }
    }
    return out.done();
  },
};
