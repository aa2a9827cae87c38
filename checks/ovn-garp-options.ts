import type { Check, CheckContext, CheckOutcome } from '../src/engine/types';
import { createOutcome } from './lib/finding';
import { findOvnCentral, listGatewayPorts, OVN_GROUND_TRUTH } from './lib/ovn';

/**
 * ground-truth §6e, check 4: the external switch port of every router gateway (type router,
 * options:router-port=lrp-<gw>) has `nat-addresses=router` — without it ovn-controller sends no
 * G-ARP for the router IP and FIPs when the gateway moves — and `exclude-lb-vips-from-garp=true`
 * (neutron Zed `9d4e6edd5b`, OVN ≥ 22.03; RH bz 2054394/2053013: every tenant router announced the
 * same LB VIP). G-ARPs leave only through a localnet port, so the external switch must have one.
 */
export const check: Check = {
  id: 'ovn-garp-options',
  title: 'ML2/OVN: the external LSP of each router gateway has nat-addresses=router and exclude-lb-vips-from-garp=true',
  description:
    'Reads NB Logical_Switch_Port options of every gateway port\'s external LSP: nat-addresses=router (ovn-controller G-ARPs the router IP ' +
    'and FIPs from the resident chassis), exclude-lb-vips-from-garp=true (LP 1964901, RH bz 2054394), and a localnet port on that switch.',
  severity: 'major',
  references: [OVN_GROUND_TRUTH, { kind: 'bug', ref: 'lp#1964901' }, { kind: 'bug', ref: 'rhbz#2054394' }, { kind: 'bug', ref: 'rhbz#2053013' }, { kind: 'bug', ref: 'rhbz#2062580' }],
  evaluate(ctx: CheckContext): CheckOutcome {
    const out = createOutcome(check);
    const { nb, nbEvidence: ev } = findOvnCentral(ctx);
    if (!nb) {
      if (ctx.snapshot.nodes.some((n) => n.ovn)) out.skip(out.look({}), { message: 'the OVN northbound database was not read on any node: external ports not judged', evidence: [] });
      return out.done();
    }
    for (const g of listGatewayPorts(nb)) {
      const lsp = nb.switchPorts.find((p) => p.type === 'router' && p.options['router-port'] === g.port.name);
      const subject = out.look({ router: g.router?.name, port: lsp?.name ?? g.port.name });
      if (!lsp) {
        out.warn(subject, { message: `no external switch port points at ${g.port.name} (options:router-port): the gateway is not on any network`, expected: `an LSP type=router router-port=${g.port.name}`, actual: 'none', evidence: ev });
        continue;
      }
      const opts = Object.entries(lsp.options).map(([k, v]) => `${k}=${v}`).join(' ');
      if (lsp.options['nat-addresses'] !== 'router') {
        out.fail(subject, { message: `${lsp.name} has no nat-addresses=router: ovn-controller sends no G-ARP for ${g.port.networks.join(', ')} and the floating IPs after a failover`, expected: 'nat-addresses=router', actual: opts, evidence: ev });
      }
      if (lsp.options['exclude-lb-vips-from-garp'] !== 'true') {
        out.warn(subject, { message: `${lsp.name} lacks exclude-lb-vips-from-garp=true: load-balancer VIPs are G-ARPed by every router that has them (LP 1964901, RH bz 2054394; neutron ≥ Zed with OVN ≥ 22.03 sets it)`, expected: 'exclude-lb-vips-from-garp=true', actual: opts, evidence: ev });
      }
      const ls = nb.switches.find((s) => s.ports.includes(lsp.name));
      if (ls && !ls.ports.some((n) => nb.switchPorts.find((p) => p.name === n)?.type === 'localnet')) {
        out.warn(subject, { message: `${ls.name} has no localnet port: ovn-controller sends G-ARPs only through localnet ports, the upstream never hears them`, expected: 'a localnet port on the external switch', actual: 'none', evidence: ev });
      }
    }
    return out.done();
  },
};
