import { check } from '../../checks/multinic-anti-affinity';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { moveRouter, multinicCloud, mutate, nodeOf, pathOf } from './fixtures/multinic';

const c0 = multinicCloud();
const R1 = pathOf(c0, 0).routerId;
const R2 = pathOf(c0, 1).routerId;

/** fixtures: the neutron-multinic-aa lab (test/checks/fixtures/multinic/) */
export const cases: CheckCases = {
  check,
  valid: [
    { name: 'healthy neutron-multinic-aa lab: r1 on net1, r2 on net2', cloud: multinicCloud() },
  ],
  invalid: [
    {
      name: 'both routers on net1 (the lab fault mn-same-node: r2 rebuilt on net1)',
      cloud: moveRouter(multinicCloud(), R2, 'net2', 'net1'),
      findings: [{ verdict: 'fail', subject: { node: 'net1', router: R2 } }],
    },
    {
      name: 'the API schedules both to net1, the data plane still split',
      cloud: mutate(multinicCloud(), (c) => { c.facts!.routers.find((r) => r.id === R2)!.hosts = ['net1']; }),
      findings: [{ verdict: 'fail', subject: { router: R2 } }],
    },
    {
      name: 'r1 found nowhere: not judged here (multinic-paths fails it)',
      cloud: mutate(multinicCloud(), (c) => { nodeOf(c, 'net1').namespaces = nodeOf(c, 'net1').namespaces.filter((n) => n.name !== `qrouter-${R1}`); }),
      findings: [{ verdict: 'skip', subject: { router: R2 } }],
    },
  ],
};

runCheckCases(cases);
