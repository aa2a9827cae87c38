import { check } from '../../checks/multinic-paths';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { multinicCloud, mutate, nodeOf, pathOf } from './fixtures/multinic';

const c0 = multinicCloud();
const P2 = pathOf(c0, 1);
const NS2 = `qrouter-${P2.routerId}`;

/** fixtures: the neutron-multinic-aa lab (test/checks/fixtures/multinic/) */
export const cases: CheckCases = {
  check,
  valid: [
    { name: 'healthy neutron-multinic-aa lab: .101 on r1/net1, .102 on r2/net2, each with its DNAT', cloud: multinicCloud() },
  ],
  invalid: [
    {
      name: 'net2 down: r2\'s namespace nowhere',
      cloud: mutate(multinicCloud(), (c) => { nodeOf(c, 'net2').namespaces = nodeOf(c, 'net2').namespaces.filter((n) => n.name !== NS2); }),
      findings: [{ verdict: 'fail', subject: { router: P2.routerId, floatingIp: P2.floatingIp } }],
    },
    {
      name: 'FIP .102 not on r2\'s qg-',
      cloud: mutate(multinicCloud(), (c) => {
        for (const d of nodeOf(c, 'net2').namespaces.find((n) => n.name === NS2)!.devices) d.addresses = d.addresses.filter((a) => a.address !== P2.floatingIp);
      }),
      findings: [{ verdict: 'fail', subject: { node: 'net2', router: P2.routerId, floatingIp: P2.floatingIp } }],
    },
    {
      name: 'DNAT of .102 missing in r2',
      cloud: mutate(multinicCloud(), (c) => {
        const ipt = nodeOf(c, 'net2').namespaces.find((n) => n.name === NS2)!.iptables!;
        ipt.rules = ipt.rules.filter((r) => !/-j DNAT/.test(r.spec));
      }),
      findings: [{ verdict: 'fail', subject: { node: 'net2', router: P2.routerId, floatingIp: P2.floatingIp } }],
    },
  ],
};

runCheckCases(cases);
