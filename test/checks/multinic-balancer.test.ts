import { check } from '../../checks/multinic-balancer';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { multinicCloud, mutate, nodeOf, pathOf } from './fixtures/multinic';

const FIP2 = pathOf(multinicCloud(), 1).floatingIp;

/** fixtures: the neutron-multinic-aa lab (test/checks/fixtures/multinic/upstream.txt, section haproxy-stat) */
export const cases: CheckCases = {
  check,
  valid: [
    { name: 'healthy neutron-multinic-aa lab: r1 203.0.113.101:80 and r2 203.0.113.102:80 UP (L4OK)', cloud: multinicCloud() },
  ],
  invalid: [
    {
      name: 'r2 DOWN (L4TOUT), as after the lab fault mn-backend-down',
      cloud: mutate(multinicCloud(), (c) => {
        const s = nodeOf(c, 'upstream').multiNic!.haproxyStat!.find((r) => r.server === 'r2')!;
        s.status = 'DOWN';
        s.checkStatus = '* L4TOUT';
      }),
      findings: [{ verdict: 'fail', subject: { node: 'upstream', device: 'multinic', floatingIp: FIP2 } }],
    },
    {
      name: 'r2 not in the backend at all',
      cloud: mutate(multinicCloud(), (c) => { const m = nodeOf(c, 'upstream').multiNic!; m.haproxyStat = m.haproxyStat!.filter((r) => r.server !== 'r2'); }),
      findings: [{ verdict: 'fail', subject: { node: 'upstream', device: 'multinic', floatingIp: FIP2 } }],
    },
    {
      name: 'r2 without health check',
      cloud: mutate(multinicCloud(), (c) => { nodeOf(c, 'upstream').multiNic!.haproxyStat!.find((r) => r.server === 'r2')!.status = 'no check'; }),
      findings: [{ verdict: 'warn', subject: { node: 'upstream', device: 'multinic', floatingIp: FIP2 } }],
    },
    {
      name: 'stats socket not read',
      cloud: mutate(multinicCloud(), (c) => { delete nodeOf(c, 'upstream').multiNic; }),
      findings: [{ verdict: 'skip', subject: { node: 'upstream', device: 'multinic' } }],
    },
  ],
};

runCheckCases(cases);
