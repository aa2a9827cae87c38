import { check } from '../../checks/namespace-placement';
import { runCheckCases, healthyFixtures, type CheckCases } from './fixtures/cases';
import { DEV, FIPNS, QROUTER, R, SNAT, mutate, nodeOf, nsOf } from './fixtures/cloud';
import { ns } from './fixtures/build';

const staleLegacy = mutate('legacy', (c) => nodeOf(c, 'net2').namespaces.push(ns(QROUTER, [])));

export const cases: CheckCases = {
  check,
  valid: [
    ...healthyFixtures(),
    { name: 'qdhcp and unrelated namespaces are ignored', cloud: mutate('legacy', (c) => nodeOf(c, 'net2').namespaces.push(ns('qdhcp-x', []), ns('ovnmeta-y', []))) },
    { name: 'a vanished namespace is not judged', cloud: mutate('legacy', (c) => nodeOf(c, 'net2').namespaces.push({ ...ns(QROUTER, []), vanished: true })) },
  ],
  invalid: [
    { name: 'stale legacy qrouter on a second network node (facts)', cloud: staleLegacy, findings: [{ verdict: 'fail', subject: { node: 'net2', namespace: QROUTER } }] },
    { name: 'stale legacy qrouter without facts: the empty copy is stale', cloud: staleLegacy, withFacts: false, findings: [{ verdict: 'fail', subject: { node: 'net2', namespace: QROUTER } }] },
    {
      name: 'missing legacy qrouter on its host',
      cloud: mutate('legacy', (c) => { nodeOf(c, 'net1').namespaces = []; }),
      findings: [{ verdict: 'fail', subject: { node: 'net1', namespace: QROUTER } }],
    },
    {
      name: 'missing HA replica',
      cloud: mutate('ha', (c) => { nodeOf(c, 'net2').namespaces = []; }),
      findings: [{ verdict: 'fail', subject: { node: 'net2', namespace: QROUTER } }],
    },
    {
      name: 'DVR compute lost its fip namespace',
      cloud: mutate('dvr', (c) => { nodeOf(c, 'cmp2').namespaces = nodeOf(c, 'cmp2').namespaces.filter((n) => n.name !== FIPNS); }),
      findings: [{ verdict: 'fail', subject: { node: 'cmp2', namespace: FIPNS } }],
    },
    {
      name: 'DVR snat namespace on a compute (facts)',
      cloud: mutate('dvr', (c) => nodeOf(c, 'cmp1').namespaces.push(structuredClone(nsOf(c, 'net1', SNAT)))),
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', namespace: SNAT } }],
    },
    {
      name: 'DVR snat namespace on a compute without facts: role rule + two snat hosts',
      cloud: mutate('dvr', (c) => nodeOf(c, 'cmp1').namespaces.push(structuredClone(nsOf(c, 'net1', SNAT)))),
      withFacts: false,
      findings: [
        { verdict: 'fail', subject: { node: 'cmp1', namespace: SNAT } },
        { verdict: 'fail', subject: { node: 'net1', namespace: SNAT } },
      ],
    },
    {
      name: 'qrouter of a router unknown to the facts',
      cloud: mutate('legacy', (c) => nodeOf(c, 'net2').namespaces.push(ns('qrouter-00000000-dead-4bee-8f00-000000000000', []))),
      findings: [{ verdict: 'warn', subject: { node: 'net2', namespace: 'qrouter-00000000-dead-4bee-8f00-000000000000' } }],
    },
    {
      name: 'HA replicas all backup without facts',
      cloud: mutate('ha', (c) => {
        nodeOf(c, 'net1').haRouters[0]!.state = 'backup';
        const ha = nsOf(c, 'net1', QROUTER).devices.find((d) => d.name === DEV.ha1)!;
        ha.addresses = ha.addresses.filter((a) => !a.address.startsWith('169.254.0.'));
      }),
      withFacts: false,
      findings: [
        { verdict: 'fail', subject: { node: 'net1', namespace: QROUTER } },
        { verdict: 'fail', subject: { node: 'net2', namespace: QROUTER } },
      ],
    },
    {
      name: 'legacy qrouter on a compute without facts (role rule)',
      cloud: mutate('legacy', (c) => nodeOf(c, 'cmp1').namespaces.push(ns(`qrouter-${R.replace('a1', 'ff')}`, []))),
      withFacts: false,
      findings: [{ verdict: 'fail', subject: { node: 'cmp1', namespace: `qrouter-${R.replace('a1', 'ff')}` } }],
      params: { roles: { compute: { forbid: ['qrouter-', 'snat-', 'fip-'] } } },
    },
  ],
};

runCheckCases(cases);
