import { check } from '../../checks/nova-metadata';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { dropRules, mutate, nodeOf, novaCloud } from './fixtures/nova';

export const cases: CheckCases = {
  check,
  valid: [
    { name: 'healthy nova-flatdhcp lab (DNAT to net1:8775)', cloud: novaCloud('nova-flatdhcp') },
    { name: 'healthy nova-multihost lab (each compute to its own my_ip:8775)', cloud: novaCloud('nova-multihost') },
  ],
  invalid: [
    {
      name: 'metadata DNAT missing on net1',
      cloud: dropRules(novaCloud('nova-flatdhcp'), 'net1', /169\.254\.169\.254/),
      findings: [{ verdict: 'fail', subject: { node: 'net1' } }],
    },
    {
      name: 'metadata API not listening on cmp1 (multi_host)',
      cloud: mutate(novaCloud('nova-multihost'), (c) => { const n = nodeOf(c, 'cmp1').nova!; n.listeners = n.listeners!.filter((l) => l.port !== 8775); }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1' } }],
    },
    {
      name: 'metadata DNAT to the wrong port on cmp2',
      cloud: mutate(novaCloud('nova-multihost'), (c) => {
        for (const r of nodeOf(c, 'cmp2').root!.iptables!.rules) if (r.spec.includes('169.254.169.254')) { r.spec = r.spec.replace(':8775', ':8776'); r.toAddress = r.toAddress?.replace(':8775', ':8776'); }
      }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp2' } }],
    },
  ],
};

runCheckCases(cases);
